// The cache behaviours of the CloudFront distribution in a rendered template,
// read the way the local edge applies them: the path patterns in order (the
// default behaviour last), each with its allowed and cached methods, its cache
// policy (TTLs and cache key) and its origin request policy (what reaches the
// origin). Only what the template states is used; a shape the local edge
// cannot honour faithfully is an error naming it, never a silent guess.
import { ArchctlError } from '../../core/errors.js';
import type { CfnTemplate, Json, JsonObject } from '../../core/types.js';

/** Managed cache policy: nothing is cached, nothing is in the cache key. */
export const CACHING_DISABLED_ID = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
/** Managed cache policy: TTL 1 s / 1 day / 1 year, no query string, header or cookie in the key. */
export const CACHING_OPTIMIZED_ID = '658327ea-f89d-4fab-a63d-7e88639e58f6';
/** Managed origin request policy: every viewer header (Host included), cookie and query string. */
export const ALL_VIEWER_ID = '216adef6-5c7f-47e4-b989-5492eafa07d3';
/** Managed origin request policy: as AllViewer, but the origin gets its own domain as Host. */
export const ALL_VIEWER_EXCEPT_HOST_ID = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

/** Which names of a request part (query strings, headers, cookies) are taken. */
export type Selection = { kind: 'none' } | { kind: 'all' } | { kind: 'only'; names: string[] } | { kind: 'allExcept'; names: string[] };

export interface CachePolicy {
  /** The logical id of the template's AWS::CloudFront::CachePolicy, or the managed policy's name. */
  name: string;
  minTtl: number;
  defaultTtl: number;
  maxTtl: number;
  /** The cache key (and, with no origin request policy, all the origin gets). Header names are lower case. */
  queryStrings: Selection;
  headers: Selection;
  cookies: Selection;
}

export interface OriginRequestPolicy {
  name: string;
  queryStrings: Selection;
  /** Lower-case names; `all` means every viewer header. */
  headers: Selection;
  cookies: Selection;
  /** Whether the viewer's Host reaches the origin (AllViewer) or the origin's own name does. */
  viewerHost: boolean;
}

export interface OriginHeader {
  name: string;
  /** The literal value, or undefined when the template resolves it at deploy time (a secret). */
  value: string | undefined;
}

export interface Behaviour {
  /** As written in the template; the default behaviour's is `*`. */
  pathPattern: string;
  isDefault: boolean;
  targetOriginId: string;
  allowedMethods: string[];
  cachedMethods: string[];
  cachePolicy: CachePolicy;
  originRequestPolicy?: OriginRequestPolicy;
  /** Headers CloudFront adds to every origin request of this behaviour (the origin's OriginCustomHeaders). */
  originHeaders: OriginHeader[];
  /** False when no response can ever be cached (MaxTTL 0, as with CachingDisabled): a pure pass-through. */
  caching: boolean;
  matches(path: string): boolean;
}

export interface Distribution {
  logicalId: string;
  /** In the order CloudFront tries them: CacheBehaviors, then the default behaviour. */
  behaviours: Behaviour[];
  /** ErrorCachingMinTTL per status code from CustomErrorResponses; CloudFront's default is 10 s. */
  errorCachingMinTtl: Record<number, number>;
}

/** CloudFront's error-caching duration when CustomErrorResponses does not set one. */
export const DEFAULT_ERROR_CACHING_MIN_TTL = 10;

const unsupported = (what: string, fix: string) => new ArchctlError(`the local edge cannot honour ${what}`, fix);
const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A CloudFront path pattern as a regular expression: `*` is any run of
 * characters (`/` included), `?` exactly one, everything else literal and
 * case-sensitive; a pattern without a leading `/` behaves as if it had one.
 * It is matched against the request path without its query string.
 */
export function pathPatternRegExp(pattern: string): RegExp {
  const withSlash = pattern.startsWith('/') ? pattern : `/${pattern}`;
  let source = '';
  for (const ch of withSlash) source += ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  return new RegExp(`^${source}$`);
}

/** The behaviour CloudFront applies to a path: the first pattern that matches, else the default. */
export function pickBehaviour(d: Distribution, path: string): Behaviour {
  return d.behaviours.find((b) => b.matches(path)) ?? d.behaviours[d.behaviours.length - 1]!;
}

/** A literal whole number (TTL seconds, a status code); YAML may have made it a string. */
function wholeNumber(v: Json | undefined, where: string, dflt?: number): number {
  if (v === undefined && dflt !== undefined) return dflt;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0) throw unsupported(`${where} = ${JSON.stringify(v ?? null)}`, 'give it as a literal whole number (not an intrinsic function)');
  return n;
}

