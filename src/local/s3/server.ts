import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAwsChunked } from './chunked.js';
import { S3Error, accessDenied, sendS3Error } from './errors.js';
import { classify } from './operations.js';
import { evaluatePolicy, type PolicyStatement } from './policy.js';
import { decodeComponent, parseSigV4, sameHex, sha256Hex, splitQuery, verifySigV4, type SignedRequest } from './sigv4.js';

/** What the identity-pool emulator knows about a key it issued. */
export interface LookedUpCredentials {
  secretAccessKey: string;
  /** Temporary credentials carry a session token; requests must present it. */
  sessionToken?: string;
  identityId: string;
  roleArn: string;
  expiration: Date;
}

export type LookupCredentials = (accessKeyId: string) => LookedUpCredentials | undefined;

export interface StartS3Options {
  /** Buckets created at start (physical names). */
  buckets: string[];
  /** roleArn -> the role's resolved identity-policy statements. */
  roles: Record<string, PolicyStatement[]>;
  lookupCredentials: LookupCredentials;
  /** Long-term key for archctl's own tooling: signature checked, policy not. */
  admin?: { accessKeyId: string; secretAccessKey: string };
  /** The region clients sign for; other regions get AuthorizationHeaderMalformed. */
  region: string;
  /** Partition used in resource ARNs (default "aws"). */
  partition?: string;
  /** Proxy port (default 0: a free port). */
  port?: number;
  /** Proxy host (default 127.0.0.1). */
  host?: string;
  /** Where s3rver keeps objects; kept on close. Default: a temporary directory removed on close. */
  directory?: string;
  /** Largest request body accepted (default 256 MiB). */
  maxBodyBytes?: number;
  /** Clock (tests). */
  now?: () => Date;
}

/** An S3 event record as s3rver emits it (`Records[0]` has eventName, s3.bucket.name, s3.object.key...). */
export type S3EventListener = (event: { Records: Array<Record<string, unknown>> }) => void;

