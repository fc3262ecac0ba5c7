import type { Rule, RuleContext, RuleOutcome } from '../rule-types.js';
import type { CfnResource } from '../types.js';
import { STAGE_TYPES, methodSettings, restApiKey, stageCacheOn, stageView } from '../rule-helpers/apigw.js';
import { nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { resolveRef, resourcesOfType } from '../rule-helpers/refs.js';
import { textOf } from '../rule-helpers/text.js';
import { asList, branches, isObject, isOpaque, isTrue, prop } from '../rule-helpers/values.js';

const IDENTITY = 'method.request.header.Authorization';
const HEADER = 'method.request.header.';
const QUERY = 'method.request.querystring.';

/**
 * The identity sources of the method's authorizer: its IdentitySource split
 * on commas, or undefined when the authorizer or its IdentitySource is not in
 * the template (or is an intrinsic archctl cannot read).
 */
function identitySources(ctx: RuleContext, method: CfnResource): string[] | undefined {
  const authorizer = resolveRef(ctx, prop(method, 'AuthorizerId'));
  if (!authorizer || authorizer.resource.Type !== 'AWS::ApiGateway::Authorizer') return undefined;
  const raw = prop(authorizer.resource, 'IdentitySource');
  if (raw === undefined) return [];
  const text = textOf(raw);
  if (text === undefined) return undefined;
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Parameter names compare without case for headers (HTTP header names), exactly otherwise. */
function sameParameter(a: string, b: string): boolean {
  return a.toLowerCase().startsWith(HEADER.toLowerCase()) ? a.toLowerCase() === b.toLowerCase() : a === b;
}

export const rule: Rule = {
  id: 'apigw-cache-key-per-user',
  level: 'error',
  explanation:
    "The API Gateway cache key is built only from the parameters listed in CacheKeyParameters; if the caller's identity is not one of them, one user's cached response is served to every other user of the same URL. This holds for every authorization type: Cognito and Lambda (CUSTOM) authorizers read the identity from a request header that must be in the key; AWS_IAM callers cannot be put in a cache key at all.",
  fix: `On every authorized method of a cached API: RequestParameters: { '${IDENTITY}': true } and Integration.CacheKeyParameters: ['${IDENTITY}', ...the path and query parameters] (the authorizer's identity source header when it is another one). For AWS_IAM methods, turn caching off for the method or suppress this rule with a reason when the response is the same for every caller.`,
  resourceTypes: ['AWS::ApiGateway::Method'],
  check(_id, resource, ctx) {
    const api = restApiKey(resource);
    if (api === undefined) return notApplicable;
    const cachedStages = resourcesOfType(ctx, STAGE_TYPES).filter(({ resource: stage }) => {
      const view = stageView(stage);
      return view !== undefined && restApiKey(stage) === api && stageCacheOn(stage, view);
    });
    if (cachedStages.length === 0) return notApplicable;
    const rawType = prop(resource, 'AuthorizationType');
    // Literal authorization types other than NONE, on any Fn::If branch; an intrinsic archctl cannot read says nothing.
    const types = [
      ...new Set(
        (rawType === undefined ? ['NONE'] : branches(rawType))
          .filter((t): t is string => typeof t === 'string')
          .map((t) => t.toUpperCase())
          .filter((t) => t !== 'NONE'),
      ),
    ];
    if (types.length === 0) return notApplicable;
    const httpMethod = (textOf(prop(resource, 'HttpMethod')) ?? '').toUpperCase();
    // API Gateway caches GET by default; other verbs only when a method setting turns caching on for them.
    const cachedVerb =
      httpMethod === 'GET' ||
      httpMethod === 'ANY' ||
      cachedStages.some(({ resource: stage }) => {
        const view = stageView(stage);
        return view !== undefined && methodSettings(stage, view).some((s) => isTrue(s.setting.CachingEnabled) && s.httpMethod === httpMethod);
      });
    if (!cachedVerb) return notApplicable;

    const found: RuleOutcome[] = [];
    if (types.includes('AWS_IAM')) {
      found.push(
        nonCompliant(
          `the method is cached and authorized with AWS_IAM: API Gateway cannot put the IAM caller in the cache key, so one caller's cached ${httpMethod} response is served to others`,
          'Properties.AuthorizationType',
        ),
      );
    }
    if (!types.includes('COGNITO_USER_POOLS') && !types.includes('CUSTOM')) return outcomes(found);

    const sources = identitySources(ctx, resource) ?? [IDENTITY];
    const keyable = sources.filter((s) => s.startsWith(HEADER) || s.startsWith(QUERY));
    if (keyable.length === 0) {
      found.push(
        nonCompliant(
          sources.length === 0
            ? "the method's authorizer has no IdentitySource, so nothing identifying the caller can be put in the cache key"
            : `the authorizer's identity sources (${sources.join(', ')}) are not request headers or query strings, so the caller cannot be put in the cache key`,
          'Properties.AuthorizerId',
        ),
      );
      return outcomes(found);
    }
    const params = prop(resource, 'RequestParameters');
    const keys = prop(resource, 'Integration.CacheKeyParameters');
    for (const source of keyable) {
      if (!isOpaque(params) && !(isObject(params) && Object.keys(params).some((k) => sameParameter(source, k)))) {
        found.push(nonCompliant(`RequestParameters does not declare ${source}, so it cannot be part of the cache key`, 'Properties.RequestParameters'));
      }
      if (!isOpaque(keys) && !asList(keys).some((k) => typeof k === 'string' && sameParameter(source, k))) {
        found.push(
          nonCompliant(`Integration.CacheKeyParameters does not include ${source}: cached responses would be shared between users`, 'Properties.Integration.CacheKeyParameters'),
        );
      }
    }
    return outcomes(found);
  },
};
