// What the local edge keeps and for how long, by CloudFront's rules:
//   - the TTL of a response from the cache policy and the origin's headers
//     (s-maxage, then max-age, then Expires, clamped to MinTTL..MaxTTL;
//     DefaultTTL when the origin says nothing; no-store / no-cache / private
//     cached only for a MinTTL above 0), and of an error response (the
//     distribution's ErrorCachingMinTTL, 10 s by default);
//   - the cache key: the path plus the query strings, headers and cookies the
//     cache policy names;
//   - an in-memory store, least recently used out first, where concurrent
//     misses for one key share one origin request (request collapsing).
// Objects live in memory: the release files of a burst are a few MB each, and
// one larger than the edge's object limit is streamed through, not stored.
import type { CachePolicy, Selection } from './behaviours.js';

export type HeaderBag = Record<string, string | string[] | undefined>;

/** Success codes CloudFront caches under the TTL rules. */
const CACHED_SUCCESS = new Set([200, 203, 300, 301]);
/** Error codes CloudFront caches for the error-caching TTL (416 never is). */
export const CACHED_ERRORS = new Set([400, 403, 404, 405, 410, 414, 500, 501, 502, 503, 504]);
/** Errors for which the origin's no-store / no-cache / private is honoured; for the others it is ignored. */
const ERRORS_HONOURING_NO_STORE = new Set([404, 410, 414, 501]);

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(', ') : v);

/** Cache-Control directives, lower-cased, with their values (true when bare). */
export function cacheControl(headers: HeaderBag): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (const part of (one(headers['cache-control']) ?? '').split(',')) {
    const [name, ...rest] = part.split('=');
    const key = name!.trim().toLowerCase();
    if (key) out.set(key, rest.length ? rest.join('=').trim().replace(/^"|"$/g, '') : true);
  }
  return out;
}

/** The lifetime the origin gives a response, in seconds, or undefined when it gives none. */
function originLifetime(headers: HeaderBag, nowMs: number): number | undefined {
  const cc = cacheControl(headers);
  for (const directive of ['s-maxage', 'max-age']) {
    const v = cc.get(directive);
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  }
  const expires = one(headers.expires);
  if (expires === undefined) return undefined;
  const at = Date.parse(expires);
  const date = Date.parse(one(headers.date) ?? '');
  // An unparsable Expires ("0", "-1") means already expired.
  return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((at - (Number.isNaN(date) ? nowMs : date)) / 1000));
}

/**
 * How long CloudFront keeps a response, in seconds; 0 means it is not cached.
 * `errorMinTtl` is the distribution's ErrorCachingMinTTL for this status.
 */
export function ttlSeconds(policy: CachePolicy, status: number, headers: HeaderBag, nowMs: number, errorMinTtl: number): number {
  if (policy.maxTtl === 0) return 0;
  const cc = cacheControl(headers);
  const noStore = cc.has('no-store') || cc.has('no-cache') || cc.has('private');
  const lifetime = originLifetime(headers, nowMs);
  if (CACHED_ERRORS.has(status)) {
    if (noStore && ERRORS_HONOURING_NO_STORE.has(status)) return 0;
    return lifetime === undefined ? errorMinTtl : Math.min(Math.max(lifetime, errorMinTtl), policy.maxTtl);
  }
  if (!CACHED_SUCCESS.has(status)) return 0;
  if (noStore) return policy.minTtl;
  if (lifetime === undefined) return Math.max(policy.minTtl, policy.defaultTtl);
  return Math.min(Math.max(lifetime, policy.minTtl), policy.maxTtl);
}

export function selects(sel: Selection, name: string): boolean {
  switch (sel.kind) {
    case 'none':
      return false;
    case 'all':
      return true;
    case 'only':
      return sel.names.includes(name);
    case 'allExcept':
      return !sel.names.includes(name);
  }
}

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

/** The raw `a=1&b=2` pairs in order, each as [decoded name, raw pair]. */
export function queryPairs(rawQuery: string): Array<[string, string]> {
  return rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => [decode(p.split('=')[0]!), p]);
}

/** The Cookie header's cookies in order, each as [name, raw `name=value`]. */
export function cookiePairs(header: string | string[] | undefined): Array<[string, string]> {
  return (one(header) ?? '')
    .split(/;\s*/)
    .filter((c) => c.trim() !== '')
    .map((c) => [c.split('=')[0]!.trim(), c.trim()]);
}

/** The cache key of a request: its path and the query strings, headers and cookies the policy names. */
export function cacheKey(policy: CachePolicy, path: string, rawQuery: string, headers: HeaderBag): string {
  const query = queryPairs(rawQuery)
    .filter(([name]) => selects(policy.queryStrings, name))
    .map(([, raw]) => raw);
  const headerValues = policy.headers.kind === 'only' ? policy.headers.names.map((n) => [n, one(headers[n]) ?? null]) : [];
  const cookies = cookiePairs(headers.cookie)
    .filter(([name]) => selects(policy.cookies, name))
    .map(([, raw]) => raw);
  return JSON.stringify([path, query, headerValues, cookies]);
}

export interface CacheEntry {
  status: number;
  /** The origin's headers as stored (hop-by-hop and Set-Cookie removed). */
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** ms since the epoch when the origin answered (or last confirmed it with a 304). */
  storedAt: number;
  expiresAt: number;
}

/** The edge's object store: least recently used out first, within `maxBytes` of bodies. */
export class EdgeCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<unknown>>();
  private used = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The entry, fresh or stale (the caller compares expiresAt), marked as just used. */
  get(key: string): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Stores an entry, evicting the least recently used ones to make room; false when it cannot fit at all. */
  set(key: string, entry: CacheEntry): boolean {
    this.delete(key);
    if (entry.body.length > this.maxBytes) return false;
    for (const [oldKey] of this.entries) {
      if (this.used + entry.body.length <= this.maxBytes) break;
      this.delete(oldKey);
    }
    this.entries.set(key, entry);
    this.used += entry.body.length;
    return true;
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.used -= entry.body.length;
  }

  /**
   * Request collapsing: the first caller for a key runs `fetch` (the leader);
   * callers that arrive while it runs share its result instead of asking the
   * origin again.
   */
  collapse<T>(key: string, fetch: () => Promise<T>): { leader: boolean; result: Promise<T> } {
    const pending = this.inflight.get(key);
    if (pending) return { leader: false, result: pending as Promise<T> };
    const result = fetch().finally(() => this.inflight.delete(key));
    this.inflight.set(key, result);
    return { leader: true, result };
  }
}
