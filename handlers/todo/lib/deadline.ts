import { HttpError } from './errors.js';

/**
 * The promise, or a 503 after `ms` milliseconds (then `onTimeout` runs). The
 * DAX client retries an unreachable cluster for many seconds; this answers
 * the client in bounded time instead of running into the function timeout.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new HttpError(503, 'ServiceUnavailable', 'The service is temporarily unavailable. Retry later.'));
    }, ms);
  });
  // The losing promise's rejection must not surface as unhandled.
  promise.catch(() => undefined);
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