function strings(v: Json | undefined, where: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw unsupported(`${where} = ${JSON.stringify(v)}`, 'give it as a literal list of strings');
  return v as string[];
}

/** A ...Config block ({ <Kind>Behavior, <Kind>s }) as a Selection; `allowed` maps CloudFront's words to ours. */
function selection(config: Json | undefined, kind: 'QueryString' | 'Header' | 'Cookie', allowed: Record<string, Selection['kind']>, where: string): Selection {
  if (config === undefined) throw unsupported(`${where}: ${kind}sConfig is missing`, `set ${kind}sConfig.${kind}Behavior`);
  if (!isObject(config)) throw unsupported(`${where}.${kind}sConfig = ${JSON.stringify(config)}`, 'give it as a literal object');
  const behaviour = config[`${kind}Behavior`];
  const mapped = typeof behaviour === 'string' ? allowed[behaviour] : undefined;
  if (!mapped) throw unsupported(`${where}.${kind}sConfig.${kind}Behavior = ${JSON.stringify(behaviour ?? null)}`, `use one of ${Object.keys(allowed).join(', ')}`);
  const lower = kind === 'Header'; // header names are case-insensitive; query string and cookie names are not
  const names = strings(config[`${kind}s`], `${where}.${kind}sConfig.${kind}s`).map((n) => (lower ? n.toLowerCase() : n));
  if (mapped === 'only' || mapped === 'allExcept') return { kind: mapped, names };
  return { kind: mapped };
}

const NONE: Selection = { kind: 'none' };

function managedCachePolicy(id: string, where: string): CachePolicy {
  if (id === CACHING_DISABLED_ID) return { name: 'CachingDisabled', minTtl: 0, defaultTtl: 0, maxTtl: 0, queryStrings: NONE, headers: NONE, cookies: NONE };
  if (id === CACHING_OPTIMIZED_ID) return { name: 'CachingOptimized', minTtl: 1, defaultTtl: 86_400, maxTtl: 31_536_000, queryStrings: NONE, headers: NONE, cookies: NONE };
  throw unsupported(`${where}.CachePolicyId '${id}'`, `use the managed CachingDisabled (${CACHING_DISABLED_ID}) or CachingOptimized (${CACHING_OPTIMIZED_ID}) policy, or a {Ref} to an AWS::CloudFront::CachePolicy of the same template`);
}

function managedOriginRequestPolicy(id: string, where: string): OriginRequestPolicy {
  const all: Selection = { kind: 'all' };
  if (id === ALL_VIEWER_ID) return { name: 'AllViewer', queryStrings: all, headers: all, cookies: all, viewerHost: true };
  if (id === ALL_VIEWER_EXCEPT_HOST_ID) return { name: 'AllViewerExceptHostHeader', queryStrings: all, headers: all, cookies: all, viewerHost: false };
  throw unsupported(`${where}.OriginRequestPolicyId '${id}'`, `use the managed AllViewer (${ALL_VIEWER_ID}) or AllViewerExceptHostHeader (${ALL_VIEWER_EXCEPT_HOST_ID}) policy, or a {Ref} to an AWS::CloudFront::OriginRequestPolicy of the same template`);
}

/** A policy id: a managed id (string), or { Ref } / { Fn::GetAtt: [id, 'Id'] } to a resource of `type` in the template. */
function policyTarget(template: CfnTemplate, v: Json, type: string, where: string): { managed: string } | { logicalId: string; config: JsonObject } {
  if (typeof v === 'string') return { managed: v };
  let logicalId: string | undefined;
  if (isObject(v) && typeof v.Ref === 'string') logicalId = v.Ref;
  const getAtt = isObject(v) ? v['Fn::GetAtt'] : undefined;
  if (Array.isArray(getAtt) && getAtt.length === 2 && typeof getAtt[0] === 'string' && getAtt[1] === 'Id') logicalId = getAtt[0];
  if (typeof getAtt === 'string' && getAtt.endsWith('.Id')) logicalId = getAtt.slice(0, -3);
  if (!logicalId) throw unsupported(`${where} = ${JSON.stringify(v)}`, `give a managed policy id or a {Ref} to an ${type} of the same template`);
  const resource = template.Resources[logicalId];
  if (!resource || resource.Type !== type) throw unsupported(`${where}: ${logicalId} is not an ${type} of this template`, `point it at an ${type} in Resources`);
  const configKey = type === 'AWS::CloudFront::CachePolicy' ? 'CachePolicyConfig' : 'OriginRequestPolicyConfig';
  const config = resource.Properties?.[configKey];
  if (!isObject(config)) throw unsupported(`${logicalId}.Properties.${configKey} = ${JSON.stringify(config ?? null)}`, 'give it as a literal object');
  return { logicalId, config };
}

