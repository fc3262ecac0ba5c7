import type { ApiEvent, ApiResponse } from './event.js';
import { HttpError, awsErrorIs } from './errors.js';

// Reads: the data is the caller's own, so no shared cache (CDN, proxy) may
// keep it ("private"), and another device may change it at any time, so the
// client must revalidate before reuse ("no-cache"). Errors and writes are
// never stored ("no-store").
export type CachePolicy = 'read' | 'no-store';

const CACHE_CONTROL: Record<CachePolicy, string> = {
  read: 'private, no-cache',
  'no-store': 'no-store',
};

// Throttling and an unreachable DAX cluster are the service's state, not a
// bug: 503 tells the client to retry.
const UNAVAILABLE = [
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'NoRouteException',
  'ConnectionException',
];

export function requestIdOf(event: ApiEvent | null | undefined): string {
  const id = event?.requestContext?.requestId;
  return typeof id === 'string' ? id : '';
}

function headers(cache: CachePolicy, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': CACHE_CONTROL[cache],
    'Access-Control-Allow-Origin': process.env.CORS_ORIGIN || '*',
    'X-Content-Type-Options': 'nosniff',
    ...(cache === 'read' ? { Vary: 'Authorization' } : {}),
    ...extra,
  };
}

export function json(statusCode: number, body: unknown, cache: CachePolicy, extra?: Record<string, string>): ApiResponse {
  return { statusCode, headers: headers(cache, extra), body: JSON.stringify(body) };
}

export function noContent(): ApiResponse {
  const h = headers('no-store');
  delete h['Content-Type'];
  return { statusCode: 204, headers: h, body: '' };
}

// Every error is { code, message, requestId }, never a stack trace; the
// details of an unexpected error go to the log only.
export function errorResponse(event: ApiEvent | null | undefined, err: unknown): ApiResponse {
  const requestId = requestIdOf(event);
  let status = 500;
  let code = 'InternalError';
  let message = 'Internal server error.';
  if (err instanceof HttpError) {
    ({ statusCode: status, code, message } = err);
  } else if (awsErrorIs(err, ...UNAVAILABLE)) {
    status = 503;
    code = 'ServiceUnavailable';
    message = 'The service is busy. Retry later.';
  }
  if (status >= 500) {
    const e = err instanceof Error ? err : new Error(String(err));
    console.error(JSON.stringify({ level: 'error', requestId, status, error: e.name, message: e.message, stack: e.stack }));
  }
  return json(status, { code, message, requestId }, 'no-store');
}
