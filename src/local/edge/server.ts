// The local edge: a node:http proxy in front of the local origin that applies
// the distribution's behaviours as CloudFront does.
//   - The first behaviour whose path pattern matches (the default last)
//     decides; a method outside its AllowedMethods gets 403.
//   - A behaviour that can never cache (MaxTTL 0, as with CachingDisabled),
//     or a method it does not cache, is passed through: method, body and
//     what the policies forward go to the origin; nothing is stored.
//   - GET/HEAD on a caching behaviour is served from the cache while fresh
//     (X-Cache: Hit, Age); a miss asks the origin once for the whole object
//     however many viewers ask at the same time (request collapsing), stores
//     it for the TTL of cache.ts, and serves Range and conditional requests
//     from it; an expired object is revalidated (If-None-Match /
//     If-Modified-Since; a 304 is a RefreshHit). A HEAD miss is passed on as
//     a HEAD and not stored.
// What reaches the origin follows CloudFront: the values in the cache key
// plus those of the origin request policy; without one, only the key's (and
// the body, content and conditional headers). Host is the origin's unless
// the policy forwards the viewer's; Via and X-Forwarded-For are added, and
// the origin's custom headers (the lock-origin secret) set.
// Not emulated: HTTPS and the viewer protocol policy (the local edge speaks
// plain HTTP), compression (objects are served as the origin sent them),
// signed URLs, functions, field-level encryption, geo restriction, WAF,
// custom error pages, several origins (every behaviour goes to the one local
// origin).
import { randomBytes } from 'node:crypto';
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { ArchctlError } from '../../core/errors.js';
import type { CfnTemplate } from '../../core/types.js';
import { DEFAULT_ERROR_CACHING_MIN_TTL, pickBehaviour, readDistribution, type Behaviour, type Distribution } from './behaviours.js';
import { EdgeCache, cacheKey, cookiePairs, queryPairs, selects, ttlSeconds, type CacheEntry } from './cache.js';
import { etagMatches, handlesReleased, listen, parseRange, startOrigin, type OriginStats } from './origin.js';

export interface EdgeOptions {
  distribution: Distribution;
  /** The origin every behaviour goes to, e.g. http://127.0.0.1:8081 */
  originUrl: string;
  /** Local values of origin custom headers the template only resolves at deploy time, by lower-case name. */
  originHeaderValues?: Record<string, string>;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Clock in ms since the epoch (TTL and Age); default Date.now. */
  now?: () => number;
  /** Bodies kept in memory, at most (default 512 MiB); least recently used out first. */
  maxCacheBytes?: number;
  /** A larger object is streamed through, not stored (default 128 MiB). */
  maxObjectBytes?: number;
  /** CloudFront's origin response timeout (default 30 s): 504 after it. */
  originTimeoutMs?: number;
  /** Told of every viewer request once it is answered (a dev command's request log). */
  onRequest?: (e: EdgeRequestEvent) => void;
}

export interface EdgeRequestEvent {
  method: string;
  /** As the viewer sent it, query string included. */
  url: string;
  /** The behaviour's path pattern (`*` for the default). */
  behaviour: string;
  status: number;
  /** Hit, Miss, RefreshHit or Error (the X-Cache answer without "from edge"). */
  cache: string;
  ms: number;
}

export interface EdgeStats {
  requests: number;
  hits: number;
  /** Requests that waited for another viewer's origin request for the same key (counted in hits). */
  collapsed: number;
  misses: number;
  refreshHits: number;
  passThrough: number;
  /** Methods outside the behaviour's AllowedMethods (403). */
  refused: number;
  /** 502/504 answered because the origin failed or was too slow. */
  originErrors: number;
  originRequests: number;
  /** Body bytes received from the origin. */
  originBytes: number;
  /** Body bytes sent to viewers. */
  bytesToClients: number;
  cachedObjects: number;
  cachedBytes: number;
}

export interface LocalEdge {
  url: string;
  port: number;
  stats(): EdgeStats;
  close(): Promise<void>;
}

