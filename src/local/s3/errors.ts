import type { ServerResponse } from 'node:http';

/** Status codes S3 itself uses for the error codes this endpoint returns. */
const STATUS: Record<string, number> = {
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  EntityTooLarge: 400,
  ExpiredToken: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidRequest: 400,
  InvalidToken: 400,
  KeyTooLongError: 400,
  MalformedXML: 400,
  NotImplemented: 501,
  RequestTimeTooSkewed: 403,
  SignatureDoesNotMatch: 403,
  XAmzContentSHA256Mismatch: 400,
};

/** An S3 error answered by the proxy itself, before s3rver sees the request. */
export class S3Error extends Error {
  readonly status: number;

  constructor(
    readonly code: string,
    message: string,
    readonly detail: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'S3Error';
    this.status = STATUS[code] ?? 400;
  }
}

export const accessDenied = (message = 'Access Denied'): S3Error => new S3Error('AccessDenied', message);

const escapeXml = (s: string): string =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** Writes the error the way S3 does: XML body (none for HEAD), so SDK clients raise the error by its code. */
export function sendS3Error(res: ServerResponse, err: S3Error, requestId: string, resource: string, method: string): void {
  const fields = { Code: err.code, Message: err.message, ...err.detail, Resource: resource, RequestId: requestId };
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
    Object.entries(fields)
      .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
      .join('') +
    '</Error>';
  res.writeHead(err.status, {
    'content-type': 'application/xml',
    'content-length': method === 'HEAD' ? '0' : String(Buffer.byteLength(body)),
    'x-amz-request-id': requestId,
  });
  res.end(method === 'HEAD' ? undefined : body);
}
