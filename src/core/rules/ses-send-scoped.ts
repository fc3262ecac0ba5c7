import type { Rule, RuleOutcome } from '../rule-types.js';
import { IAM_POLICY_TYPES, policyDocumentsOf } from '../rule-helpers/iam-policies.js';
import { hasConditionKey, isAllow, resourcesOf, statementGrants, statementsOf } from '../rule-helpers/iam-statements.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { textOf } from '../rule-helpers/text.js';

const SEND_ACTIONS = ['ses:SendEmail', 'ses:SendRawEmail', 'ses:SendTemplatedEmail', 'ses:SendBulkEmail', 'ses:SendBulkTemplatedEmail'];

export const rule: Rule = {
  id: 'ses-send-scoped',
  level: 'error',
  explanation:
    'A function allowed to send from any identity, or from any address of a domain, can be abused to send phishing mail as the organisation; sending must be limited to the one identity and the one From address.',
  fix: "Resource: !Sub 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/<domain or address>' (plus the configuration-set ARN when one is used) and Condition: { StringEquals: { 'ses:FromAddress': 'no-reply@example.com' } }.",
  resourceTypes: IAM_POLICY_TYPES,
  check(_id, resource) {
    const found: RuleOutcome[] = [];
    for (const { doc, path: docPath } of policyDocumentsOf(resource)) {
      for (const { statement, path } of statementsOf(doc, docPath)) {
        if (!isAllow(statement) || !SEND_ACTIONS.some((a) => statementGrants(statement, a))) continue;
        const texts = resourcesOf(statement).map((r) => textOf(r));
        const known = texts.filter((t): t is string => t !== undefined);
        const broad = known.filter((t) => t === '*' || /:identity\/\*$/.test(t));
        if (broad.length > 0) {
          found.push(nonCompliant(`SES send is allowed on ${broad.map((b) => JSON.stringify(b)).join(', ')}, not on the sending identity's ARN`, `${path}.Resource`));
        } else if (known.length === texts.length && !known.some((t) => t.includes(':identity/'))) {
          found.push(nonCompliant('SES send is not limited to an identity ARN (arn:...:ses:<region>:<account>:identity/<name>)', `${path}.Resource`));
        }
        if (!hasConditionKey(statement, 'ses:FromAddress')) {
          found.push(nonCompliant('SES send has no ses:FromAddress condition, so any From address of the identity can be used', `${path}.Condition`));
        }
      }
    }
    return outcomes(found);
  },
};
