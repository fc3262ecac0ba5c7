import type { Rule, RuleOutcome } from '../rule-types.js';
import type { Json, JsonObject } from '../types.js';
import { conditionValues, principalHasWildcard, statementCanGrant, statementsOf } from '../rule-helpers/iam-statements.js';
import { nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { refTarget, resolveRef } from '../rule-helpers/refs.js';
import { textOf } from '../rule-helpers/text.js';
import { asList, isObject, prop } from '../rule-helpers/values.js';

const ACTION = 'sts:AssumeRoleWithWebIdentity';
const COGNITO = 'cognito-identity.amazonaws.com';
const AUD = 'cognito-identity.amazonaws.com:aud';
const AMR = 'cognito-identity.amazonaws.com:amr';

function samePool(condition: string[], poolId: Json | undefined): boolean {
  const target = refTarget(poolId);
  const wanted = target !== undefined ? `\${${target}}` : textOf(poolId);
  return wanted !== undefined && condition.length > 0 && condition.every((v) => v === wanted);
}

/**
 * Which web identities a trust statement admits: whether the Cognito identity
 * service is one of them, and which other principals are (a wildcard, a
 * NotPrincipal, another identity provider). Statements naming only AWS or
 * Service principals cannot be used with AssumeRoleWithWebIdentity and admit
 * no web identity.
 */
function webIdentities(statement: JsonObject): { cognito: boolean; others: string[] } {
  if (statement.NotPrincipal !== undefined) return { cognito: true, others: ['every principal but the NotPrincipal ones'] };
  const principal = statement.Principal;
  if (principalHasWildcard(principal)) return { cognito: true, others: ['"*"'] };
  if (!isObject(principal) || principal.Federated === undefined) return { cognito: false, others: [] };
  let cognito = false;
  const others: string[] = [];
  for (const value of asList(principal.Federated)) {
    const text = textOf(value);
    if (text !== undefined && text.toLowerCase() === COGNITO) cognito = true;
    else others.push(text === undefined ? 'a Federated principal archctl cannot read' : JSON.stringify(text));
  }
  return { cognito, others };
}

export const rule: Rule = {
  id: 'cognito-identity-role-trust',
  level: 'error',
  explanation:
    "The identity pool's authenticated role must trust only web identities of this pool that signed in: without the aud condition any identity pool in any account could assume it; without amr = authenticated, guests could. Every Allow statement that can grant sts:AssumeRoleWithWebIdentity (including through sts:*, sts:AssumeRole*, * or NotAction) counts.",
  fix: "In the authenticated role's AssumeRolePolicyDocument: Principal { Federated: cognito-identity.amazonaws.com }, Action sts:AssumeRoleWithWebIdentity (exactly, no wildcard), Condition { StringEquals: { 'cognito-identity.amazonaws.com:aud': !Ref IdentityPool }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': authenticated } } on every statement that allows it.",
  resourceTypes: ['AWS::Cognito::IdentityPoolRoleAttachment'],
  check(_id, resource, ctx) {
    const role = resolveRef(ctx, prop(resource, 'Roles.authenticated'));
    if (!role || role.resource.Type !== 'AWS::IAM::Role') return notApplicable;
    const poolId = prop(resource, 'IdentityPoolId');
    const statements = statementsOf(prop(role.resource, 'AssumeRolePolicyDocument'), 'AssumeRolePolicyDocument')
      .map((s) => ({ ...s, reach: webIdentities(s.statement) }))
      .filter(({ statement, reach }) => (reach.cognito || reach.others.length > 0) && statementCanGrant(statement, ACTION));
    if (!statements.some(({ reach }) => reach.cognito)) {
      return nonCompliant(`the authenticated role ${role.id} does not allow ${ACTION} for { Federated: ${COGNITO} }`, 'Properties.Roles.authenticated');
    }
    const found: RuleOutcome[] = [];
    for (const { statement, path, reach } of statements) {
      const where = `role ${role.id} ${path}`;
      if (reach.others.length > 0) {
        found.push(
          nonCompliant(`${where}: ${ACTION} is allowed to ${reach.others.join(', ')}, not only to { Federated: ${COGNITO} }`, 'Properties.Roles.authenticated'),
        );
      }
      if (!reach.cognito) continue;
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
