// PUT /todos/{id}: changes fields of one of the caller's todos, if it is still
// at the version the client last saw (optimistic concurrency).
import { readJsonObject } from './lib/body.js';
import { callerId } from './lib/caller.js';
import { HttpError, awsErrorIs, notFound } from './lib/errors.js';
import type { ApiEvent, ApiResponse } from './lib/event.js';
import { respond } from './lib/http.js';
import { json } from './lib/response.js';
import { table, tableName, type TableClient } from './lib/table.js';
import { pathTodoId } from './lib/todo-id.js';
import { parseUpdate, toApi } from './lib/todo.js';

// A failed condition means missing or stale. The role may only UpdateItem (no
// GetItem), and neither DAX nor dynalite return the old item on a failed
// condition outside transactions, so a no-op update conditional on existence
// tells the two apart (DynamoDB writes no stream record for an unchanged item).
async function existsForUpdate(db: TableClient, key: Record<string, string>): Promise<boolean> {
  try {
    await db.update({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'SET #v = #v',
      ConditionExpression: 'attribute_exists(todoId)',
      ExpressionAttributeNames: { '#v': 'version' },
    });
    return true;
  } catch (err) {
    if (awsErrorIs(err, 'ConditionalCheckFailedException')) return false;
    throw err;
  }
}

async function updateTodo(event: ApiEvent): Promise<ApiResponse> {
  const userId = callerId(event);
  const todoId = pathTodoId(event);
  const { version, changes } = parseUpdate(readJsonObject(event));
  const names: Record<string, string> = { '#version': 'version', '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':expected': version, ':next': version + 1, ':now': new Date().toISOString() };
  const sets = ['#version = :next', '#updatedAt = :now'];
  // Field names come from the schema (title, notes, done, dueDate), never from the client.
  for (const [field, value] of Object.entries(changes)) {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  const db = await table();
  const key = { userId, todoId };
  try {
    const { Attributes } = await db.update({
      TableName: tableName(),
      Key: key,
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'attribute_exists(todoId) AND #version = :expected',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    });
    return json(200, toApi(Attributes ?? {}), 'no-store');
  } catch (err) {
    if (!awsErrorIs(err, 'ConditionalCheckFailedException')) throw err;
    if (!(await existsForUpdate(db, key))) throw notFound();
    throw new HttpError(409, 'VersionConflict', 'The todo has changed since that version: fetch it again and retry.');
  }
}

export async function handler(event: ApiEvent): Promise<ApiResponse> {
  return respond(event, updateTodo);
}