function cachePolicy(template: CfnTemplate, v: Json, where: string): CachePolicy {
  const target = policyTarget(template, v, 'AWS::CloudFront::CachePolicy', `${where}.CachePolicyId`);
  if ('managed' in target) return managedCachePolicy(target.managed, where);
  const { logicalId, config } = target;
  const at = `${logicalId}.CachePolicyConfig`;
  const minTtl = wholeNumber(config.MinTTL, `${at}.MinTTL`);
  const maxTtl = wholeNumber(config.MaxTTL, `${at}.MaxTTL`);
  const defaultTtl = wholeNumber(config.DefaultTTL, `${at}.DefaultTTL`);
  if (!(minTtl <= defaultTtl && defaultTtl <= maxTtl)) throw unsupported(`${at}: MinTTL ${minTtl} <= DefaultTTL ${defaultTtl} <= MaxTTL ${maxTtl} does not hold`, 'CloudFront rejects it too: order the TTLs');
  const params = config.ParametersInCacheKeyAndForwardedToOrigin;
  if (!isObject(params)) throw unsupported(`${at}.ParametersInCacheKeyAndForwardedToOrigin = ${JSON.stringify(params ?? null)}`, 'give it as a literal object');
  const p = `${at}.ParametersInCacheKeyAndForwardedToOrigin`;
  return {
    name: logicalId,
    minTtl,
    defaultTtl,
    maxTtl,
    queryStrings: selection(params.QueryStringsConfig, 'QueryString', { none: 'none', whitelist: 'only', allExcept: 'allExcept', all: 'all' }, p),
    headers: selection(params.HeadersConfig, 'Header', { none: 'none', whitelist: 'only' }, p),
    cookies: selection(params.CookiesConfig, 'Cookie', { none: 'none', whitelist: 'only', allExcept: 'allExcept', all: 'all' }, p),
  };
}

function originRequestPolicy(template: CfnTemplate, v: Json, where: string): OriginRequestPolicy {
  const target = policyTarget(template, v, 'AWS::CloudFront::OriginRequestPolicy', `${where}.OriginRequestPolicyId`);
  if ('managed' in target) return managedOriginRequestPolicy(target.managed, where);
  const { logicalId, config } = target;
  const at = `${logicalId}.OriginRequestPolicyConfig`;
  // allViewerAndWhitelistCloudFront adds CloudFront-* headers, which no local viewer sends: the same as allViewer here.
  const headers = selection(config.HeadersConfig, 'Header', { none: 'none', whitelist: 'only', allViewer: 'all', allViewerAndWhitelistCloudFront: 'all', allExcept: 'allExcept' }, at);
  const names = 'names' in headers ? headers.names : [];
  return {
    name: logicalId,
    queryStrings: selection(config.QueryStringsConfig, 'QueryString', { none: 'none', whitelist: 'only', allExcept: 'allExcept', all: 'all' }, at),
    headers,
    cookies: selection(config.CookiesConfig, 'Cookie', { none: 'none', whitelist: 'only', allExcept: 'allExcept', all: 'all' }, at),
    viewerHost: headers.kind === 'all' || (headers.kind === 'only' && names.includes('host')) || (headers.kind === 'allExcept' && !names.includes('host')),
  };
}

function originHeaders(origin: JsonObject, where: string): OriginHeader[] {
  const list = origin.OriginCustomHeaders;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw unsupported(`${where}.OriginCustomHeaders = ${JSON.stringify(list)}`, 'give it as a literal list');
  return list.map((h, i) => {
    if (!isObject(h) || typeof h.HeaderName !== 'string') throw unsupported(`${where}.OriginCustomHeaders[${i}] = ${JSON.stringify(h)}`, 'give HeaderName as a string');
    // A dynamic reference or an intrinsic (the lock-origin secret) is only known once deployed.
    return { name: h.HeaderName, value: typeof h.HeaderValue === 'string' && !h.HeaderValue.includes('{{resolve:') ? h.HeaderValue : undefined };
  });
}

const METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE']);

