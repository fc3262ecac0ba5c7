// The local edge and origin of `archctl dev offload`: CloudFront's path
// patterns, TTL rules and cache keys read from a template, then the servers
// over real sockets: hits and misses, request collapsing, Range and
// conditional requests from the cache, error caching, pass-through of
// everything else, the origin lock, and nothing left open afterwards.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isArchctlError } from '../../src/core/errors.js';
import { checkOffloadFlags, dnsOrigin } from '../../src/core/offload/options.js';
import { renderOffloadStack } from '../../src/core/offload/stack.js';
import type { CfnTemplate, JsonObject } from '../../src/core/types.js';
import { ALL_VIEWER_ID, CACHING_DISABLED_ID, pathPatternRegExp, pickBehaviour, readDistribution, type CachePolicy } from '../../src/local/edge/behaviours.js';
import { cacheKey, ttlSeconds } from '../../src/local/edge/cache.js';
import { startEdgeStack, startEdge, startOrigin, type EdgeRequestEvent, type EdgeStack } from '../../src/local/edge/index.js';
import { parseRange } from '../../src/local/edge/origin.js';

const ALL_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'];

function policy(name: string, min: number, dflt: number, max: number, key: JsonObject = {}): JsonObject {
  return {
    Type: 'AWS::CloudFront::CachePolicy',
    Properties: {
      CachePolicyConfig: {
        Name: name,
        MinTTL: min,
        DefaultTTL: dflt,
        MaxTTL: max,
        ParametersInCacheKeyAndForwardedToOrigin: {
          EnableAcceptEncodingGzip: false,
          QueryStringsConfig: { QueryStringBehavior: 'none' },
          HeadersConfig: { HeaderBehavior: 'none' },
          CookiesConfig: { CookieBehavior: 'none' },
          ...key,
        },
      },
    },
  };
}

/** The shape renderOffloadStack produces, with more kinds of behaviour. */
function fixture(patch: (config: JsonObject) => void = () => {}): CfnTemplate {
  const config: JsonObject = {
    Enabled: true,
    Origins: [{ Id: 'app', DomainName: 'app.example.com', CustomOriginConfig: { OriginProtocolPolicy: 'https-only' } }],
    CacheBehaviors: [
      { PathPattern: '/api/cached/*', TargetOriginId: 'app', CachePolicyId: { Ref: 'Keyed' } },
      { PathPattern: '/api/bare/*', TargetOriginId: 'app', CachePolicyId: CACHING_DISABLED_ID, AllowedMethods: ALL_METHODS },
      { PathPattern: 'updates/*', TargetOriginId: 'app', CachePolicyId: { Ref: 'Files' } },
      { PathPattern: '*.zip', TargetOriginId: 'app', CachePolicyId: { Ref: 'Files' } },
      { PathPattern: '/v?/*.txt', TargetOriginId: 'app', CachePolicyId: { 'Fn::GetAtt': ['Files', 'Id'] }, AllowedMethods: ['GET', 'HEAD', 'OPTIONS'] },
    ],
    DefaultCacheBehavior: { TargetOriginId: 'app', CachePolicyId: CACHING_DISABLED_ID, OriginRequestPolicyId: ALL_VIEWER_ID, AllowedMethods: ALL_METHODS },
  };
  patch(config);
  return {
    Resources: {
      Files: policy('files', 0, 300, 3600) as never,
      Keyed: policy('keyed', 5, 60, 600, {
        QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: ['lang'] },
        HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['X-Variant'] },
        CookiesConfig: { CookieBehavior: 'whitelist', Cookies: ['tier'] },
      }) as never,
      Dist: { Type: 'AWS::CloudFront::Distribution', Properties: { DistributionConfig: config } },
    },
  };
}

const defaultOffload = () => renderOffloadStack({ origin: dnsOrigin('origin.example.com'), ...checkOffloadFlags({}) });

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request on its own connection (no pool left behind). */
function call(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((ok, fail) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(opts.body);
  });
}

const json = (a: Answer) => JSON.parse(a.body.toString('utf8')) as Record<string, unknown>;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sockets = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
/** The count once the test's own client connections (closed by the servers) have been freed too; bounded. */
let socketsBaseline = 0;
async function socketsSettle(): Promise<number> {
  for (let i = 0; i < 50 && sockets() > socketsBaseline; i++) await new Promise((ok) => setTimeout(ok, 10));
  return sockets();
}

function thrown(fn: () => unknown): { message: string; fix: string } {
  try {
    fn();
  } catch (err) {
    if (isArchctlError(err)) return { message: err.message, fix: err.fix };
    throw err;
  }
  throw new Error('expected an ArchctlError');
}

