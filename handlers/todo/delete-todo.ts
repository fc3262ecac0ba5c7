// DELETE /todos/{id}: removes one of the caller's todos.
import { callerId } from './lib/caller.js';
import { awsErrorIs, notFound } from './lib/errors.js';
import type { ApiEvent, ApiResponse } from './lib/event.js';
import { respond } from './lib/http.js';
import { noContent } from './lib/response.js';
import { table, tableName } from './lib/table.js';
import { pathTodoId } from './lib/todo-id.js';

async function deleteTodo(event: ApiEvent): Promise<ApiResponse> {
  const userId = callerId(event);
  const todoId = pathTodoId(event);
  try {
    await (await table()).delete({
      TableName: tableName(),
      Key: { userId, todoId },
      ConditionExpression: 'attribute_exists(todoId)',
    });
  } catch (err) {
    if (awsErrorIs(err, 'ConditionalCheckFailedException')) throw notFound();
    throw err;
  }
  return noContent();
}

export async function handler(event: ApiEvent): Promise<ApiResponse> {
  return respond(event, deleteTodo);
}
