// GET /todos: the caller's todos, newest first, a page at a time.
import { callerId } from './lib/caller.js';
import type { ApiEvent, ApiResponse } from './lib/event.js';
import { respond } from './lib/http.js';
import { parseLimit } from './lib/limit.js';
import { assertTokenKey, decodeNextToken, encodeNextToken, type TodoKey } from './lib/next-token.js';
import { queryParam } from './lib/params.js';
import { json } from './lib/response.js';
import { table, tableName } from './lib/table.js';
import { toApi } from './lib/todo.js';

async function listTodos(event: ApiEvent): Promise<ApiResponse> {
  const userId = callerId(event);
  assertTokenKey();
  const limit = parseLimit(queryParam(event, 'limit'));
  const token = queryParam(event, 'nextToken');
  const startKey = token === undefined ? undefined : decodeNextToken(token, userId);

  // A Query on the caller's partition only; todo ids are ULIDs, so
  // descending range keys are newest first. One extra item tells whether
  // another page exists, so the last page never carries a token to an empty one.
  const db = await table();
  const page = await db.query({
    TableName: tableName(),
    KeyConditionExpression: 'userId = :u',
    ExpressionAttributeValues: { ':u': userId },
    ScanIndexForward: false,
    Limit: limit + 1,
    ...(startKey ? { ExclusiveStartKey: { ...startKey } } : {}),
  });
  const items = page.Items ?? [];
  let last: TodoKey | undefined;
  if (items.length > limit) {
    items.length = limit;
    last = { userId, todoId: String(items[limit - 1]!.todoId) };
  } else if (page.LastEvaluatedKey) {
    // DynamoDB stopped at its 1 MB page size before the limit.
    last = { userId, todoId: String(page.LastEvaluatedKey.todoId) };
  }
  return json(200, { items: items.map(toApi), nextToken: last ? encodeNextToken(userId, last) : null }, 'read');
}

export async function handler(event: ApiEvent): Promise<ApiResponse> {
  return respond(event, listTodos);
}