describe('path patterns (CloudFront semantics)', () => {
  const d = readDistribution(fixture());
  const pick = (path: string) => pickBehaviour(d, path).pathPattern;

  it('the first matching behaviour wins, the default catches the rest', () => {
    expect(pick('/api/cached/app.zip')).toBe('/api/cached/*'); // also matches *.zip, which comes later
    expect(pick('/downloads/app.zip')).toBe('*.zip');
    expect(pick('/api/other')).toBe('*');
    expect(pick('/')).toBe('*');
  });

  it('* spans slashes, ? is exactly one character, matching is case-sensitive', () => {
    expect(pick('/a/b/c/deep.zip')).toBe('*.zip');
    expect(pick('/v1/notes.txt')).toBe('/v?/*.txt');
    expect(pick('/v1/sub/notes.txt')).toBe('/v?/*.txt');
    expect(pick('/v10/notes.txt')).toBe('*');
    expect(pick('/v/notes.txt')).toBe('*');
    expect(pick('/APP.ZIP')).toBe('*');
    expect(pick('/Updates/a.bin')).toBe('*');
  });

  it('a pattern without a leading slash behaves as if it had one', () => {
    expect(pick('/updates/a.bin')).toBe('updates/*');
    expect(pathPatternRegExp('updates/*').source).toBe(pathPatternRegExp('/updates/*').source);
    expect(pathPatternRegExp('*.zip').test('/x.zip')).toBe(true);
  });

  it('regular expression characters in a pattern are literal', () => {
    const re = pathPatternRegExp('/a+b/(x).[z]ip');
    expect(re.test('/a+b/(x).[z]ip')).toBe(true);
    expect(re.test('/aab/x.zip')).toBe(false);
  });

  it('reads the real rendered offload template: default paths cached for --ttl, everything else passed through with AllViewer', () => {
    const real = readDistribution(renderOffloadStack({ origin: dnsOrigin('origin.example.com'), ...checkOffloadFlags({ ttl: '3600' }) }));
    const at = (path: string) => pickBehaviour(real, path);
    expect(real.behaviours.map((b) => b.pathPattern)).toEqual(['/updates/*', '*.zip', '*.exe', '*.msi', '*.dmg', '*.pkg', '*.deb', '*.rpm', '*']);
    for (const path of ['/updates/any/file.bin', '/download/App-1.2.exe', '/x.msi', '/y.dmg', '/z.pkg', '/a.deb', '/b.rpm', '/c.zip']) {
      expect(at(path).caching, path).toBe(true);
      expect(at(path).cachePolicy).toMatchObject({ name: 'DownloadCachePolicy', minTtl: 0, defaultTtl: 3600, maxTtl: 3600, queryStrings: { kind: 'none' }, cookies: { kind: 'none' } });
    }
    const fallback = at('/api/login');
    expect(fallback).toMatchObject({ isDefault: true, caching: false, allowedMethods: ALL_METHODS, originRequestPolicy: { name: 'AllViewer', viewerHost: true } });
    expect(at('/C.ZIP').isDefault).toBe(true);
  });

  it('--domain: the cached paths forward the viewer Host (and nothing else) through the template\'s own origin request policy', () => {
    const flags = checkOffloadFlags({ domain: 'downloads.example.com', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789' });
    const real = readDistribution(renderOffloadStack({ origin: dnsOrigin('origin.example.com'), ...flags }));
    expect(pickBehaviour(real, '/updates/a.zip').originRequestPolicy).toEqual({
      name: 'DownloadOriginRequestPolicy',
      queryStrings: { kind: 'none' },
      headers: { kind: 'only', names: ['host'] },
      cookies: { kind: 'none' },
      viewerHost: true,
    });
    expect(readDistribution(defaultOffload()).behaviours[0]!.originRequestPolicy).toBeUndefined();
  });

  it('--lock-origin: the secret header is known only once deployed', () => {
    const real = readDistribution(renderOffloadStack({ origin: dnsOrigin('origin.example.com'), ...checkOffloadFlags({ lockOrigin: true }) }));
    for (const b of real.behaviours) expect(b.originHeaders).toEqual([{ name: 'X-Origin-Verify', value: undefined }]);
  });
});

describe('template shapes the local edge cannot honour are named', () => {
  it('no distribution, or two', () => {
    expect(thrown(() => readDistribution({ Resources: {} })).message).toContain('exactly one AWS::CloudFront::Distribution in the template, found 0');
    const t = fixture();
    t.Resources.Second = t.Resources.Dist!;
    expect(thrown(() => readDistribution(t)).message).toContain('found 2');
  });

  it('an unknown managed cache policy', () => {
    const e = thrown(() => readDistribution(fixture((c) => ((c.DefaultCacheBehavior as JsonObject).CachePolicyId = 'b2884449-e4de-46a7-ac36-70bc7f1ddd6d'))));
    expect(e.message).toBe("the local edge cannot honour Dist.DistributionConfig.DefaultCacheBehavior.CachePolicyId 'b2884449-e4de-46a7-ac36-70bc7f1ddd6d'");
    expect(e.fix).toContain(CACHING_DISABLED_ID);
  });

  it('legacy ForwardedValues, a Ref to nothing, an intrinsic TTL, a header "all" in a cache policy, a custom error page', () => {
    const legacy = thrown(() => readDistribution(fixture((c) => (c.DefaultCacheBehavior = { TargetOriginId: 'app', ForwardedValues: { QueryString: true } }))));
    expect(legacy.message).toContain('DefaultCacheBehavior without a CachePolicyId (legacy ForwardedValues');
    const missing = thrown(() => readDistribution(fixture((c) => ((c.DefaultCacheBehavior as JsonObject).CachePolicyId = { Ref: 'Nope' }))));
    expect(missing.message).toContain('Nope is not an AWS::CloudFront::CachePolicy of this template');
    const t = fixture();
    ((t.Resources.Files!.Properties!.CachePolicyConfig as JsonObject).DefaultTTL as unknown) = { Ref: 'Ttl' };
    expect(thrown(() => readDistribution(t)).message).toBe('the local edge cannot honour Files.CachePolicyConfig.DefaultTTL = {"Ref":"Ttl"}');
    const u = fixture();
    ((u.Resources.Keyed!.Properties!.CachePolicyConfig as JsonObject).ParametersInCacheKeyAndForwardedToOrigin as JsonObject).HeadersConfig = { HeaderBehavior: 'allViewer' };
    expect(thrown(() => readDistribution(u)).message).toContain('HeadersConfig.HeaderBehavior = "allViewer"');
    const page = thrown(() => readDistribution(fixture((c) => (c.CustomErrorResponses = [{ ErrorCode: 404, ResponsePagePath: '/404.html', ResponseCode: 404 }]))));
    expect(page.message).toContain('with a custom error page');
    const origin = thrown(() => readDistribution(fixture((c) => ((c.DefaultCacheBehavior as JsonObject).TargetOriginId = 'group'))));
    expect(origin.message).toContain("TargetOriginId = \"group\": not one of the distribution's Origins");
  });
});

describe('TTL rules', () => {
  const p: CachePolicy = { name: 'p', minTtl: 0, defaultTtl: 300, maxTtl: 3600, queryStrings: { kind: 'none' }, headers: { kind: 'none' }, cookies: { kind: 'none' } };
  const withMin = { ...p, minTtl: 30 };
  const now = Date.parse('2030-01-01T00:00:00Z');
  const ttl = (status: number, headers: Record<string, string>, policy = p, errorMin = 10) => ttlSeconds(policy, status, headers, now, errorMin);

  it('the origin max-age within MinTTL..MaxTTL, else clamped; DefaultTTL when the origin says nothing', () => {
    expect(ttl(200, {})).toBe(300);
    expect(ttl(200, { 'cache-control': 'public, max-age=120' })).toBe(120);
    expect(ttl(200, { 'cache-control': 'max-age=999999' })).toBe(3600);
    expect(ttl(200, { 'cache-control': 'max-age=5' }, withMin)).toBe(30);
    expect(ttl(200, { 'cache-control': 'max-age=0' })).toBe(0);
    expect(ttl(200, {}, { ...p, minTtl: 400, defaultTtl: 400 })).toBe(400);
  });

  it('s-maxage before max-age, max-age before Expires', () => {
    expect(ttl(200, { 'cache-control': 'max-age=100, s-maxage=200' })).toBe(200);
    const date = new Date(now).toUTCString();
    expect(ttl(200, { expires: new Date(now + 90_000).toUTCString(), date })).toBe(90);
    expect(ttl(200, { expires: new Date(now + 90_000).toUTCString(), date, 'cache-control': 'max-age=10' })).toBe(10);
    expect(ttl(200, { expires: '0' })).toBe(0);
  });

  it('no-store / no-cache / private: not cached with MinTTL 0, cached for MinTTL above 0', () => {
    for (const cc of ['no-store', 'no-cache', 'private, max-age=600']) {
      expect(ttl(200, { 'cache-control': cc }), cc).toBe(0);
      expect(ttl(200, { 'cache-control': cc }, withMin), cc).toBe(30);
    }
  });

  it('MaxTTL 0 (CachingDisabled) caches nothing, errors included', () => {
    const disabled = { ...p, defaultTtl: 0, maxTtl: 0 };
    expect(ttl(200, { 'cache-control': 'max-age=600' }, disabled)).toBe(0);
    expect(ttl(404, {}, disabled)).toBe(0);
  });

  it('errors: ErrorCachingMinTTL (10 s by default), a longer origin max-age up to MaxTTL, no-store honoured only for 404/410/414/501', () => {
    expect(ttl(404, {})).toBe(10);
    expect(ttl(503, {}, p, 60)).toBe(60);
    expect(ttl(404, { 'cache-control': 'max-age=120' })).toBe(120);
    expect(ttl(404, { 'cache-control': 'max-age=2' })).toBe(10);
    expect(ttl(404, { 'cache-control': 'max-age=99999' })).toBe(3600);
    expect(ttl(404, { 'cache-control': 'no-store' })).toBe(0);
    expect(ttl(500, { 'cache-control': 'no-store' })).toBe(10);
    expect(ttl(416, {})).toBe(0);
    expect(ttl(206, {})).toBe(0);
    expect(ttl(302, {})).toBe(0);
  });
});

describe('cache key', () => {
  const d = readDistribution(fixture());
  const files = pickBehaviour(d, '/updates/a.zip').cachePolicy;
  const keyed = pickBehaviour(d, '/api/cached/x').cachePolicy;

  it('ignores the query string, headers and cookies when the policy names none', () => {
    expect(cacheKey(files, '/updates/a.zip', 'v=1', { cookie: 'session=a', 'x-variant': 'b' })).toBe(cacheKey(files, '/updates/a.zip', 'v=2&x=3', {}));
    expect(cacheKey(files, '/updates/a.zip', '', {})).not.toBe(cacheKey(files, '/updates/b.zip', '', {}));
  });

  it('keeps only the named query strings, headers (any case) and cookies', () => {
    const k = (q: string, h: Record<string, string>) => cacheKey(keyed, '/api/cached/x', q, h);
    expect(k('lang=en&t=1', { cookie: 'tier=gold; session=1' })).toBe(k('t=2&lang=en', { cookie: 'session=2; tier=gold' }));
    expect(k('lang=en', {})).not.toBe(k('lang=fr', {}));
    expect(k('Lang=en', {})).not.toBe(k('lang=en', {}));
    expect(k('', { 'x-variant': 'b' })).not.toBe(k('', {}));
    expect(k('', { cookie: 'tier=gold' })).not.toBe(k('', { cookie: 'tier=free' }));
  });
});

describe('byte ranges', () => {
  it('one range, open and suffix ranges, unsatisfiable, or the whole object', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 });
    expect(parseRange('bytes=500-5000', 1000)).toEqual({ start: 500, end: 999 });
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 1000)).toBeUndefined();
    expect(parseRange('bytes=9-3', 1000)).toBeUndefined();
    expect(parseRange('items=0-1', 1000)).toBeUndefined();
    expect(parseRange(undefined, 1000)).toBeUndefined();
  });
});

