import type { ApiEvent } from './event.js';
import { HttpError } from './errors.js';

/**
 * The caller's user id: the `sub` claim that API Gateway's Cognito authorizer
 * put in the request context after checking the token. Never taken from the
 * body, the query or the path, so no request can name another user.
 */
export function callerId(event: ApiEvent): string {
  const sub = event.requestContext?.authorizer?.claims?.sub;
  // A Cognito sub is a UUID; the bound keeps any key well under DynamoDB's
  // 2048-byte partition key limit.
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > 128) {
    throw new HttpError(401, 'Unauthorized', 'The request is not signed in.');
  }
  return sub;
}
