/** Where a template's IAM policy documents are: on IAM resources, in trust policies, attached to a role. */
import type { RuleContext } from '../rule-types.js';
import type { CfnResource, JsonObject } from '../types.js';
import { refersTo } from './refs.js';
import { isObject, objectsOf, prop } from './values.js';

/** Types that carry IAM policy documents of their own. */
export const IAM_POLICY_TYPES = [
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
] as const;

export interface PolicyDocRef {
  doc: JsonObject;
  /** Path of the document from the resource root. */
  path: string;
}

/** The identity-based policy documents a resource holds itself (not trust policies). */
export function policyDocumentsOf(resource: CfnResource): PolicyDocRef[] {
  const out: PolicyDocRef[] = [];
  switch (resource.Type) {
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      for (const { item, index } of objectsOf(prop(resource, 'Policies'))) {
        const doc = item.PolicyDocument;
        if (isObject(doc)) out.push({ doc, path: `Properties.Policies.${index}.PolicyDocument` });
      }
      break;
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
    case 'AWS::IAM::RolePolicy':
    case 'AWS::IAM::UserPolicy':
    case 'AWS::IAM::GroupPolicy': {
      const doc = prop(resource, 'PolicyDocument');
      if (isObject(doc)) out.push({ doc, path: 'Properties.PolicyDocument' });
      break;
    }
    default:
      break;
  }
  return out;
}

/** The trust policy (AssumeRolePolicyDocument) of a role, when it has one. */
export function trustPolicyOf(resource: CfnResource): PolicyDocRef | undefined {
  if (resource.Type !== 'AWS::IAM::Role') return undefined;
  const doc = prop(resource, 'AssumeRolePolicyDocument');
  return isObject(doc) ? { doc, path: 'Properties.AssumeRolePolicyDocument' } : undefined;
}

/**
 * Every policy document that applies to a role: its inline policies, and
 * template policies attached to it (AWS::IAM::Policy / ManagedPolicy `Roles`,
 * RolePolicy `RoleName`, the role's ManagedPolicyArns pointing at a template
 * ManagedPolicy).
 */
export function rolePolicyDocuments(ctx: RuleContext, roleId: string): (PolicyDocRef & { ownerId: string })[] {
  const role = ctx.resources[roleId];
  if (!role) return [];
  const out: (PolicyDocRef & { ownerId: string })[] = policyDocumentsOf(role).map((d) => ({ ...d, ownerId: roleId }));
  for (const [id, resource] of Object.entries(ctx.resources)) {
    if (id === roleId) continue;
    const attached =
      ((resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') && refersTo(prop(resource, 'Roles'), roleId)) ||
      (resource.Type === 'AWS::IAM::RolePolicy' && refersTo(prop(resource, 'RoleName'), roleId)) ||
      (resource.Type === 'AWS::IAM::ManagedPolicy' && refersTo(prop(role, 'ManagedPolicyArns'), id));
    if (attached) out.push(...policyDocumentsOf(resource).map((d) => ({ ...d, ownerId: id })));
  }
  return out;
}
