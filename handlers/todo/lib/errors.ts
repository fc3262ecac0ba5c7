// An error a handler answers with its own status and code. Anything else that
// reaches the handler wrapper is unexpected: logged, and answered 500.
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, code = 'BadRequest'): HttpError => new HttpError(400, code, message);

export const notFound = (): HttpError => new HttpError(404, 'NotFound', 'The todo does not exist.');

// AWS SDK errors carry the service's error name in `name`; the DAX client puts
// it in `code` instead.
export function awsErrorIs(err: unknown, ...names: string[]): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { name, code } = err as { name?: unknown; code?: unknown };
  return names.some((n) => n === name || n === code);
}
