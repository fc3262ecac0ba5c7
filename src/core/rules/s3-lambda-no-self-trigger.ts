import type { Rule, RuleContext, RuleOutcome } from '../rule-types.js';
import type { CfnResource } from '../types.js';
import { rolePolicyDocuments } from '../rule-helpers/iam-policies.js';
import { isAllow, resourcesOf, statementGrants, statementsOf } from '../rule-helpers/iam-statements.js';
import { functionRoleId } from '../rule-helpers/lambda.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { resolveRef } from '../rule-helpers/refs.js';
import { escapeRegExp, textOf } from '../rule-helpers/text.js';
import { getCaseless, getPath, objectsOf, prop } from '../rule-helpers/values.js';

/**
 * The key part of an object ARN in this bucket ("out/*" for
 * `${Bucket.Arn}/out/*`), "" for any bucket ("*"), undefined when the ARN is
 * not about this bucket's objects.
 */
function keyPattern(text: string, bucketId: string, bucket: CfnResource): string | undefined {
  if (text === '*' || text === 'arn:aws:s3:::*' || /^arn:\$\{AWS::Partition\}:s3:::\*$/.test(text)) return '*';
  const mentions = [`\\$\\{${escapeRegExp(bucketId)}(\\.[A-Za-z0-9.]+)?\\}`];
  const name = textOf(prop(bucket, 'BucketName'));
  if (name !== undefined && name !== '') mentions.push(escapeRegExp(name));
  for (const m of mentions) {
    const match = new RegExp(`(${m})/(.*)$`).exec(text);
    if (match) return match[match.length - 1];
  }
  return undefined;
}

/** The literal prefix of a key pattern: up to the first wildcard or variable. */
function literalPrefix(pattern: string): string {
  const cut = pattern.search(/[*?]|\$\{/);
  return cut < 0 ? pattern : pattern.slice(0, cut);
}

/** Literal key prefixes the function may write to in the bucket ("" = anywhere). */
function outputPrefixes(ctx: RuleContext, fnResource: CfnResource, bucketId: string, bucket: CfnResource): string[] {
  const roleId = functionRoleId(ctx, fnResource);
  if (roleId === undefined) return [];
  const prefixes: string[] = [];
  for (const { doc, path } of rolePolicyDocuments(ctx, roleId)) {
    for (const { statement } of statementsOf(doc, path)) {
      if (!isAllow(statement) || !statementGrants(statement, 's3:PutObject')) continue;
      for (const r of resourcesOf(statement)) {
        const text = textOf(r);
        if (text === undefined) continue;
        const pattern = keyPattern(text, bucketId, bucket);
        if (pattern !== undefined) prefixes.push(literalPrefix(pattern));
      }
    }
  }
  return prefixes;
}

export const rule: Rule = {
  id: 's3-lambda-no-self-trigger',
  level: 'error',
  explanation:
    'A function triggered by object creation that writes its output into the same bucket where the trigger can see it invokes itself forever (and bills for it). Output must go to another bucket, or to a prefix the trigger filter can never match.',
  fix: "Write the output to a separate bucket, or give the notification Filter: { S3Key: { Rules: [ { Name: prefix, Value: uploads/ } ] } } and allow s3:PutObject only on a disjoint prefix (!Sub '${Bucket.Arn}/thumbnails/*').",
  resourceTypes: ['AWS::S3::Bucket'],
  check(id, resource, ctx) {
    const found: RuleOutcome[] = [];
    for (const { item: config, index } of objectsOf(prop(resource, 'NotificationConfiguration.LambdaConfigurations'))) {
      const fn = resolveRef(ctx, config.Function);
      if (!fn || fn.resource.Type !== 'AWS::Lambda::Function') continue;
      const outputs = outputPrefixes(ctx, fn.resource, id, resource);
      if (outputs.length === 0) continue;
      const prefixRule = objectsOf(getPath(config, 'Filter.S3Key.Rules')).find(
        ({ item }) => textOf(getCaseless(item, 'Name'))?.toLowerCase() === 'prefix',
      );
      const triggerPrefix = prefixRule ? (textOf(getCaseless(prefixRule.item, 'Value')) ?? '') : '';
      const overlapping = [...new Set(outputs)].filter((p) => p.startsWith(triggerPrefix) || triggerPrefix.startsWith(p));
      if (overlapping.length > 0) {
        const where = overlapping.map((p) => (p === '' ? 'anywhere in the bucket' : `under ${p}`)).join(', ');
        found.push(
          nonCompliant(
            `${fn.id} is triggered by this bucket${triggerPrefix === '' ? ' (no prefix filter)' : ` on prefix ${triggerPrefix}`} and may write ${where}: it can trigger itself`,
            `Properties.NotificationConfiguration.LambdaConfigurations.${index}`,
          ),
        );
      }
    }
    return outcomes(found);
  },
};