const VIA = '1.1 archctl-edge (CloudFront)';
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** Viewer headers CloudFront passes on whatever the policies say: the body's, and conditional and range requests. */
const ALWAYS_FORWARDED = new Set([
  'content-type', 'content-length', 'content-encoding', 'content-md5', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'if-range', 'range', 'max-forwards', 'pragma',
]);
/** A cache fill asks for the whole object on its own terms, never the viewer's range or conditions. */
const NOT_ON_CACHE_FILL = new Set(['range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'if-range']);
/** Response headers never stored: the edge sets them, or they belong to one viewer. */
const NOT_STORED = new Set([...HOP_BY_HOP, 'content-length', 'content-range', 'set-cookie', 'age', 'x-cache', 'accept-ranges']);

type Outcome =
  | { kind: 'entry'; entry: CacheEntry; label: 'Miss' | 'RefreshHit' }
  /** Not storable (TTL 0, or too large): only the leader may read `rest`; the others ask the origin themselves. */
  | { kind: 'stream'; status: number; headers: IncomingHttpHeaders; prefix: Buffer[]; rest: IncomingMessage }
  | { kind: 'error'; status: 502 | 504 };

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(', ') : v);

function storable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !NOT_STORED.has(k)) out[k] = v;
  return out;
}

function relayed(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k) && k !== 'x-cache') out[k] = v;
  return out;
}

