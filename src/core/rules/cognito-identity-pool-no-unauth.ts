import type { Rule } from '../rule-types.js';
import { compliant, isFalse, isIntrinsic, nonCompliant, prop } from '../rule-helpers.js';

export const rule: Rule = {
  id: 'cognito-identity-pool-no-unauth',
  level: 'error',
  explanation: 'Unauthenticated identities hand AWS credentials to anyone on the internet; the identity pool must serve only signed-in users.',
  fix: 'Set AllowUnauthenticatedIdentities: false and give the IdentityPoolRoleAttachment no unauthenticated role.',
  resourceTypes: ['AWS::Cognito::IdentityPool'],
  check(_id, resource) {
    const allow = prop(resource, 'AllowUnauthenticatedIdentities');
    if (isFalse(allow) || isIntrinsic(allow)) return compliant;
    return nonCompliant(`AllowUnauthenticatedIdentities is ${JSON.stringify(allow ?? null)}, not false`, 'Properties.AllowUnauthenticatedIdentities');
  },
};
