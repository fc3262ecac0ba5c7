// The local stand-in for the app on EC2 + EFS that `archctl offload` puts
// CloudFront in front of: a node:http server that serves the files of a
// folder (GET/HEAD, ETag, Last-Modified, conditional and Range requests,
// Cache-Control by file extension or none, streamed from disk) and a dynamic
// route (`/api/*` by default) answering JSON that must never be cached. It
// counts what it serves, by path, so a burst can show how much the edge took
// off it. With `requireHeaders` it answers 403 to requests without the secret
// origin header, as the locked-origin load balancer's listener rule does.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { ArchctlError } from '../../core/errors.js';

export interface OriginOptions {
  /** The folder served at `/`. */
  root: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Path prefix of the dynamic route (default `/api/`). */
  dynamicPrefix?: string;
  /** Cache-Control sent per file extension (with its dot, lower case); other files get none. Default DEFAULT_CACHE_CONTROL. */
  cacheControl?: Record<string, string>;
  /** Headers every request must carry with these values, else 403 (the locked origin's listener rule). */
  requireHeaders?: Array<{ name: string; value: string }>;
}

/** Small manifests change between releases; the release files themselves get no header (the cache policy's DefaultTTL applies). */
export const DEFAULT_CACHE_CONTROL: Readonly<Record<string, string>> = { '.json': 'max-age=60', '.xml': 'max-age=60', '.html': 'no-cache' };

export interface PathCount {
  requests: number;
  /** Body bytes sent. */
  bytes: number;
}

export interface OriginStats {
  requests: number;
  bytes: number;
  /** Requests and body bytes of everything outside the dynamic route (files, 404s, 304s). */
  staticRequests: number;
  staticBytes: number;
  dynamicRequests: number;
  /** Requests refused for a missing or wrong origin header. */
  forbidden: number;
  byPath: Record<string, PathCount>;
}

