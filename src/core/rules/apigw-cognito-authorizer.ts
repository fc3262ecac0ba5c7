import type { Rule } from '../rule-types.js';
import { compliant, isIntrinsic, isSet, nonCompliant, notApplicable, prop, resolveRef, textOf } from '../rule-helpers.js';

export const rule: Rule = {
  id: 'apigw-cognito-authorizer',
  level: 'error',
  explanation:
    'Every route acts for a signed-in user, so every method except the CORS preflight (OPTIONS) needs the Cognito user pool authorizer; a deliberately public read route suppresses this rule with a reason.',
  fix: 'Set AuthorizationType: COGNITO_USER_POOLS and AuthorizerId: !Ref <AWS::ApiGateway::Authorizer of Type COGNITO_USER_POOLS> on the method.',
  resourceTypes: ['AWS::ApiGateway::Method'],
  check(_id, resource, ctx) {
    if (textOf(prop(resource, 'HttpMethod'))?.toUpperCase() === 'OPTIONS') return notApplicable;
    const type = prop(resource, 'AuthorizationType');
    if (isIntrinsic(type)) return compliant;
    if (type !== 'COGNITO_USER_POOLS') {
      return nonCompliant(`AuthorizationType is ${JSON.stringify(type ?? 'NONE')}, not COGNITO_USER_POOLS`, 'Properties.AuthorizationType');
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
