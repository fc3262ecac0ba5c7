import type { Rule, RuleOutcome } from '../rule-types.js';
import type { Json } from '../types.js';
import { compliant, nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { textOf } from '../rule-helpers/text.js';
import { branches, getPath, isIntrinsic, isObject, isSet, prop } from '../rule-helpers/values.js';

/** True for `{Ref}` / `{"Fn::..."}` (not a type guard: a mapping object stays an object). */
function isFunction(value: Json | undefined): boolean {
  return isIntrinsic(value);
}

export const rule: Rule = {
  id: 'cognito-identity-no-role-mappings',
  level: 'error',
  explanation:
    "RoleMappings let an identity pool hand out roles other than Roles.authenticated: Token mappings take the role from the user's cognito:roles / cognito:preferred_role claim (any role of a user pool group), Rules mappings from claim rules. archctl checks the trust (aud, amr) and per-user access of the authenticated role only, so the mapped roles escape those checks.",
  fix: 'Remove RoleMappings and give signed-in users the single Roles.authenticated role. When per-group roles are needed, suppress this rule with a reason, set AmbiguousRoleResolution: Deny, and give every mappable role the same trust conditions (aud pinned to the pool, amr authenticated) and per-user policies as the authenticated role.',
  resourceTypes: ['AWS::Cognito::IdentityPoolRoleAttachment'],
  check(_id, resource) {
    const mappings = prop(resource, 'RoleMappings');
    if (isObject(mappings) && !isFunction(mappings)) {
      const found: RuleOutcome[] = [];
      for (const [key, mapping] of Object.entries(mappings)) {
        const type = textOf(getPath(mapping, 'Type'));
        const how =
          type === 'Token'
            ? "the role named by the user's cognito:roles / cognito:preferred_role token claim"
            : type === 'Rules'
              ? 'the roles of its claim rules'
              : `roles chosen by a ${JSON.stringify(type ?? null)} mapping`;
        found.push(
          nonCompliant(`RoleMappings.${key} gives identities of its provider ${how}: roles whose trust and per-user access archctl does not check`, `Properties.RoleMappings.${key}`),
        );
      }
      return outcomes(found);
    }
    const set = branches(mappings).some((m) => isSet(m) && !(isObject(m) && !isFunction(m) && Object.keys(m).length === 0));
    return set
      ? nonCompliant('RoleMappings is set: identities can get roles other than Roles.authenticated, whose trust and per-user access archctl does not check', 'Properties.RoleMappings')
      : compliant;
  },
};
