import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { S3Error, accessDenied } from './errors.js';

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** The parts of a request SigV4 covers, as the client sent them (path and query still encoded). */
export interface SignedRequest {
  method: string;
  rawPath: string;
  /** Raw query pairs, split but not decoded. */
  rawQuery: Array<[string, string]>;
  headers: IncomingHttpHeaders;
  headersDistinct: Record<string, string[] | undefined>;
}

export interface SigV4Auth {
  kind: 'header' | 'query';
  accessKeyId: string;
  /** yyyymmdd/region/service/aws4_request */
  scope: string;
  region: string;
  service: string;
  /** yyyymmddThhmmssZ */
  amzDate: string;
  signedHeaders: string[];
  signature: string;
  /** x-amz-content-sha256 (header form) or UNSIGNED-PAYLOAD (query form). */
  payloadHash: string;
  securityToken: string | undefined;
  /** Query form only: seconds the URL stays valid. */
  expiresSeconds?: number;
}

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
export const uriEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new S3Error('InvalidArgument', 'The request URI is not validly encoded.');
  }
}

export function splitQuery(rawQuery: string): Array<[string, string]> {
  if (rawQuery === '') return [];
  return rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
    });
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function parseAmzDate(value: string | undefined): number | undefined {
  const m = value === undefined ? null : AMZ_DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

function parseCredential(credential: string, malformed: (msg: string) => S3Error) {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !/^\d{8}$/.test(parts[1]!)) {
    throw malformed(`the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
  }
  const [accessKeyId, date, region, service] = parts as [string, string, string, string, string];
  return { accessKeyId, date, region, service, scope: parts.slice(1).join('/') };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Finds the SigV4 credentials in a request; undefined when the request is anonymous. */
export function parseSigV4(req: SignedRequest): SigV4Auth | undefined {
  const authorization = header(req.headers, 'authorization');
  const query = new Map(req.rawQuery.map(([k, v]) => [decodeComponent(k), decodeComponent(v)]));
  const inQuery = query.has('X-Amz-Algorithm') || query.has('X-Amz-Signature') || query.has('X-Amz-Credential');
  if (authorization !== undefined && inQuery) {
    throw new S3Error('InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified');
  }
  if (query.has('Signature') || query.has('AWSAccessKeyId') || authorization?.startsWith('AWS ')) {
    throw new S3Error('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
  }
  if (authorization !== undefined) {
    const malformed = (msg: string) => new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${msg}`);
    if (!authorization.startsWith(`${ALGORITHM} `)) {
      throw new S3Error('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
    }
    const fields = new Map<string, string>();
    for (const part of authorization.slice(ALGORITHM.length + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const credential = fields.get('Credential');
    const signedHeaders = fields.get('SignedHeaders');
    const signature = fields.get('Signature');
    if (!credential || !signedHeaders || !signature) throw malformed('it must contain Credential, SignedHeaders and Signature.');
    const cred = parseCredential(credential, malformed);
    const amzDate = header(req.headers, 'x-amz-date');
    if (parseAmzDate(amzDate) === undefined) throw accessDenied('AWS authentication requires a valid Date or x-amz-date header');
    const payloadHash = header(req.headers, 'x-amz-content-sha256');
    if (payloadHash === undefined) throw new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    return {
      kind: 'header',
      ...cred,
      amzDate: amzDate!,
      signedHeaders: signedHeaders.split(';'),
      signature,
      payloadHash,
      securityToken: header(req.headers, 'x-amz-security-token'),
    };
  }
  if (!inQuery) return undefined;
  const bad = (msg: string) => new S3Error('AuthorizationQueryParametersError', msg);
  if (query.get('X-Amz-Algorithm') !== ALGORITHM) throw bad('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const credential = query.get('X-Amz-Credential');
  const amzDate = query.get('X-Amz-Date');
  const expires = query.get('X-Amz-Expires');
  const signedHeaders = query.get('X-Amz-SignedHeaders');
  const signature = query.get('X-Amz-Signature');
  if (!credential || !amzDate || !expires || !signedHeaders || !signature) {
    throw bad('Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  if (parseAmzDate(amzDate) === undefined) throw bad('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  const expiresSeconds = Number(expires);
  if (!/^\d+$/.test(expires) || expiresSeconds > MAX_PRESIGN_SECONDS) {
    throw bad('X-Amz-Expires must be a non-negative integer no greater than 604800 seconds');
  }
  return {
    kind: 'query',
    ...parseCredential(credential, bad),
    amzDate,
    signedHeaders: signedHeaders.split(';'),
    signature,
    payloadHash: [...query].find(([k]) => k.toLowerCase() === 'x-amz-content-sha256')?.[1] ?? 'UNSIGNED-PAYLOAD',
    securityToken: query.get('X-Amz-Security-Token'),
    expiresSeconds,
  };
}

export function signingKey(secretAccessKey: string, scope: string): Buffer {
  const [date, region, service] = scope.split('/') as [string, string, string];
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
}

/**
 * S3 flavour of the canonical request: the path is encoded once and never
 * normalised. `asSent` keeps the client's own percent-encoding; otherwise each
 * segment is re-encoded the RFC 3986 way the AWS SDKs use.
 */
export function canonicalRequest(req: SignedRequest, auth: SigV4Auth, asSent = false): string {
  const uri = (asSent ? req.rawPath : req.rawPath.split('/').map((segment) => uriEncode(decodeComponent(segment))).join('/')) || '/';
  const query = req.rawQuery
    .map(([k, v]) => [uriEncode(decodeComponent(k)), uriEncode(decodeComponent(v))] as const)
    .filter(([k]) => auth.kind === 'header' || k !== 'X-Amz-Signature')
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = auth.signedHeaders
    .map((name) => `${name}:${(req.headersDistinct[name] ?? []).map((v) => v.trim().replace(/\s+/g, ' ')).join(',')}\n`)
    .join('');
  return [req.method, uri, query, headers, auth.signedHeaders.join(';'), auth.payloadHash].join('\n');
}

/** Constant-time string comparison (signatures, session tokens). */
function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks the signature and the request's time window. Returns the signing key
 * (chunked uploads sign each chunk with it).
 */
export function verifySigV4(req: SignedRequest, auth: SigV4Auth, secretAccessKey: string, now: Date): Buffer {
  if (!auth.signedHeaders.includes('host')) throw accessDenied('The host header must be signed');
  const unsigned = Object.keys(req.headers).filter((h) => h.startsWith('x-amz-') && !auth.signedHeaders.includes(h));
  if (auth.kind === 'header' && unsigned.length > 0) {
    throw accessDenied(`There were headers present in the request which were not signed: ${unsigned.join(', ')}`);
  }
  const key = signingKey(secretAccessKey, auth.scope);
  const signatureFor = (asSent: boolean) => {
    const stringToSign = [ALGORITHM, auth.amzDate, auth.scope, sha256Hex(canonicalRequest(req, auth, asSent))].join('\n');
    return { stringToSign, signature: createHmac('sha256', key).update(stringToSign).digest('hex') };
  };
  const given = auth.signature.toLowerCase();
  const { stringToSign, signature } = signatureFor(false);
  // A client may percent-encode differently from the SDKs (%2e, lower-case hex): its own encoding is accepted too.
  if (!sameHex(signature, given) && !sameHex(signatureFor(true).signature, given)) {
    throw new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
      AWSAccessKeyId: auth.accessKeyId,
      StringToSign: stringToSign,
    });
  }
  const signedAt = parseAmzDate(auth.amzDate)!;
  if (auth.kind === 'header') {
    if (Math.abs(now.getTime() - signedAt) > MAX_SKEW_MS) {
      throw new S3Error('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    }
  } else {
    if (signedAt - now.getTime() > MAX_SKEW_MS) throw accessDenied('Request is not valid yet');
    if (now.getTime() > signedAt + auth.expiresSeconds! * 1000) throw accessDenied('Request has expired');
  }
  return key;
}

/** The string a chunk of an aws-chunked STREAMING-AWS4-HMAC-SHA256-PAYLOAD body is signed over. */
export function chunkSignature(key: Buffer, auth: SigV4Auth, previous: string, chunk: Buffer): string {
  const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', auth.amzDate, auth.scope, previous, EMPTY_SHA256, sha256Hex(chunk)].join('\n');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

export { sha256Hex, sameHex };
