import type { ObjectSchema } from './schema.js';
import { validateObject } from './schema.js';
import { HttpError } from './errors.js';
import { utf8Bytes } from './text.js';

// The todo's fields, as templates/todo/base.yaml's CreateTodoModel and
// UpdateTodoModel define them (API Gateway checks them first; this is the
// same contract, checked again after Unicode normalisation).

function isCalendarDate(value: string): boolean {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

const todoFields = {
  title: { type: 'string', minLength: 1, maxLength: 200 },
  notes: { type: 'string', maxLength: 4000 },
  done: { type: 'boolean' },
  dueDate: { type: 'string', maxLength: 10, check: isCalendarDate, format: 'a date as YYYY-MM-DD' },
} as const satisfies ObjectSchema['fields'];

const createSchema: ObjectSchema = { fields: todoFields, required: ['title'] };
const updateSchema: ObjectSchema = {
  fields: { ...todoFields, version: { type: 'integer', minimum: 1 } },
  required: ['version'],
  minFields: 2,
};

export interface TodoFields {
  title?: string;
  notes?: string;
  done?: boolean;
  dueDate?: string;
}

export interface CreateTodoInput extends TodoFields {
  title: string;
}

export interface UpdateTodoInput {
  version: number;
  changes: TodoFields;
}

/** A todo as stored: the key is the owner (userId) and the todo's id. */
export interface TodoItem extends TodoFields {
  userId: string;
  todoId: string;
  title: string;
  done: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function parseCreate(body: Record<string, unknown>): CreateTodoInput {
  return validateObject(body, createSchema) as unknown as CreateTodoInput;
}

export function parseUpdate(body: Record<string, unknown>): UpdateTodoInput {
  const { version, ...changes } = validateObject(body, updateSchema);
  return { version: version as number, changes: changes as TodoFields };
}

/** The todo as the API shows it: its id, never the owner's id. */
export function toApi(item: Record<string, unknown>): Record<string, unknown> {
  const { userId: _owner, todoId, ...rest } = item;
  return { id: todoId, ...rest };
}

const MAX_ITEM_BYTES = 400 * 1024;

// DynamoDB's item size: attribute names plus values (strings as UTF-8,
// numbers up to 21 bytes, booleans 1 byte). The 16 KB body limit keeps every
// todo far below it; this is the last guard should the limits ever change.
export function assertItemSize(item: Record<string, unknown>): void {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    bytes += utf8Bytes(name) + (typeof value === 'string' ? utf8Bytes(value) : typeof value === 'number' ? 21 : 1);
  }
  if (bytes > MAX_ITEM_BYTES) throw new HttpError(413, 'PayloadTooLarge', 'The todo is larger than the 400 KB item limit.');
}
