import type { Rule, RuleOutcome } from '../rule-types.js';
import { IAM_POLICY_TYPES, actionsOf, isAllow, nonCompliant, outcomes, policyDocumentsOf, resourcesOf, statementsOf, textOf } from '../rule-helpers.js';

/** Actions that only accept Resource "*" (no resource-level permissions). */
const STAR_ONLY = new Set(
  [
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'xray:GetSamplingRules',
    'xray:GetSamplingTargets',
    'xray:GetSamplingStatisticSummaries',
    'ec2:CreateNetworkInterface',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DeleteNetworkInterface',
    'ec2:AssignPrivateIpAddresses',
    'ec2:UnassignPrivateIpAddresses',
    'ec2:DescribeSubnets',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeVpcs',
    'cloudwatch:PutMetricData',
    'sts:GetCallerIdentity',
  ].map((a) => a.toLowerCase()),
);

/**
 * True for "*" and for ARNs whose resource part is only a wildcard
 * ("arn:aws:s3:::*", "...:table/*", "...:function:*", "...:log-group:*").
 * `${X}` pieces are references, never wildcards.
 */
function isWildcardResource(text: string): boolean {
  if (text === '*') return true;
  const flat = text.replace(/\$\{[^}]*\}/g, '{ref}');
  if (!flat.startsWith('arn:')) return false;
  const parts = flat.split(':');
  if (parts.length < 6) return false;
  const service = parts[2];
  const resource = parts.slice(5).join(':');
  if (resource.startsWith('*')) return true;
  if (service === 's3') return false;
  return /^[A-Za-z0-9_-]+[/:]\*$/.test(resource);
}

export const rule: Rule = {
  id: 'iam-no-wildcard-resources',
  level: 'error',
  explanation:
    'Least privilege means naming each resource: Resource "*" (or "table/*") reaches every table, bucket or function in the account. Only actions without resource-level permissions (X-Ray segments, VPC network interfaces, PutMetricData) may use "*".',
  fix: "Use exact ARNs: !GetAtt Table.Arn and !Sub '${Table.Arn}/index/*', !Sub '${Bucket.Arn}/prefix/*', the log group ARN; keep \"*\" only in a separate statement for actions that support nothing else.",
  resourceTypes: IAM_POLICY_TYPES,
  check(_id, resource) {
    const found: RuleOutcome[] = [];
    for (const { doc, path: docPath } of policyDocumentsOf(resource)) {
      for (const { statement, path } of statementsOf(doc, docPath)) {
        if (!isAllow(statement)) continue;
        if (statement.NotResource !== undefined) {
          found.push(nonCompliant('an Allow statement uses NotResource, which grants every other resource', `${path}.NotResource`));
        }
        const actions = actionsOf(statement);
        if (actions.length > 0 && actions.every((a) => STAR_ONLY.has(a.toLowerCase()))) continue;
        for (const r of resourcesOf(statement)) {
          const text = textOf(r);
          if (text !== undefined && isWildcardResource(text)) {
            const needing = actions.filter((a) => !STAR_ONLY.has(a.toLowerCase()));
            found.push(nonCompliant(`Resource ${JSON.stringify(text)} is a wildcard for ${needing.join(', ') || 'these actions'}`, `${path}.Resource`));
          }
        }
      }
    }
    return outcomes(found);
  },
};