export interface LocalOrigin {
  url: string;
  port: number;
  stats(): OriginStats;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.zip': 'application/zip',
  '.exe': 'application/vnd.microsoft.portable-executable',
  '.msi': 'application/x-msi',
  '.dmg': 'application/x-apple-diskimage',
  '.pkg': 'application/octet-stream',
  '.deb': 'application/vnd.debian.binary-package',
  '.rpm': 'application/x-rpm',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

export type ByteRange = { start: number; end: number };

/**
 * A `Range` header against an object of `size` bytes: one range (inclusive
 * ends), 'unsatisfiable' (answer 416), or undefined (no range, a malformed
 * one, or several ranges: answer the whole object, as RFC 9110 allows).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** Whether If-None-Match names this ETag (or is `*`). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string | undefined): boolean {
  if (!ifNoneMatch || !etag) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

const MAX_DYNAMIC_BODY = 1024 * 1024;

/** Listens on host:port (0: a free port) and gives the port; a port in use is a one-line error with the fix. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'EADDRINUSE' || err.code === 'EACCES' ? new ArchctlError(`cannot listen on ${host}:${port} (${err.code})`, 'pick another port, or 0 for a free one') : err),
    );
    server.listen(port, host, () => ok((server.address() as AddressInfo).port));
  });
}

/**
 * A closed server's 'close' event comes before libuv has freed its handles
 * (they go in the loop's close phase): two turns of the loop later they are
 * gone, so whoever awaits close() finds nothing left open.
 */
export async function handlesReleased(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise<void>((ok) => setImmediate(ok));
}

export async function startOrigin(o: OriginOptions): Promise<LocalOrigin> {
  const root = await realpath(o.root);
  const dynamicPrefix = o.dynamicPrefix ?? '/api/';
  const cacheControl = o.cacheControl ?? DEFAULT_CACHE_CONTROL;
  const stats: OriginStats = { requests: 0, bytes: 0, staticRequests: 0, staticBytes: 0, dynamicRequests: 0, forbidden: 0, byPath: {} };
  let dynamicCounter = 0;

  const count = (path: string, dynamic: boolean, bytes: number, request: boolean) => {
    const c = (stats.byPath[path] ??= { requests: 0, bytes: 0 });
    if (request) {
      stats.requests++;
      c.requests++;
      if (dynamic) stats.dynamicRequests++;
      else stats.staticRequests++;
    }
    stats.bytes += bytes;
    c.bytes += bytes;
    if (!dynamic) stats.staticBytes += bytes;
  };

  const send = (res: ServerResponse, path: string, dynamic: boolean, status: number, headers: Record<string, string | number>, body: string) => {
    const buf = Buffer.from(body);
    res.writeHead(status, { ...headers, 'Content-Length': buf.length });
    res.end(res.req.method === 'HEAD' ? undefined : buf);
    count(path, dynamic, res.req.method === 'HEAD' ? 0 : buf.length, false);
  };

  async function dynamicRoute(req: IncomingMessage, res: ServerResponse, path: string, query: string) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_DYNAMIC_BODY) return send(res, path, true, 413, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, '{"message":"body too large"}');
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks);
    const answer = {
      counter: ++dynamicCounter,
      method: req.method,
      path,
      query,
      cookie: req.headers.cookie ?? null,
      authorization: req.headers.authorization ?? null,
      contentType: req.headers['content-type'] ?? null,
      host: req.headers.host ?? null,
      via: req.headers.via ?? null,
      forwardedFor: req.headers['x-forwarded-for'] ?? null,
      bodyBytes: body.length,
      body: body.toString('utf8'),
    };
    send(res, path, true, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, JSON.stringify(answer));
  }

  async function fileRoute(req: IncomingMessage, res: ServerResponse, path: string) {
    const notFound = () => send(res, path, false, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Not Found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, path, false, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }, 'Method Not Allowed\n');
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return send(res, path, false, 400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Bad Request\n');
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return send(res, path, false, 400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Bad Request\n');
    const file = resolve(root, `.${decoded}`);
    if (!file.startsWith(root + sep)) return notFound();
    let info;
    let real;
    try {
      real = await realpath(file);
      info = await stat(real);
    } catch {
      return notFound();
    }
    // Symbolic links that leave the folder are not followed.
    if (!real.startsWith(root + sep) || !info.isFile()) return notFound();
    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const lastModified = info.mtime.toUTCString();
    const headers: Record<string, string | number> = {
      'Content-Type': CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream',
      ETag: etag,
      'Last-Modified': lastModified,
      'Accept-Ranges': 'bytes',
    };
    const cc = cacheControl[extname(real).toLowerCase()];
    if (cc) headers['Cache-Control'] = cc;
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = Date.parse(req.headers['if-modified-since'] ?? '');
    if (ifNoneMatch ? etagMatches(ifNoneMatch, etag) : !Number.isNaN(ifModifiedSince) && Math.floor(info.mtimeMs / 1000) * 1000 <= ifModifiedSince) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const ifRange = req.headers['if-range'];
    const range = ifRange && ifRange !== etag && ifRange !== lastModified ? undefined : parseRange(req.headers.range, info.size);
    if (range === 'unsatisfiable') {
      return send(res, path, false, 416, { 'Content-Range': `bytes */${info.size}`, 'Content-Type': 'text/plain; charset=utf-8' }, 'Range Not Satisfiable\n');
    }
    const { start, end } = range ?? { start: 0, end: info.size - 1 };
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${info.size}`;
    res.writeHead(range ? 206 : 200, { ...headers, 'Content-Length': Math.max(0, end - start + 1) });
    if (req.method === 'HEAD' || info.size === 0) {
      res.end();
      return;
    }
    // Streamed from disk: a release file is never read whole into memory.
    const stream = createReadStream(real, { start, end, highWaterMark: 256 * 1024 });
    stream.on('data', (chunk) => count(path, false, chunk.length, false));
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  }

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);
    const dynamic = path.startsWith(dynamicPrefix);
    count(path, dynamic, 0, true);
    if (o.requireHeaders?.some((h) => req.headers[h.name.toLowerCase()] !== h.value)) {
      stats.forbidden++;
      req.resume();
      return send(res, path, dynamic, 403, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Forbidden\n');
    }
    const handled = dynamic ? dynamicRoute(req, res, path, query) : fileRoute(req, res, path);
    handled.catch(() => {
      if (!res.headersSent) send(res, path, dynamic, 500, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Internal Server Error\n');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  const port = await listen(server, o.port ?? 0, o.host ?? '127.0.0.1');
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    port,
    stats: () => structuredClone(stats),
    close: async () => {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      await handlesReleased();
    },
  };
}