describe('the local edge and origin over real sockets', () => {
  const files = mkdtempSync(join(tmpdir(), 'archctl-edge-test-'));
  const zip = randomBytes(1024 * 1024);
  let clock = Date.parse('2030-01-01T00:00:00Z');
  let stack: EdgeStack;
  let socketsBefore: number;

  const start = async (template: CfnTemplate = fixture()) =>
    startEdgeStack({ template, filesDir: files, now: () => clock, cacheControl: { '.json': 'max-age=60', '.txt': 'max-age=999999' } });

  beforeAll(async () => {
    socketsBefore = sockets();
    socketsBaseline = socketsBefore;
    mkdirSync(join(files, 'updates'));
    mkdirSync(join(files, 'v1'));
    mkdirSync(join(files, 'other'));
    writeFileSync(join(files, 'updates/a.zip'), zip);
    writeFileSync(join(files, 'updates/manifest.json'), '{"version":"1.0.0"}');
    writeFileSync(join(files, 'v1/notes.txt'), 'release notes');
    writeFileSync(join(files, 'other/file.bin'), 'not cached');
    stack = await start();
  });

  afterAll(async () => {
    await stack.close();
    rmSync(files, { recursive: true, force: true });
  });

  const edge = (path: string, opts?: Parameters<typeof call>[1]) => call(`${stack.edgeUrl}${path}`, opts);
  const origin = () => stack.stats().origin;

  it('a miss then hits: one origin request, X-Cache and Age from the edge, the same bytes', async () => {
    const first = await edge('/updates/a.zip');
    expect(first.status).toBe(200);
    expect(first.headers['x-cache']).toBe('Miss from edge');
    expect(first.headers.via).toBe('1.1 archctl-edge (CloudFront)');
    clock += 7_000;
    const second = await edge('/updates/a.zip');
    expect(second.headers['x-cache']).toBe('Hit from edge');
    expect(second.headers.age).toBe('7');
    expect(second.headers['content-length']).toBe(String(zip.length));
    expect(sha(second.body)).toBe(sha(zip));
    expect(origin().byPath['/updates/a.zip']).toEqual({ requests: 1, bytes: zip.length });
  });

  it('the query string is not in the key (and not sent) when the policy says none', async () => {
    await edge('/updates/a.zip?v=1');
    const again = await edge('/updates/a.zip?v=2&cachebust=3');
    expect(again.headers['x-cache']).toBe('Hit from edge');
    expect(origin().byPath['/updates/a.zip']!.requests).toBe(1);
  });

  it('whitelisted query strings, headers and cookies make the key and are all the origin gets', async () => {
    const a = await edge('/api/cached/item?lang=en&t=1', { headers: { cookie: 'tier=gold; session=s1', 'x-variant': 'b', authorization: 'Bearer x' } });
    const b = await edge('/api/cached/item?t=2&lang=en', { headers: { cookie: 'session=s2; tier=gold', 'X-Variant': 'b' } });
    const c = await edge('/api/cached/item?lang=fr', { headers: { cookie: 'tier=gold', 'x-variant': 'b' } });
    expect([a, b, c].map((r) => r.headers['x-cache'])).toEqual(['Miss from edge', 'Hit from edge', 'Miss from edge']);
    // The origin says no-store, but the policy's MinTTL is 5 s: CloudFront keeps it that long.
    expect(a.headers['cache-control']).toBe('no-store');
    expect(json(a)).toMatchObject({ query: 'lang=en', cookie: 'tier=gold', authorization: null, host: new URL(stack.originUrl).host });
    expect(json(b)).toEqual(json(a));
    clock += 6_000;
    expect((await edge('/api/cached/item?lang=en', { headers: { cookie: 'tier=gold', 'x-variant': 'b' } })).headers['x-cache']).toBe('Miss from edge');
  });

  it('TTL from the origin max-age: a hit until it expires, then revalidated with a 304 (RefreshHit)', async () => {
    const first = await edge('/updates/manifest.json');
    expect(first.headers['x-cache']).toBe('Miss from edge');
    clock += 59_000;
    expect((await edge('/updates/manifest.json')).headers['x-cache']).toBe('Hit from edge');
    clock += 2_000;
    const refreshed = await edge('/updates/manifest.json');
    expect(refreshed.headers['x-cache']).toBe('RefreshHit from edge');
    expect(refreshed.body.toString()).toBe('{"version":"1.0.0"}');
    expect(origin().byPath['/updates/manifest.json']).toEqual({ requests: 2, bytes: first.body.length });
    expect((await edge('/updates/manifest.json')).headers.age).toBe('0');
  });

  it('an origin max-age above MaxTTL is capped; no header gets DefaultTTL', async () => {
    await edge('/v1/notes.txt');
    clock += 3_599_000;
    expect((await edge('/v1/notes.txt')).headers['x-cache']).toBe('Hit from edge');
    clock += 2_000;
    expect((await edge('/v1/notes.txt')).headers['x-cache']).toBe('RefreshHit from edge');
    // a.zip has no Cache-Control: DefaultTTL 300 s passed long ago
    expect((await edge('/updates/a.zip')).headers['x-cache']).toBe('RefreshHit from edge');
  });

  it('a changed file after expiry is fetched again (the ETag no longer matches)', async () => {
    const fresh = await start();
    try {
      await call(`${fresh.edgeUrl}/updates/manifest.json`);
      writeFileSync(join(files, 'updates/manifest.json'), '{"version":"1.0.1"}');
      clock += 61_000;
      const next = await call(`${fresh.edgeUrl}/updates/manifest.json`);
      expect(next.headers['x-cache']).toBe('Miss from edge');
      expect(next.body.toString()).toBe('{"version":"1.0.1"}');
    } finally {
      await fresh.close();
    }
  });

  it('the default behaviour (CachingDisabled + AllViewer) passes a POST through with body, cookies, query and viewer Host, every time', async () => {
    const body = JSON.stringify({ user: 'ana', password: 'x'.repeat(5000) });
    const send = () => edge('/api/login?next=%2Fhome', { method: 'POST', body, headers: { 'content-type': 'application/json', cookie: 'session=abc; theme=dark', 'x-request-id': 'r1' } });
    const a = await send();
    const b = await send();
    expect(a.status).toBe(200);
    expect([a.headers['x-cache'], b.headers['x-cache']]).toEqual(['Miss from edge', 'Miss from edge']);
    expect(json(a)).toMatchObject({ method: 'POST', path: '/api/login', query: 'next=%2Fhome', cookie: 'session=abc; theme=dark', contentType: 'application/json', bodyBytes: body.length, body, host: new URL(stack.edgeUrl).host, via: '1.1 archctl-edge (CloudFront)' });
    expect(json(b).counter).toBe((json(a).counter as number) + 1);
  });

  it('a CachingDisabled behaviour never caches, not even a static file', async () => {
    const before = origin().byPath['/other/file.bin']?.requests ?? 0;
    const a = await edge('/other/file.bin');
    const b = await edge('/other/file.bin');
    expect([a.headers['x-cache'], b.headers['x-cache']]).toEqual(['Miss from edge', 'Miss from edge']);
    expect(origin().byPath['/other/file.bin']!.requests).toBe(before + 2);
  });

  it('without an origin request policy, CachingDisabled forwards no cookie and no query string (as CloudFront does)', async () => {
    const r = await edge('/api/bare/x?a=1', { method: 'PUT', body: 'data', headers: { cookie: 'session=abc', 'content-type': 'text/plain' } });
    expect(json(r)).toMatchObject({ method: 'PUT', query: '', cookie: null, body: 'data', host: new URL(stack.originUrl).host });
  });

  it('a method outside AllowedMethods gets 403 from the edge, without reaching the origin', async () => {
    const before = origin().requests;
    const r = await edge('/updates/a.zip', { method: 'POST', body: 'x' });
    expect(r.status).toBe(403);
    expect(r.headers['x-cache']).toBe('Error from edge');
    expect(origin().requests).toBe(before);
    // OPTIONS is allowed on /v?/*.txt but not cached: it passes through (the file server answers 405)
    const opts = await edge('/v1/notes.txt', { method: 'OPTIONS' });
    expect(opts.status).toBe(405);
    expect(origin().requests).toBe(before + 1);
  });

  it('request collapsing: 50 concurrent misses for one object make ONE origin request', async () => {
    // GIVEN an origin that holds its answer until all 50 viewers are waiting at the edge
    const body = randomBytes(256 * 1024);
    let originRequests = 0;
    let release!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    const slow = createServer((_req, res) => {
      originRequests++;
      void gate.then(() => res.writeHead(200, { 'content-length': body.length, etag: '"v1"' }).end(body));
    });
    await new Promise<void>((ok) => slow.listen(0, '127.0.0.1', ok));
    const e = await startEdge({ distribution: readDistribution(defaultOffload()), originUrl: `http://127.0.0.1:${(slow.address() as AddressInfo).port}` });
    try {
      // WHEN 50 viewers ask for the same cold object at once
      const answers = Promise.all(Array.from({ length: 50 }, () => call(`${e.url}/updates/slow.zip`)));
      while (e.stats().requests < 50) await new Promise((ok) => setTimeout(ok, 5));
      release();
      const all = await answers;
      // THEN the origin was asked once, and everyone got the object
      expect(originRequests).toBe(1);
      expect(all.every((a) => a.status === 200 && sha(a.body) === sha(body))).toBe(true);
      expect(all.filter((a) => a.headers['x-cache'] === 'Miss from edge')).toHaveLength(1);
      expect(e.stats()).toMatchObject({ originRequests: 1, misses: 1, hits: 49, collapsed: 49 });
    } finally {
      await e.close();
      await new Promise<void>((ok) => {
        slow.close(() => ok());
        slow.closeAllConnections();
      });
    }
  });

  it('Range requests are served from the cached full object (206, 416), a cold Range miss fetches the whole object once', async () => {
    writeFileSync(join(files, 'updates/r.zip'), zip);
    const cold = await edge('/updates/r.zip', { headers: { range: 'bytes=100-199' } });
    expect(cold.status).toBe(206);
    expect(cold.headers['content-range']).toBe(`bytes 100-199/${zip.length}`);
    expect(cold.body.equals(zip.subarray(100, 200))).toBe(true);
    expect(origin().byPath['/updates/r.zip']).toEqual({ requests: 1, bytes: zip.length });
    const tail = await edge('/updates/r.zip', { headers: { range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(tail.body.equals(zip.subarray(zip.length - 10))).toBe(true);
    expect(tail.headers['x-cache']).toBe('Hit from edge');
    const beyond = await edge('/updates/r.zip', { headers: { range: `bytes=${zip.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${zip.length}`);
    const stale = await edge('/updates/r.zip', { headers: { range: 'bytes=0-9', 'if-range': '"not-the-etag"' } });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBe(zip.length);
    expect(origin().byPath['/updates/r.zip']!.requests).toBe(1);
  });

  it('conditional requests and HEAD are answered from the cache', async () => {
    const full = await edge('/updates/r.zip');
    const etag = full.headers.etag as string;
    const notModified = await edge('/updates/r.zip', { headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    const head = await edge('/updates/r.zip', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(zip.length));
    expect(head.headers['x-cache']).toBe('Hit from edge');
    expect(origin().byPath['/updates/r.zip']!.requests).toBe(1);
  });

  it('a 404 is cached for 10 s (CloudFront default error caching), not forever', async () => {
    const a = await edge('/updates/later.zip');
    expect([a.status, a.headers['x-cache']]).toEqual([404, 'Miss from edge']);
    writeFileSync(join(files, 'updates/later.zip'), 'now here');
    clock += 9_000;
    const b = await edge('/updates/later.zip');
    expect([b.status, b.headers['x-cache']]).toEqual([404, 'Hit from edge']);
    clock += 2_000;
    const c = await edge('/updates/later.zip');
    expect([c.status, c.headers['x-cache'], c.body.toString()]).toEqual([200, 'Miss from edge', 'now here']);
  });

  it('CustomErrorResponses ErrorCachingMinTTL changes it', async () => {
    const custom = await start(fixture((c) => (c.CustomErrorResponses = [{ ErrorCode: 404, ErrorCachingMinTTL: 0 }])));
    try {
      await call(`${custom.edgeUrl}/updates/missing.zip`);
      await call(`${custom.edgeUrl}/updates/missing.zip`);
      expect(custom.stats().origin.byPath['/updates/missing.zip']!.requests).toBe(2);
    } finally {
      await custom.close();
    }
  });

  it('the origin: Range, HEAD, ETag/304, 404, no way out of its folder, Cache-Control by extension', async () => {
    const o = (path: string, opts?: Parameters<typeof call>[1]) => call(`${stack.originUrl}${path}`, opts);
    const part = await o('/updates/a.zip', { headers: { range: 'bytes=10-19' } });
    expect([part.status, part.headers['content-range'], part.body.equals(zip.subarray(10, 20))]).toEqual([206, `bytes 10-19/${zip.length}`, true]);
    expect((await o('/updates/a.zip', { headers: { range: 'bytes=99999999-' } })).status).toBe(416);
    const head = await o('/updates/a.zip', { method: 'HEAD' });
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, String(zip.length), 0]);
    expect(head.headers['cache-control']).toBeUndefined();
    expect((await o('/updates/a.zip', { headers: { 'if-none-match': head.headers.etag as string } })).status).toBe(304);
    expect((await o('/updates/manifest.json')).headers['cache-control']).toBe('max-age=60');
    expect((await o('/nothing')).status).toBe(404);
    expect((await o('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    expect((await o('/updates')).status).toBe(404);
    expect((await o('/%E0%A4%A')).status).toBe(400);
    expect((await o('/api/anything', { method: 'DELETE' })).headers['cache-control']).toBe('no-store');
  });

  it('--lock-origin: the edge sends the secret header; the origin refuses anyone without it', async () => {
    const locked = await start(renderOffloadStack({ origin: dnsOrigin('origin.example.com'), ...checkOffloadFlags({ lockOrigin: true }) }));
    try {
      expect(Object.keys(locked.localOriginHeaders)).toEqual(['x-origin-verify']);
      expect((await call(`${locked.edgeUrl}/updates/a.zip`)).status).toBe(200);
      expect((await call(`${locked.edgeUrl}/api/status`)).status).toBe(200);
      expect((await call(`${locked.originUrl}/updates/a.zip`)).status).toBe(403);
      expect((await call(`${locked.originUrl}/api/status`, { headers: { 'x-origin-verify': 'guess' } })).status).toBe(403);
      expect(locked.stats().origin.forbidden).toBe(2);
    } finally {
      await locked.close();
    }
  });

  it('tells onRequest of every answered request: behaviour, status, cache result', async () => {
    const events: EdgeRequestEvent[] = [];
    const logged = await startEdgeStack({ template: fixture(), filesDir: files, onRequest: (e) => events.push(e) });
    try {
      await call(`${logged.edgeUrl}/updates/a.zip?x=1`);
      await call(`${logged.edgeUrl}/updates/a.zip`, { method: 'HEAD' });
      await call(`${logged.edgeUrl}/api/login`, { method: 'POST', body: '{}' });
      await call(`${logged.edgeUrl}/updates/a.zip`, { method: 'DELETE' });
    } finally {
      await logged.close();
    }
    expect(events.map(({ ms, ...e }) => (expect(ms).toBeGreaterThanOrEqual(0), e))).toEqual([
      { method: 'GET', url: '/updates/a.zip?x=1', behaviour: 'updates/*', status: 200, cache: 'Miss' },
      { method: 'HEAD', url: '/updates/a.zip', behaviour: 'updates/*', status: 200, cache: 'Hit' },
      { method: 'POST', url: '/api/login', behaviour: '*', status: 200, cache: 'Miss' },
      { method: 'DELETE', url: '/updates/a.zip', behaviour: 'updates/*', status: 403, cache: 'Error' },
    ]);
  });

  it('an object above the edge object limit is streamed through, not stored', async () => {
    const o = await startOrigin({ root: files });
    const e = await startEdge({ distribution: readDistribution(defaultOffload()), originUrl: o.url, maxObjectBytes: 64 * 1024 });
    try {
      const a = await call(`${e.url}/updates/a.zip`);
      const b = await call(`${e.url}/updates/a.zip`);
      expect(sha(a.body)).toBe(sha(zip));
      expect(sha(b.body)).toBe(sha(zip));
      expect(o.stats().byPath['/updates/a.zip']!.requests).toBe(2);
      expect(e.stats()).toMatchObject({ cachedObjects: 0, misses: 2 });
    } finally {
      await e.close();
      await o.close();
    }
  });

  it('an object without Content-Length that grows past the limit is relayed whole, and not stored', async () => {
    const body = randomBytes(200 * 1024);
    let originRequests = 0;
    const chunked = createServer((_req, res) => {
      originRequests++;
      res.writeHead(200, { 'content-type': 'application/zip' });
      for (let at = 0; at < body.length; at += 16 * 1024) res.write(body.subarray(at, at + 16 * 1024));
      res.end();
    });
    await new Promise<void>((ok) => chunked.listen(0, '127.0.0.1', ok));
    const e = await startEdge({ distribution: readDistribution(defaultOffload()), originUrl: `http://127.0.0.1:${(chunked.address() as AddressInfo).port}`, maxObjectBytes: 64 * 1024 });
    try {
      const a = await call(`${e.url}/updates/stream.zip`);
      const b = await call(`${e.url}/updates/stream.zip`);
      expect([sha(a.body), sha(b.body)]).toEqual([sha(body), sha(body)]);
      expect([a.headers['x-cache'], b.headers['x-cache']]).toEqual(['Miss from edge', 'Miss from edge']);
      expect(originRequests).toBe(2);
      expect(e.stats()).toMatchObject({ cachedObjects: 0, originBytes: 2 * body.length, bytesToClients: 2 * body.length });
    } finally {
      await e.close();
      await new Promise<void>((ok) => {
        chunked.close(() => ok());
        chunked.closeAllConnections();
      });
    }
  });

  it('an origin that is down gives 502 from the edge', async () => {
    const o = await startOrigin({ root: files });
    const url = o.url;
    await o.close();
    const e = await startEdge({ distribution: readDistribution(defaultOffload()), originUrl: url });
    try {
      const cached = await call(`${e.url}/updates/a.zip`);
      const passed = await call(`${e.url}/api/x`, { method: 'POST', body: 'x' });
      expect([cached.status, cached.headers['x-cache'], passed.status]).toEqual([502, 'Error from edge', 502]);
      expect(e.stats().originErrors).toBe(2);
    } finally {
      await e.close();
    }
  });

  it('the edge refuses to start when a deploy-time origin header has no local value', async () => {
    const locked = readDistribution(renderOffloadStack({ origin: dnsOrigin('origin.example.com'), ...checkOffloadFlags({ lockOrigin: true }) }));
    await expect(startEdge({ distribution: locked, originUrl: 'http://127.0.0.1:9' })).rejects.toThrow('the origin header X-Origin-Verify of behaviour /updates/* is only known once deployed');
  });

  it('a port in use is a one-line error with the fix, and the origin started for it is closed again', async () => {
    const taken = new URL(stack.edgeUrl).port;
    const err = await startEdgeStack({ template: fixture(), filesDir: files, port: Number(taken) }).catch((e: unknown) => e);
    expect(isArchctlError(err) && [err.message, err.fix]).toEqual([`cannot listen on 127.0.0.1:${taken} (EADDRINUSE)`, 'pick another port, or 0 for a free one']);
  });

  it('after close, nothing is left listening or connected', async () => {
    const extra = await start();
    await call(`${extra.edgeUrl}/updates/a.zip`);
    await extra.close();
    await expect(call(`${extra.edgeUrl}/`)).rejects.toThrow(/ECONNREFUSED/);
    await expect(call(`${extra.originUrl}/`)).rejects.toThrow(/ECONNREFUSED/);
    await stack.close();
    expect(await socketsSettle()).toBe(socketsBefore);
    stack = await start(); // afterAll closes it again
  });
});
