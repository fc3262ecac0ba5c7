import type { Rule, RuleOutcome } from '../rule-types.js';
import type { Json } from '../types.js';
import {
  actionsOf,
  conditionValues,
  isAllow,
  isObject,
  nonCompliant,
  notApplicable,
  outcomes,
  prop,
  refTarget,
  resolveRef,
  statementsOf,
  textOf,
} from '../rule-helpers.js';

const AUD = 'cognito-identity.amazonaws.com:aud';
const AMR = 'cognito-identity.amazonaws.com:amr';

function samePool(condition: string[], poolId: Json | undefined): boolean {
  const target = refTarget(poolId);
  const wanted = target !== undefined ? `\${${target}}` : textOf(poolId);
  return wanted !== undefined && condition.length > 0 && condition.every((v) => v === wanted);
}

export const rule: Rule = {
  id: 'cognito-identity-role-trust',
  level: 'error',
  explanation:
    "The identity pool's authenticated role must trust only web identities of this pool that signed in: without the aud condition any identity pool in any account could assume it; without amr = authenticated, guests could.",
  fix: "In the authenticated role's AssumeRolePolicyDocument: Principal { Federated: cognito-identity.amazonaws.com }, Action sts:AssumeRoleWithWebIdentity, Condition { StringEquals: { 'cognito-identity.amazonaws.com:aud': !Ref IdentityPool }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': authenticated } }.",
  resourceTypes: ['AWS::Cognito::IdentityPoolRoleAttachment'],
  check(_id, resource, ctx) {
    const role = resolveRef(ctx, prop(resource, 'Roles.authenticated'));
    if (!role || role.resource.Type !== 'AWS::IAM::Role') return notApplicable;
    const poolId = prop(resource, 'IdentityPoolId');
    const statements = statementsOf(prop(role.resource, 'AssumeRolePolicyDocument'), 'AssumeRolePolicyDocument').filter(
      ({ statement }) => isAllow(statement) && actionsOf(statement).some((a) => a.toLowerCase() === 'sts:assumerolewithwebidentity'),
    );
    if (statements.length === 0) {
      return nonCompliant(`the authenticated role ${role.id} does not allow sts:AssumeRoleWithWebIdentity`, 'Properties.Roles.authenticated');
    }
    const found: RuleOutcome[] = [];
    for (const { statement, path } of statements) {
      const where = `role ${role.id} ${path}`;
      const principal = statement.Principal;
      const federated = isObject(principal) ? textOf(principal.Federated) : undefined;
      if (federated !== 'cognito-identity.amazonaws.com') {
        found.push(nonCompliant(`${where}: Principal is not { Federated: cognito-identity.amazonaws.com }`, 'Properties.Roles.authenticated'));
      }
      const aud = conditionValues(statement, 'StringEquals', AUD);
      if (!samePool(aud, poolId)) {
        found.push(
          nonCompliant(
            aud.length === 0
              ? `${where}: no StringEquals condition on ${AUD}, so identities of any pool can assume the role`
              : `${where}: ${AUD} is ${JSON.stringify(aud)}, not this attachment's identity pool`,
            'Properties.Roles.authenticated',
          ),
        );
      }
      const amr = conditionValues(statement, 'ForAnyValue:StringLike', AMR);
      if (!(amr.length > 0 && amr.every((v) => v === 'authenticated'))) {
        found.push(
          nonCompliant(
            amr.length === 0
              ? `${where}: no ForAnyValue:StringLike condition pinning ${AMR} to "authenticated"`
              : `${where}: ${AMR} allows ${JSON.stringify(amr)}, not only "authenticated"`,
            'Properties.Roles.authenticated',
          ),
        );
      }
    }
    return outcomes(found);
  },
};
