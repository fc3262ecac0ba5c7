import type { ApiEvent } from './event.js';
import { HttpError, badRequest } from './errors.js';

// Header names are case-insensitive; API Gateway keeps the client's spelling.
// A header sent twice with different values is ambiguous: rejected.
export function header(event: ApiEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const values = new Set<string>();
  for (const [key, value] of Object.entries(event.multiValueHeaders ?? {})) {
    if (key.toLowerCase() === wanted && Array.isArray(value)) for (const v of value) values.add(v);
  }
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && typeof value === 'string') values.add(value);
  }
  if (values.size > 1) throw new HttpError(400, 'BadRequest', `The ${name} header is given more than once.`);
  return values.values().next().value;
}

// A query parameter given more than once (?limit=1&limit=100) is rejected
// rather than silently taking one of the values.
export function queryParam(event: ApiEvent, name: string): string | undefined {
  const multi = event.multiValueQueryStringParameters?.[name];
  if (Array.isArray(multi) && multi.length > 1) throw badRequest(`The ${name} parameter is given more than once.`);
  const value = event.queryStringParameters?.[name];
  return typeof value === 'string' ? value : undefined;
}