export async function startEdge(o: EdgeOptions): Promise<LocalEdge> {
  const d = o.distribution;
  const clock = o.now ?? Date.now;
  const origin = new URL(o.originUrl);
  const originTimeoutMs = o.originTimeoutMs ?? 30_000;
  const maxObjectBytes = o.maxObjectBytes ?? 128 * 1024 * 1024;
  const cache = new EdgeCache(o.maxCacheBytes ?? 512 * 1024 * 1024);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const stats = { requests: 0, hits: 0, collapsed: 0, misses: 0, refreshHits: 0, passThrough: 0, refused: 0, originErrors: 0, originRequests: 0, originBytes: 0, bytesToClients: 0 };

  for (const b of d.behaviours) {
    for (const h of b.originHeaders) {
      if (h.value === undefined && o.originHeaderValues?.[h.name.toLowerCase()] === undefined) {
        throw new ArchctlError(`the origin header ${h.name} of behaviour ${b.pathPattern} is only known once deployed`, `give the local edge a value for it (originHeaderValues['${h.name.toLowerCase()}'])`);
      }
    }
  }

  const errorMinTtl = (status: number) => d.errorCachingMinTtl[status] ?? DEFAULT_ERROR_CACHING_MIN_TTL;

  /** The headers of the origin request for a viewer request, as the behaviour's policies allow. */
  function originHeaders(req: IncomingMessage, b: Behaviour, cacheFill: boolean): OutgoingHttpHeaders {
    const cp = b.cachePolicy;
    const orp = b.originRequestPolicy;
    const out: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name) || ['host', 'cookie', 'via', 'x-forwarded-for', 'expect'].includes(name)) continue;
      if (cacheFill && NOT_ON_CACHE_FILL.has(name)) continue;
      const byPolicy = selects(cp.headers, name) || (orp !== undefined && selects(orp.headers, name));
      const bodyAuth = name === 'authorization' && req.method !== 'GET' && req.method !== 'HEAD';
      if (byPolicy || ALWAYS_FORWARDED.has(name) || bodyAuth) out[name] = value;
    }
    out['user-agent'] ??= 'Amazon CloudFront';
    out.host = orp?.viewerHost && req.headers.host ? req.headers.host : origin.host;
    const cookies = cookiePairs(req.headers.cookie).filter(([n]) => selects(cp.cookies, n) || (orp !== undefined && selects(orp.cookies, n)));
    if (cookies.length) out.cookie = cookies.map(([, raw]) => raw).join('; ');
    const ip = req.socket.remoteAddress ?? '127.0.0.1';
    out['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${one(req.headers['x-forwarded-for'])}, ${ip}` : ip;
    out.via = req.headers.via ? `${one(req.headers.via)}, ${VIA}` : VIA;
    for (const h of b.originHeaders) out[h.name.toLowerCase()] = h.value ?? o.originHeaderValues![h.name.toLowerCase()]!;
    return out;
  }

  /** The path and the query strings the behaviour's policies forward. */
  function originTarget(b: Behaviour, path: string, rawQuery: string): string {
    const orp = b.originRequestPolicy;
    const kept = queryPairs(rawQuery)
      .filter(([n]) => selects(b.cachePolicy.queryStrings, n) || (orp !== undefined && selects(orp.queryStrings, n)))
      .map(([, raw]) => raw);
    return kept.length ? `${path}?${kept.join('&')}` : path;
  }

  function originRequest(method: string, target: string, headers: OutgoingHttpHeaders, body?: IncomingMessage): Promise<IncomingMessage> {
    stats.originRequests++;
    return new Promise((ok, fail) => {
      const r = request({ host: origin.hostname, port: origin.port, method, path: target, headers, agent }, ok);
      r.setTimeout(originTimeoutMs, () => r.destroy(Object.assign(new Error('origin response timeout'), { code: 'ETIMEDOUT' })));
      r.on('error', fail);
      if (body) body.pipe(r);
      else r.end();
    });
  }

  const timedOut = (err: unknown) => (err as { code?: string }).code === 'ETIMEDOUT';

  function answerError(res: ServerResponse, status: number, message: string) {
    if (res.headersSent) return res.destroy();
    const body = Buffer.from(`${message}\n`);
    res.setHeader('x-cache', 'Error from edge');
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length, via: VIA });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }

  /** Streams an origin response to the viewer as it comes (after `prefix`, bytes already read). */
  function relay(res: ServerResponse, status: number, headers: IncomingHttpHeaders, upstream: IncomingMessage, prefix: Buffer[] = []) {
    res.setHeader('x-cache', 'Miss from edge');
    res.writeHead(status, { ...relayed(headers), via: VIA });
    if (res.req.method === 'HEAD') {
      upstream.resume();
      res.end();
      return;
    }
    for (const chunk of prefix) {
      stats.bytesToClients += chunk.length;
      res.write(chunk);
    }
    upstream.on('data', (chunk: Buffer) => {
      stats.originBytes += chunk.length;
      stats.bytesToClients += chunk.length;
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    upstream.pipe(res);
  }

  async function passThrough(req: IncomingMessage, res: ServerResponse, b: Behaviour, path: string, rawQuery: string) {
    const method = req.method ?? 'GET';
    const hasBody = method !== 'GET' && method !== 'HEAD';
    if (!hasBody) req.resume();
    let upstream: IncomingMessage;
    try {
      upstream = await originRequest(method, originTarget(b, path, rawQuery), originHeaders(req, b, false), hasBody ? req : undefined);
    } catch (err) {
      stats.originErrors++;
      return answerError(res, timedOut(err) ? 504 : 502, timedOut(err) ? 'Gateway Timeout' : 'Bad Gateway');
    }
    relay(res, upstream.statusCode ?? 502, upstream.headers, upstream);
  }

  /** The leader's origin request for a key: a stored entry, a stream to relay, or an error. */
  async function fill(req: IncomingMessage, b: Behaviour, path: string, rawQuery: string, key: string, stale: CacheEntry | undefined): Promise<Outcome> {
    const headers = originHeaders(req, b, true);
    const etag = one(stale?.headers.etag);
    const lastModified = one(stale?.headers['last-modified']);
    if (etag) headers['if-none-match'] = etag;
    if (lastModified) headers['if-modified-since'] = lastModified;
    let upstream: IncomingMessage;
    try {
      upstream = await originRequest('GET', originTarget(b, path, rawQuery), headers);
    } catch (err) {
      return { kind: 'error', status: timedOut(err) ? 504 : 502 };
    }
    const now = clock();
    const status = upstream.statusCode ?? 502;
    if (status === 304 && stale) {
      upstream.resume();
      const merged = { ...stale.headers, ...storable(upstream.headers) };
      const ttl = ttlSeconds(b.cachePolicy, stale.status, merged, now, errorMinTtl(stale.status));
      const entry: CacheEntry = { ...stale, headers: merged, storedAt: now, expiresAt: now + ttl * 1000 };
      if (ttl > 0) cache.set(key, entry);
      else cache.delete(key);
      return { kind: 'entry', entry, label: 'RefreshHit' };
    }
    const ttl = ttlSeconds(b.cachePolicy, status, upstream.headers, now, errorMinTtl(status));
    if (ttl === 0 || Number(upstream.headers['content-length']) > maxObjectBytes) {
      cache.delete(key);
      return { kind: 'stream', status, headers: upstream.headers, prefix: [], rest: upstream };
    }
    return new Promise<Outcome>((ok) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const settle = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        upstream.off('data', onData);
        ok(outcome);
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        stats.originBytes += chunk.length;
        chunks.push(chunk);
        if (size > maxObjectBytes) {
          // No Content-Length said so up front: the rest is relayed, not stored.
          upstream.pause();
          settle({ kind: 'stream', status, headers: upstream.headers, prefix: chunks, rest: upstream });
        }
      };
      upstream.on('data', onData);
      upstream.on('end', () => {
        if (settled) return; // relayed past the object limit: nothing to store
        const entry: CacheEntry = { status, headers: storable(upstream.headers), body: Buffer.concat(chunks, size), storedAt: now, expiresAt: now + ttl * 1000 };
        cache.set(key, entry);
        settle({ kind: 'entry', entry, label: 'Miss' });
      });
      upstream.on('error', () => settle({ kind: 'error', status: 502 }));
      upstream.on('close', () => settle({ kind: 'error', status: 502 }));
    });
  }

  function serveEntry(req: IncomingMessage, res: ServerResponse, entry: CacheEntry, label: string) {
    // Set apart so that getHeader sees it (writeHead's own headers bypass it): the request log reads it.
    res.setHeader('x-cache', `${label} from edge`);
    const headers: OutgoingHttpHeaders = { ...entry.headers, age: String(Math.max(0, Math.floor((clock() - entry.storedAt) / 1000))), via: VIA };
    let status = entry.status;
    let body = entry.body;
    if (entry.status === 200) {
      headers['accept-ranges'] = 'bytes';
      const etag = one(entry.headers.etag);
      const lastModified = one(entry.headers['last-modified']);
      const ifNoneMatch = req.headers['if-none-match'];
      const ifModifiedSince = Date.parse(req.headers['if-modified-since'] ?? '');
      const notModified = ifNoneMatch ? etagMatches(ifNoneMatch, etag) : lastModified !== undefined && Date.parse(lastModified) <= ifModifiedSince;
      if (notModified) {
        delete headers['content-type'];
        res.writeHead(304, headers);
        res.end();
        return;
      }
      const ifRange = req.headers['if-range'];
      const range = ifRange && ifRange !== etag && ifRange !== lastModified ? undefined : parseRange(req.headers.range, body.length);
      if (range === 'unsatisfiable') {
        status = 416;
        headers['content-range'] = `bytes */${body.length}`;
        body = Buffer.alloc(0);
      } else if (range) {
        status = 206;
        headers['content-range'] = `bytes ${range.start}-${range.end}/${body.length}`;
        body = body.subarray(range.start, range.end + 1);
      }
    }
    headers['content-length'] = body.length;
    res.writeHead(status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    stats.bytesToClients += body.length;
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    stats.requests++;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    const method = req.method ?? 'GET';
    const b = pickBehaviour(d, path);
    if (o.onRequest) {
      const started = process.hrtime.bigint();
      res.once('close', () =>
        o.onRequest!({
          method,
          url,
          behaviour: b.pathPattern,
          status: res.statusCode,
          cache: String(res.getHeader('x-cache') ?? 'Error').replace(/ from edge$/, ''),
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        }),
      );
    }
    if (!b.allowedMethods.includes(method)) {
      stats.refused++;
      req.resume();
      return answerError(res, 403, 'This distribution is not configured to allow the HTTP request method that was used for this request.');
    }
    if (!b.caching || !b.cachedMethods.includes(method) || (method !== 'GET' && method !== 'HEAD')) {
      stats.passThrough++;
      return passThrough(req, res, b, path, rawQuery);
    }
    req.resume();
    const key = cacheKey(b.cachePolicy, path, rawQuery, req.headers);
    const entry = cache.get(key);
    if (entry && entry.expiresAt > clock()) {
      stats.hits++;
      return serveEntry(req, res, entry, 'Hit');
    }
    if (!entry && method === 'HEAD') {
      stats.misses++;
      return passThrough(req, res, b, path, rawQuery);
    }
    const { leader, result } = cache.collapse(key, () => fill(req, b, path, rawQuery, key, entry));
    const outcome = await result;
    if (outcome.kind === 'error') {
      if (leader) stats.originErrors++;
      return answerError(res, outcome.status, outcome.status === 504 ? 'Gateway Timeout' : 'Bad Gateway');
    }
    if (!leader) {
      if (outcome.kind === 'stream') {
        // The leader's answer could not be shared: this viewer asks the origin itself.
        stats.misses++;
        return passThrough(req, res, b, path, rawQuery);
      }
      stats.hits++;
      stats.collapsed++;
      return serveEntry(req, res, outcome.entry, 'Hit');
    }
    if (outcome.kind === 'stream') {
      stats.misses++;
      return relay(res, outcome.status, outcome.headers, outcome.rest, outcome.prefix);
    }
    if (outcome.label === 'RefreshHit') stats.refreshHits++;
    else stats.misses++;
    serveEntry(req, res, outcome.entry, outcome.label);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => answerError(res, 502, 'Bad Gateway'));
  });
  server.keepAliveTimeout = 65_000;
  const port = await listen(server, o.port ?? 0, o.host ?? '127.0.0.1');
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    port,
    stats: () => ({ ...stats, cachedObjects: cache.size, cachedBytes: cache.bytes }),
    close: async () => {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      agent.destroy();
      await handlesReleased();
    },
  };
}

