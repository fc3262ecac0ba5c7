import type { Rule } from '../rule-types.js';
import type { CfnResource } from '../types.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { resolveRef } from '../rule-helpers/refs.js';
import { textOf } from '../rule-helpers/text.js';
import { branches, isIntrinsic, isNoValue, isOpaque, isSet, prop } from '../rule-helpers/values.js';

/**
 * The integration type(s) of a method: 'mock' when every branch is MOCK,
 * 'unknown' when a branch is an intrinsic archctl cannot read, 'other'
 * otherwise (including no integration at all).
 */
function integrationKind(method: CfnResource): 'mock' | 'unknown' | 'other' {
  const types = branches(prop(method, 'Integration.Type'));
  if (types.length === 0) return 'other';
  if (types.some((t) => typeof t === 'string' && t.toUpperCase() !== 'MOCK')) return 'other';
  return types.every((t) => typeof t === 'string') ? 'mock' : 'unknown';
}

export const rule: Rule = {
  id: 'apigw-cognito-authorizer',
  level: 'error',
  explanation:
    'Every route acts for a signed-in user, so every method needs the Cognito user pool authorizer. Only a CORS preflight is exempt: an OPTIONS method answered by a MOCK integration (no code runs); an OPTIONS method that reaches a function or a backend is a route like any other. A deliberately public read route suppresses this rule with a reason.',
  fix: 'Set AuthorizationType: COGNITO_USER_POOLS and AuthorizerId: !Ref <AWS::ApiGateway::Authorizer of Type COGNITO_USER_POOLS> on the method; answer CORS preflights (OPTIONS) with a MOCK integration.',
  resourceTypes: ['AWS::ApiGateway::Method'],
  check(_id, resource, ctx) {
    const isOptions = textOf(prop(resource, 'HttpMethod'))?.toUpperCase() === 'OPTIONS';
    if (isOptions) {
      const kind = integrationKind(resource);
      if (kind === 'mock' || kind === 'unknown') return notApplicable;
    }
    const raw = prop(resource, 'AuthorizationType');
    const type = isNoValue(raw) ? undefined : raw;
    if (isOpaque(type)) return compliant;
    if (type !== 'COGNITO_USER_POOLS') {
      const integration = textOf(prop(resource, 'Integration.Type'));
      return nonCompliant(
        isOptions
          ? `this OPTIONS method is not a MOCK CORS preflight (Integration.Type is ${JSON.stringify(integration ?? null)}) and its AuthorizationType is ${JSON.stringify(type ?? 'NONE')}, not COGNITO_USER_POOLS: anyone can reach the integration`
          : `AuthorizationType is ${JSON.stringify(type ?? 'NONE')}, not COGNITO_USER_POOLS`,
        'Properties.AuthorizationType',
      );
    }
    const authorizerId = prop(resource, 'AuthorizerId');
    if (!isSet(authorizerId)) return nonCompliant('AuthorizationType is COGNITO_USER_POOLS but AuthorizerId is missing', 'Properties.AuthorizerId');
    const authorizer = resolveRef(ctx, authorizerId);
    if (authorizer && authorizer.resource.Type === 'AWS::ApiGateway::Authorizer') {
      const authorizerType = prop(authorizer.resource, 'Type');
      if (!isIntrinsic(authorizerType) && authorizerType !== 'COGNITO_USER_POOLS') {
        return nonCompliant(`the authorizer ${authorizer.id} has Type ${JSON.stringify(authorizerType ?? null)}, not COGNITO_USER_POOLS`, 'Properties.AuthorizerId');
      }
    }
    return compliant;
  },
};