function behaviour(template: CfnTemplate, raw: Json | undefined, origins: Map<string, JsonObject>, isDefault: boolean, where: string): Behaviour {
  if (!isObject(raw)) throw unsupported(`${where} = ${JSON.stringify(raw ?? null)}`, 'give it as a literal object');
  if (raw.ForwardedValues !== undefined || raw.CachePolicyId === undefined) {
    throw unsupported(`${where} without a CachePolicyId (legacy ForwardedValues / MinTTL settings)`, 'give the behaviour a CachePolicyId');
  }
  const pathPattern = isDefault ? '*' : raw.PathPattern;
  if (typeof pathPattern !== 'string' || pathPattern === '') throw unsupported(`${where}.PathPattern = ${JSON.stringify(pathPattern ?? null)}`, 'give it as a literal string');
  const targetOriginId = raw.TargetOriginId;
  if (typeof targetOriginId !== 'string' || !origins.has(targetOriginId)) {
    throw unsupported(`${where}.TargetOriginId = ${JSON.stringify(targetOriginId ?? null)}: not one of the distribution's Origins`, 'point it at an Origins[].Id (origin groups are not emulated)');
  }
  const allowedMethods = raw.AllowedMethods === undefined ? ['GET', 'HEAD'] : strings(raw.AllowedMethods, `${where}.AllowedMethods`);
  const cachedMethods = raw.CachedMethods === undefined ? ['GET', 'HEAD'] : strings(raw.CachedMethods, `${where}.CachedMethods`);
  for (const m of [...allowedMethods, ...cachedMethods]) if (!METHODS.has(m)) throw unsupported(`${where}: method ${m}`, `use ${[...METHODS].join(', ')}`);
  const cache = cachePolicy(template, raw.CachePolicyId, where);
  const originRequest = raw.OriginRequestPolicyId === undefined ? undefined : originRequestPolicy(template, raw.OriginRequestPolicyId, where);
  const re = pathPatternRegExp(pathPattern);
  return {
    pathPattern,
    isDefault,
    targetOriginId,
    allowedMethods,
    cachedMethods,
    cachePolicy: cache,
    ...(originRequest ? { originRequestPolicy: originRequest } : {}),
    originHeaders: originHeaders(origins.get(targetOriginId)!, `${where} origin ${targetOriginId}`),
    caching: cache.maxTtl > 0,
    matches: (path) => re.test(path),
  };
}

/** The one AWS::CloudFront::Distribution of the template, read for the local edge. */
export function readDistribution(template: CfnTemplate): Distribution {
  const found = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::CloudFront::Distribution');
  if (found.length !== 1) {
    throw new ArchctlError(`the local edge needs exactly one AWS::CloudFront::Distribution in the template, found ${found.length}`, 'render the offload stack (archctl render offload) and pass that template');
  }
  const [logicalId, resource] = found[0]!;
  const config = resource.Properties?.DistributionConfig;
  if (!isObject(config)) throw unsupported(`${logicalId}.DistributionConfig = ${JSON.stringify(config ?? null)}`, 'give it as a literal object');
  const where = `${logicalId}.DistributionConfig`;
  const rawOrigins = config.Origins;
  if (!Array.isArray(rawOrigins) || rawOrigins.length === 0) throw unsupported(`${where}.Origins = ${JSON.stringify(rawOrigins ?? null)}`, 'give a literal list of origins');
  const origins = new Map<string, JsonObject>();
  for (const o of rawOrigins) {
    if (!isObject(o) || typeof o.Id !== 'string') throw unsupported(`${where}.Origins entry ${JSON.stringify(o)}`, 'give each origin a literal Id');
    origins.set(o.Id, o);
  }
  const extra = config.CacheBehaviors ?? [];
  if (!Array.isArray(extra)) throw unsupported(`${where}.CacheBehaviors = ${JSON.stringify(extra)}`, 'give it as a literal list');
  const behaviours = [
    ...extra.map((b, i) => behaviour(template, b, origins, false, `${where}.CacheBehaviors[${i}]`)),
    behaviour(template, config.DefaultCacheBehavior, origins, true, `${where}.DefaultCacheBehavior`),
  ];
  const errorCachingMinTtl: Record<number, number> = {};
  const errors = config.CustomErrorResponses ?? [];
  if (!Array.isArray(errors)) throw unsupported(`${where}.CustomErrorResponses = ${JSON.stringify(errors)}`, 'give it as a literal list');
  for (const [i, e] of errors.entries()) {
    if (!isObject(e)) throw unsupported(`${where}.CustomErrorResponses[${i}]`, 'give it as a literal object');
    if (e.ResponsePagePath !== undefined || e.ResponseCode !== undefined) {
      throw unsupported(`${where}.CustomErrorResponses[${i}] with a custom error page`, 'only ErrorCachingMinTTL is emulated');
    }
    const code = wholeNumber(e.ErrorCode, `${where}.CustomErrorResponses[${i}].ErrorCode`);
    errorCachingMinTtl[code] = wholeNumber(e.ErrorCachingMinTTL, `${where}.CustomErrorResponses[${i}].ErrorCachingMinTTL`, DEFAULT_ERROR_CACHING_MIN_TTL);
  }
  return { logicalId, behaviours, errorCachingMinTtl };
}