// The edge stack: the local origin on a folder and the edge of a template in
// front of it. A custom origin header whose value the template resolves at
// deploy time (the lock-origin secret) gets a random local value: the edge
// sends it and the origin refuses requests without it, as the locked load
// balancer does.

export interface EdgeStackOptions {
  /** The rendered offload template (or any template with one CloudFront distribution). */
  template: CfnTemplate;
  /** The folder the origin serves at `/`. */
  filesDir: string;
  /** The edge's port; 0 (default) picks a free one. */
  port?: number;
  /** The origin's port; 0 (default) picks a free one. */
  originPort?: number;
  /** Default 127.0.0.1 for both. */
  host?: string;
  /** Cache-Control the origin sends per file extension (default DEFAULT_CACHE_CONTROL). */
  cacheControl?: Record<string, string>;
  /** Clock for the edge's TTLs (tests). */
  now?: () => number;
  maxCacheBytes?: number;
  maxObjectBytes?: number;
  /** Told of every request the edge answers (for a request log). */
  onRequest?: (e: EdgeRequestEvent) => void;
}

/** One behaviour as a developer reads it. */
export interface BehaviourSummary {
  pathPattern: string;
  cached: boolean;
  cachePolicy: string;
  minTtl: number;
  defaultTtl: number;
  maxTtl: number;
  allowedMethods: string[];
}

