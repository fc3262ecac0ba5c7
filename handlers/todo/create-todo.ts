// POST /todos: a new todo for the caller.
import { readJsonObject } from './lib/body.js';
import { callerId } from './lib/caller.js';
import type { ApiEvent, ApiResponse } from './lib/event.js';
import { respond } from './lib/http.js';
import { json } from './lib/response.js';
import { table, tableName } from './lib/table.js';
import { newTodoId } from './lib/todo-id.js';
import { assertItemSize, parseCreate, toApi, type TodoItem } from './lib/todo.js';

// The new todo's URL: the request's own path (with the stage, as API Gateway
// saw it) plus the id.
function location(event: ApiEvent, id: string): string {
  const path = event.requestContext?.path ?? event.path;
  const base = typeof path === 'string' && /^\/[A-Za-z0-9/_.~-]*$/.test(path) ? path.replace(/\/+$/, '') : '/todos';
  return `${base}/${id}`;
}

async function createTodo(event: ApiEvent): Promise<ApiResponse> {
  const userId = callerId(event);
  const input = parseCreate(readJsonObject(event));
  const now = new Date().toISOString();
  const item: TodoItem = { done: false, ...input, userId, todoId: newTodoId(), createdAt: now, updatedAt: now, version: 1 };
  assertItemSize({ ...item });
  await (await table()).put({
    TableName: tableName(),
    Item: item,
    // Never overwrite: an id collision fails instead of replacing a todo.
    ConditionExpression: 'attribute_not_exists(todoId)',
  });
  const id = item.todoId;
  return json(201, toApi({ ...item }), 'no-store', {
    Location: location(event, id),
    'Access-Control-Expose-Headers': 'Location',
  });
}

export async function handler(event: ApiEvent): Promise<ApiResponse> {
  return respond(event, createTodo);
}
