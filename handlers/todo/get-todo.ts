// GET /todos/{id}: one of the caller's todos.
import { callerId } from './lib/caller.js';
import { notFound } from './lib/errors.js';
import type { ApiEvent, ApiResponse } from './lib/event.js';
import { respond } from './lib/http.js';
import { json } from './lib/response.js';
import { table, tableName } from './lib/table.js';
import { pathTodoId } from './lib/todo-id.js';
import { toApi } from './lib/todo.js';

async function getTodo(event: ApiEvent): Promise<ApiResponse> {
  const userId = callerId(event);
  const todoId = pathTodoId(event);
  // The key includes the caller: another user's id is simply not found.
  const { Item } = await (await table()).get({ TableName: tableName(), Key: { userId, todoId } });
  if (!Item) throw notFound();
  return json(200, toApi(Item), 'read');
}

export async function handler(event: ApiEvent): Promise<ApiResponse> {
  return respond(event, getTodo);
}
