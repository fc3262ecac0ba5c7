import type { Rule, RuleOutcome } from '../rule-types.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { textsOf } from '../rule-helpers/text.js';
import { prop } from '../rule-helpers/values.js';
import type { Json } from '../types.js';

export const rule: Rule = {
  id: 'iam-no-aws-managed-policies',
  level: 'error',
  explanation: 'AWS-managed policies (arn:aws:iam::aws:policy/...) are written for every customer, grant far more than one function needs and change without notice.',
  fix: 'Replace the managed policy with an inline policy listing the exact actions and ARNs (for logs: logs:CreateLogStream and logs:PutLogEvents on the function log group ARN).',
  resourceTypes: ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'],
  check(_id, resource) {
    const found: RuleOutcome[] = [];
    const arns = prop(resource, 'ManagedPolicyArns');
    const entries: { value: Json; index: number }[] = Array.isArray(arns) ? arns.map((value, index) => ({ value, index })) : arns === undefined ? [] : [{ value: arns, index: -1 }];
    for (const { value, index } of entries) {
      for (const text of textsOf(value)) {
        if (text.includes(':iam::aws:policy/')) {
          found.push(nonCompliant(`AWS-managed policy ${text.slice(text.indexOf(':iam::aws:policy/') + 17)} is attached`, `Properties.ManagedPolicyArns${index >= 0 ? `.${index}` : ''}`));
        }
      }
    }
    return outcomes(found);
  },
};
