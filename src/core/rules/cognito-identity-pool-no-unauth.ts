import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { branches, getCaseless, isFalse, isObject, isOpaque, isSet, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'cognito-identity-pool-no-unauth',
  level: 'error',
  explanation:
    'Unauthenticated identities hand AWS credentials to anyone on the internet; the identity pool must serve only signed-in users, and its role attachment must give guests no role.',
  fix: 'Set AllowUnauthenticatedIdentities: false on the AWS::Cognito::IdentityPool and remove Roles.unauthenticated from the AWS::Cognito::IdentityPoolRoleAttachment.',
  resourceTypes: ['AWS::Cognito::IdentityPool', 'AWS::Cognito::IdentityPoolRoleAttachment'],
  check(_id, resource) {
    if (resource.Type === 'AWS::Cognito::IdentityPoolRoleAttachment') {
      const roles = prop(resource, 'Roles');
      if (!isObject(roles)) return compliant;
      const unauthenticated = getCaseless(roles, 'unauthenticated');
      if (!branches(unauthenticated).some((r) => isSet(r))) return compliant;
      return nonCompliant(
        'Roles.unauthenticated gives guest (unauthenticated) identities a role: anyone on the internet can get its credentials whenever the pool allows guests',
        'Properties.Roles.unauthenticated',
      );
    }
    const allow = prop(resource, 'AllowUnauthenticatedIdentities');
    if (isFalse(allow) || isOpaque(allow)) return compliant;
    return nonCompliant(`AllowUnauthenticatedIdentities is ${JSON.stringify(allow ?? null)}, not false`, 'Properties.AllowUnauthenticatedIdentities');
  },
};
