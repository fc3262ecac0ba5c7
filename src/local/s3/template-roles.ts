import { ArchctlError } from '../../core/errors.js';
import { resolveIntrinsics, type StackValues } from '../../core/intrinsics.js';
import type { CfnTemplate, Json, JsonObject } from '../../core/types.js';
import type { PolicyStatement } from './policy.js';

export interface RolePolicy {
  /** The role's ARN as the running stack knows it (StackValues `<Role>.Arn`). */
  roleArn: string;
  logicalId: string;
  /** Every statement of the role's inline policies and of AWS::IAM::Policy resources attached to it, intrinsics resolved. */
  statements: PolicyStatement[];
}

const asArray = (v: Json | undefined): Json[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** The logical id a `Roles.authenticated` value points at: `Fn::GetAtt [Role, Arn]` (or `Role.Arn`). */
function roleLogicalId(value: Json | undefined, template: CfnTemplate): string {
  const getAtt = value !== null && typeof value === 'object' && !Array.isArray(value) ? value['Fn::GetAtt'] : undefined;
  const [id, attribute] = Array.isArray(getAtt) ? getAtt.map(String) : typeof getAtt === 'string' ? getAtt.split(/\.(.*)/s) : [];
  if (id === undefined || attribute !== 'Arn' || template.Resources[id]?.Type !== 'AWS::IAM::Role') {
    throw new ArchctlError(
      `the identity pool's authenticated role is not a role of this template (${JSON.stringify(value)})`,
      'the local cloud needs Roles.authenticated to be { "Fn::GetAtt": [<AWS::IAM::Role>, "Arn"] }',
    );
  }
  return id;
}

const statementsOf = (document: Json | undefined, values: StackValues): PolicyStatement[] =>
  asArray((document as JsonObject | undefined)?.['Statement']).map((s) => resolveIntrinsics(s, values) as unknown as PolicyStatement);

/**
 * The statements of each role an AWS::Cognito::IdentityPoolRoleAttachment
 * gives to authenticated identities, resolved against a running stack. Policy
 * variables stay literal (`${!cognito-identity.amazonaws.com:sub}` in a Fn::Sub
 * becomes `${cognito-identity.amazonaws.com:sub}`), for the S3 endpoint to fill
 * in per caller. Managed policy ARNs (ManagedPolicyArns) are not resolvable
 * locally and are refused.
 */
export function authenticatedRolePolicies(template: CfnTemplate, values: StackValues): RolePolicy[] {
  const out: RolePolicy[] = [];
  const seen = new Set<string>();
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Cognito::IdentityPoolRoleAttachment') continue;
    const roles = resource.Properties?.['Roles'] as JsonObject | undefined;
    const authenticated = roles?.['authenticated'];
    if (authenticated === undefined) continue;
    const logicalId = roleLogicalId(authenticated, template);
    if (seen.has(logicalId)) continue;
    seen.add(logicalId);
    const role = template.Resources[logicalId]!;
    if (asArray(role.Properties?.['ManagedPolicyArns']).length > 0) {
      throw new ArchctlError(`role ${logicalId} uses ManagedPolicyArns, which the local cloud cannot read`, 'give the role inline Policies or an AWS::IAM::Policy resource');
    }
    const statements: PolicyStatement[] = [];
    for (const policy of asArray(role.Properties?.['Policies'])) statements.push(...statementsOf((policy as JsonObject)['PolicyDocument'], values));
    for (const other of Object.values(template.Resources)) {
      if (other.Type !== 'AWS::IAM::Policy' && other.Type !== 'AWS::IAM::ManagedPolicy') continue;
      const attached = asArray(other.Properties?.['Roles']).some((r) => r !== null && typeof r === 'object' && !Array.isArray(r) && r['Ref'] === logicalId);
      if (attached) statements.push(...statementsOf(other.Properties?.['PolicyDocument'], values));
    }
    out.push({ roleArn: String(resolveIntrinsics(authenticated, values)), logicalId, statements });
  }
  return out;
}
