import type { Rule, RuleOutcome } from '../rule-types.js';
import {
  STAGE_TYPES,
  asList,
  isIntrinsic,
  isObject,
  isTrue,
  methodSettings,
  nonCompliant,
  notApplicable,
  outcomes,
  prop,
  resourcesOfType,
  restApiKey,
  stageCacheOn,
  stageView,
  textOf,
} from '../rule-helpers.js';

const IDENTITY = 'method.request.header.Authorization';

export const rule: Rule = {
  id: 'apigw-cache-key-per-user',
  level: 'error',
  explanation:
    "The API Gateway cache key is built only from the parameters listed in CacheKeyParameters; if the caller's identity is not one of them, one user's cached GET response is served to every other user of the same URL.",
  fix: `On every Cognito-authorized GET method of a cached API: RequestParameters: { '${IDENTITY}': true } and Integration.CacheKeyParameters: ['${IDENTITY}', ...the path and query parameters].`,
  resourceTypes: ['AWS::ApiGateway::Method'],
  check(_id, resource, ctx) {
    const api = restApiKey(resource);
    if (api === undefined) return notApplicable;
    const cachedStages = resourcesOfType(ctx, STAGE_TYPES).filter(({ resource: stage }) => {
      const view = stageView(stage);
      return view !== undefined && restApiKey(stage) === api && stageCacheOn(stage, view);
    });
    if (cachedStages.length === 0) return notApplicable;
    if (prop(resource, 'AuthorizationType') !== 'COGNITO_USER_POOLS') return notApplicable;
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
    const params = prop(resource, 'RequestParameters');
    if (!isIntrinsic(params) && !(isObject(params) && Object.keys(params).includes(IDENTITY))) {
      found.push(nonCompliant(`RequestParameters does not declare ${IDENTITY}, so it cannot be part of the cache key`, 'Properties.RequestParameters'));
    }
    const keys = prop(resource, 'Integration.CacheKeyParameters');
    if (!isIntrinsic(keys) && !asList(keys).some((k) => k === IDENTITY)) {
      found.push(
        nonCompliant(`Integration.CacheKeyParameters does not include ${IDENTITY}: cached responses would be shared between users`, 'Properties.Integration.CacheKeyParameters'),
      );
    }
    return outcomes(found);
  },
};