export interface LocalS3 {
  /** The S3 endpoint (path-style), e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** s3rver's S3 event notifications, for every object created or removed. */
  onEvent(listener: S3EventListener): () => void;
  close(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  on(event: 'event', listener: S3EventListener): unknown;
  off(event: 'event', listener: S3EventListener): unknown;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

/** Query parameters that carry presigned-URL authentication; never forwarded. */
const AUTH_QUERY = new Set(['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-expires', 'x-amz-signedheaders', 'x-amz-signature', 'x-amz-security-token', 'x-amz-content-sha256']);
/** Headers that belong to the client's signature or transfer encoding, not to the object. */
const DROP_HEADERS = new Set([
  'authorization', 'x-amz-security-token', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-decoded-content-length', 'x-amz-trailer',
  'transfer-encoding', 'content-length', 'connection', 'keep-alive', 'host', 'expect',
]);

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { MaxSizeAllowed: String(limit) });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * Starts s3rver on a private port and, in front of it, the S3 endpoint clients
 * use: it verifies SigV4 (header and presigned URLs, aws-chunked bodies),
 * looks the key up, and authorizes the request against the caller's role
 * policy before forwarding it, unsigned, to s3rver.
 */
export async function startS3(opts: StartS3Options): Promise<LocalS3> {
  const now = opts.now ?? (() => new Date());
  const partition = opts.partition ?? 'aws';
  const maxBody = opts.maxBodyBytes ?? 256 * 1024 * 1024;
  const directory = opts.directory ?? (await mkdtemp(join(tmpdir(), 'archctl-s3-')));
  // s3rver is CommonJS without types; it is loaded only when a local S3 is started.
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;
  const backend = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: opts.buckets.map((name) => ({ name, configs: [] })),
  });
  const backendAddress = await backend.run();
  const agent = new http.Agent({ keepAlive: true });

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const rawQuery = splitQuery(q < 0 ? '' : url.slice(q + 1));
    const signed: SignedRequest = { method, rawPath, rawQuery, headers: req.headers, headersDistinct: req.headersDistinct };

    // Browsers' CORS preflights are unauthenticated on S3 too: s3rver answers them.
    if (method === 'OPTIONS') return forward(req, res, rawPath, rawQuery, undefined);

    const auth = parseSigV4(signed);
    if (!auth) throw accessDenied();
    if (auth.service !== 's3' || auth.region !== opts.region) {
      throw new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${auth.region}' or service '${auth.service}' is wrong; expecting region '${opts.region}' and service 's3'`);
    }
    const isAdmin = opts.admin !== undefined && auth.accessKeyId === opts.admin.accessKeyId;
    const creds = isAdmin ? undefined : opts.lookupCredentials(auth.accessKeyId);
    if (!isAdmin && !creds) {
      throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: auth.accessKeyId });
    }
    if (creds?.sessionToken !== undefined) {
      if (auth.securityToken === undefined || !sameHex(auth.securityToken, creds.sessionToken)) {
        throw new S3Error('InvalidToken', 'The provided token is malformed or otherwise invalid.');
      }
    }
    if (creds && creds.expiration.getTime() <= now().getTime()) throw new S3Error('ExpiredToken', 'The provided token has expired.');
    const key = verifySigV4(signed, auth, isAdmin ? opts.admin!.secretAccessKey : creds!.secretAccessKey, now());

    let body = await readBody(req, maxBody);
    const payload = auth.payloadHash;
    if (payload.startsWith('STREAMING-')) {
      if (payload === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' || payload === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER') {
        body = decodeAwsChunked(body, { key, auth }).body;
      } else if (payload === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') {
        body = decodeAwsChunked(body).body;
      } else {
        throw new S3Error('NotImplemented', `x-amz-content-sha256 ${payload} is not supported by the local S3 endpoint`);
      }
      const declared = first(req.headers['x-amz-decoded-content-length']);
      if (declared !== undefined && Number(declared) !== body.length) {
        throw new S3Error('IncompleteBody', 'You did not provide the number of bytes specified by the x-amz-decoded-content-length header');
      }
    } else if (payload !== 'UNSIGNED-PAYLOAD') {
      if (!/^[0-9a-f]{64}$/i.test(payload) || sha256Hex(body) !== payload.toLowerCase()) {
        throw new S3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
      }
    }

    const query = new Map(rawQuery.map(([k, v]) => [decodeComponent(k), decodeComponent(v)]));
    const operation = classify({ method, rawPath, query, headers: req.headers, body, partition });
    if (!isAdmin) {
      const statements = opts.roles[creds!.roleArn] ?? [];
      const context = {
        ...operation.context,
        'cognito-identity.amazonaws.com:sub': creds!.identityId,
        'aws:SecureTransport': 'false',
        'aws:SourceIp': req.socket.remoteAddress ?? '127.0.0.1',
        'aws:CurrentTime': now().toISOString(),
      };
      for (const check of operation.checks) {
        if (evaluatePolicy(statements, { ...check, context }) !== 'Allow') throw accessDenied();
      }
    }
    return forward(req, res, rawPath, rawQuery, body);
  }

  function forward(req: IncomingMessage, res: ServerResponse, rawPath: string, rawQuery: Array<[string, string]>, body: Buffer | undefined): Promise<void> {
    const query = rawQuery.filter(([k]) => !AUTH_QUERY.has(decodeComponent(k).toLowerCase()));
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || DROP_HEADERS.has(name)) continue;
      if (name === 'content-encoding') {
        const rest = String(value).split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'aws-chunked');
        if (rest.length > 0) headers[name] = rest.join(', ');
        continue;
      }
      headers[name] = value;
    }
    headers['host'] = `127.0.0.1:${backendAddress.port}`;
    if (body !== undefined && (body.length > 0 || ['PUT', 'POST'].includes(req.method ?? ''))) headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: backendAddress.port,
          method: req.method,
          path: rawPath + (query.length > 0 ? `?${query.map(([k, v]) => `${k}=${v}`).join('&')}` : ''),
          headers,
          agent,
        },
        (up) => {
          const out: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(up.headers)) {
            if (value !== undefined && name !== 'connection' && name !== 'keep-alive') out[name] = value;
          }
          res.writeHead(up.statusCode ?? 502, out);
          up.pipe(res);
          up.on('end', resolve);
          up.on('error', reject);
        },
      );
      upstream.on('error', reject);
      if (body === undefined) req.pipe(upstream);
      else upstream.end(body);
    });
  }

  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    handle(req, res, requestId).catch((err: unknown) => {
      const s3err = err instanceof S3Error ? err : new S3Error('InternalError', 'We encountered an internal error. Please try again.');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // Unread request bodies are drained so the client sees the error, not a reset.
      req.resume();
      sendS3Error(res, s3err, requestId, (req.url ?? '/').split('?')[0]!, req.method ?? 'GET');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closed = false;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    onEvent(listener) {
      backend.on('event', listener);
      return () => void backend.off('event', listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      agent.destroy();
      await backend.close();
      if (opts.directory === undefined) await rm(directory, { recursive: true, force: true });
    },
  };
}
