import type { Rule, RuleOutcome } from '../rule-types.js';
import { rolePolicyDocuments } from '../rule-helpers/iam-policies.js';
import { actionsOf, conditionValues, isAllow, resourcesOf, statementGrants, statementsOf } from '../rule-helpers/iam-statements.js';
import { nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { resolveRef } from '../rule-helpers/refs.js';
import { textOf } from '../rule-helpers/text.js';
import { prop } from '../rule-helpers/values.js';

const SUB = '${cognito-identity.amazonaws.com:sub}';
const BUCKET_LEVEL = new Set(['s3:listbucket', 's3:listbucketversions', 's3:listbucketmultipartuploads', 's3:getbucketlocation']);

/** `arn:...:s3:::bucket/<fixed prefix>${sub}/...`: nothing before the sub is a wildcard. */
function scopedToSub(text: string): boolean {
  const at = text.indexOf(`${SUB}/`);
  return at >= 0 && !text.slice(0, at).includes('*');
}

export const rule: Rule = {
  id: 'cognito-identity-s3-per-user',
  level: 'error',
  explanation:
    "Credentials from the identity pool go straight to S3, so the authenticated role's policy is the only thing keeping one user out of another user's files: object actions must be limited to the caller's own ${cognito-identity.amazonaws.com:sub}/ prefix, and listing to that prefix.",
  fix: "Object actions: Resource !Sub 'arn:${AWS::Partition}:s3:::${Bucket}/${!cognito-identity.amazonaws.com:sub}/*'. s3:ListBucket: Resource the bucket ARN with Condition { StringLike: { 's3:prefix': ['${cognito-identity.amazonaws.com:sub}/', '${cognito-identity.amazonaws.com:sub}/*'] } }.",
  resourceTypes: ['AWS::Cognito::IdentityPoolRoleAttachment'],
  check(_id, resource, ctx) {
    const role = resolveRef(ctx, prop(resource, 'Roles.authenticated'));
    if (!role || role.resource.Type !== 'AWS::IAM::Role') return notApplicable;
    const found: RuleOutcome[] = [];
    for (const { doc, path: docPath, ownerId } of rolePolicyDocuments(ctx, role.id)) {
      for (const { statement, path } of statementsOf(doc, docPath)) {
        if (!isAllow(statement)) continue;
        const where = `${ownerId} ${path}`;
        const s3Actions = actionsOf(statement).filter((a) => a === '*' || a.toLowerCase().startsWith('s3:'));
        if (s3Actions.length === 0) continue;
        const objectActions = s3Actions.filter((a) => !BUCKET_LEVEL.has(a.toLowerCase()));
        if (objectActions.length > 0) {
          for (const r of resourcesOf(statement)) {
            const text = textOf(r);
            if (text === undefined) continue;
            if (!scopedToSub(text)) {
              found.push(nonCompliant(`${where}: ${objectActions.join(', ')} on ${JSON.stringify(text)} is not limited to ${SUB}/*`, 'Properties.Roles.authenticated'));
            }
          }
        }
        if (statementGrants(statement, 's3:ListBucket')) {
          const prefixes = [...conditionValues(statement, 'StringLike', 's3:prefix'), ...conditionValues(statement, 'StringEquals', 's3:prefix')];
          const ok =
            prefixes.length > 0 &&
            prefixes.every(scopedToSubPrefix) &&
            prefixes.some((p) => p.endsWith(`${SUB}/`)) &&
            prefixes.some((p) => p.endsWith(`${SUB}/*`));
          if (!ok) {
            found.push(
              nonCompliant(
                prefixes.length === 0
                  ? `${where}: s3:ListBucket has no s3:prefix condition, so the user can list every user's keys`
                  : `${where}: the s3:prefix condition ${JSON.stringify(prefixes)} must hold exactly ${SUB}/ and ${SUB}/* (below a fixed prefix)`,
                'Properties.Roles.authenticated',
              ),
            );
          }
        }
      }
    }
    return outcomes(found);
  },
};

function scopedToSubPrefix(prefix: string): boolean {
  const at = prefix.indexOf(SUB);
  return at >= 0 && !prefix.slice(0, at).includes('*');
}
