import type { Rule, RuleOutcome } from '../rule-types.js';
import { isWildcardOnly, parseArn } from '../rule-helpers/arns.js';
import { IAM_POLICY_TYPES, policyDocumentsOf } from '../rule-helpers/iam-policies.js';
import { actionsOf, isAllow, resourcesOf, statementsOf } from '../rule-helpers/iam-statements.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { textOf } from '../rule-helpers/text.js';

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

/** Services whose ARN resource part starts with the resource's own name, not a type ("bucket/key", "api-id/stage/verb/path"). */
const NO_TYPE_PREFIX = new Set(['s3', 'execute-api', 'sqs', 'sns']);

/**
 * True for "*" and for ARNs whose resource part names no resource: only
 * wildcards and separators after the resource type ("arn:aws:s3:::*",
 * "...:table/*", "...:table/*\/index/*", "...:function:*", "...:log-group:*",
 * "...:log-group:*:*"). The name is the first segment of the resource part, or
 * the second when the first is a type keyword (table, function, log-group...).
 * `${X}` pieces are references, never wildcards, so "${Table.Arn}/index/*" and
 * ".../${!cognito-identity.amazonaws.com:sub}/*" are exact.
 */
function isWildcardResource(text: string): boolean {
  if (isWildcardOnly(text)) return true;
  const arn = parseArn(text);
  if (!arn) return false;
  if (arn.resource.startsWith('*') || arn.resource.startsWith('?')) return true;
  const segments = arn.resource.split(/[/:]/).filter((s) => s !== '');
  const [first, second] = segments;
  if (first === undefined) return false;
  const typed = !NO_TYPE_PREFIX.has(arn.service) && second !== undefined && /^[A-Za-z][A-Za-z0-9_-]*$/.test(first);
  return isWildcardOnly(typed ? (second ?? '') : first);
}

export const rule: Rule = {
  id: 'iam-no-wildcard-resources',
  level: 'error',
  explanation:
    'Least privilege means naming each resource: Resource "*" (or "table/*", "table/*/index/*", "log-group:*:*") reaches every table, bucket, log group or function in the account. Only actions without resource-level permissions (X-Ray segments, VPC network interfaces, PutMetricData) may use "*".',
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
