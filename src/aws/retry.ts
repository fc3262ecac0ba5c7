/**
 * Our own retry, not the SDK's: it runs around `send`, so the mocked clients
 * in the tests exercise it, and the SDK's is set to one attempt so the two
 * never multiply. Throttling and transient faults are retried with capped
 * exponential backoff and full jitter (the AWS Architecture Blog's advice).
 */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
]);
// Not ECONNREFUSED: AWS endpoints do not refuse connections; a refusal means a wrong
// AWS_ENDPOINT_URL, which retrying for half a minute would only hide.
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'InternalError', 'InternalFailure', 'ServiceUnavailable']);

interface AwsLikeError {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

export function isThrottling(err: unknown): boolean {
  const e = err as AwsLikeError;
  return THROTTLING.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429 || Boolean(e?.$retryable?.throttling);
}

export function isTransient(err: unknown): boolean {
  const e = err as AwsLikeError;
  if (isThrottling(err)) return true;
  if (TRANSIENT_CODES.has(e?.name ?? '') || TRANSIENT_CODES.has(e?.code ?? '')) return true;
  const status = e?.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500 && status !== 501;
}

export interface RetryOptions {
  attempts: number;
  baseMs: number;
  capMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  attempts: 8,
  baseMs: 300,
  capMs: 20_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** The wait before retry number `attempt` (1-based): full jitter over a doubling, capped window. */
export const backoff = (attempt: number, o: Pick<RetryOptions, 'baseMs' | 'capMs' | 'random'>): number =>
  Math.round(o.random() * Math.min(o.capMs, o.baseMs * 2 ** (attempt - 1)));

export async function withRetry<T>(fn: () => Promise<T>, o: RetryOptions, onRetry?: (err: unknown, waitMs: number, attempt: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= o.attempts || !isTransient(err)) throw err;
      const wait = backoff(attempt, o);
      onRetry?.(err, wait, attempt);
      await o.sleep(wait);
    }
  }
}
