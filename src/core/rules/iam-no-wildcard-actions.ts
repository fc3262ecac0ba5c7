import type { Rule, RuleOutcome } from '../rule-types.js';
import { IAM_POLICY_TYPES, policyDocumentsOf, trustPolicyOf } from '../rule-helpers/iam-policies.js';
import { actionsOf, isAllow, statementsOf } from '../rule-helpers/iam-statements.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';

export const rule: Rule = {
  id: 'iam-no-wildcard-actions',
  level: 'error',
  explanation:
    'Least privilege means naming each action; "*", "service:*" or "s3:Get*" grant actions nobody reviewed, including ones added to the service later. Role trust policies count too: "sts:*" or "sts:AssumeRole*" lets the trusted principal assume the role in ways (web identity, SAML) whose conditions nobody wrote.',
  fix: 'List the exact actions the code calls (for example dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query) instead of wildcards, and use Action rather than NotAction in Allow statements; in AssumeRolePolicyDocument name the exact action (sts:AssumeRole, sts:AssumeRoleWithWebIdentity).',
  resourceTypes: IAM_POLICY_TYPES,
  check(_id, resource) {
    const found: RuleOutcome[] = [];
    const trust = trustPolicyOf(resource);
    for (const { doc, path: docPath } of [...policyDocumentsOf(resource), ...(trust ? [trust] : [])]) {
      for (const { statement, path } of statementsOf(doc, docPath)) {
        if (!isAllow(statement)) continue;
        if (statement.NotAction !== undefined) {
          found.push(nonCompliant('an Allow statement uses NotAction, which grants every other action', `${path}.NotAction`));
        }
        for (const action of actionsOf(statement)) {
          if (action === '*' || /^[^:]+:\*$/.test(action)) {
            found.push(nonCompliant(`Action ${JSON.stringify(action)} grants every action${action === '*' ? '' : ` of ${action.split(':')[0]}`}`, `${path}.Action`));
          } else if (action.includes('*') || action.includes('?')) {
            found.push(nonCompliant(`Action ${JSON.stringify(action)} is a wildcard, not an exact action`, `${path}.Action`));
          }
        }
      }
    }
    return outcomes(found);
  },
};