export interface EdgeStack {
  edgeUrl: string;
  originUrl: string;
  /** In the order the edge tries them, the default last. */
  behaviours: BehaviourSummary[];
  /** Origin headers with a local value standing in for a deploy-time secret, by name. */
  localOriginHeaders: Record<string, string>;
  stats(): { edge: EdgeStats; origin: OriginStats };
  close(): Promise<void>;
}

export async function startEdgeStack(o: EdgeStackOptions): Promise<EdgeStack> {
  const distribution = readDistribution(o.template);
  const secrets: Record<string, string> = {};
  for (const b of distribution.behaviours) {
    for (const h of b.originHeaders) if (h.value === undefined) secrets[h.name.toLowerCase()] ??= randomBytes(24).toString('base64url');
  }
  const origin = await startOrigin({
    root: o.filesDir,
    ...(o.originPort !== undefined ? { port: o.originPort } : {}),
    ...(o.host ? { host: o.host } : {}),
    ...(o.cacheControl ? { cacheControl: o.cacheControl } : {}),
    requireHeaders: Object.entries(secrets).map(([name, value]) => ({ name, value })),
  });
  const edge = await startEdge({
    distribution,
    originUrl: origin.url,
    originHeaderValues: secrets,
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.host ? { host: o.host } : {}),
    ...(o.now ? { now: o.now } : {}),
    ...(o.maxCacheBytes !== undefined ? { maxCacheBytes: o.maxCacheBytes } : {}),
    ...(o.maxObjectBytes !== undefined ? { maxObjectBytes: o.maxObjectBytes } : {}),
    ...(o.onRequest ? { onRequest: o.onRequest } : {}),
  }).catch(async (err: unknown) => {
    await origin.close();
    throw err;
  });
  return {
    edgeUrl: edge.url,
    originUrl: origin.url,
    behaviours: distribution.behaviours.map((b) => ({
      pathPattern: b.pathPattern,
      cached: b.caching,
      cachePolicy: b.cachePolicy.name,
      minTtl: b.cachePolicy.minTtl,
      defaultTtl: b.cachePolicy.defaultTtl,
      maxTtl: b.cachePolicy.maxTtl,
      allowedMethods: b.allowedMethods,
    })),
    localOriginHeaders: secrets,
    stats: () => ({ edge: edge.stats(), origin: origin.stats() }),
    close: async () => {
      await edge.close();
      await origin.close();
    },
  };
}
