import type { Rule, RuleOutcome } from '../rule-types.js';
import { isAllow, isWildcardPrincipal, statementsOf } from '../rule-helpers/iam-statements.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 's3-policy-no-public-principal',
  level: 'error',
  explanation: 'An Allow statement with Principal "*" grants the bucket to anyone; conditions are easy to get wrong, so the baseline forbids it.',
  fix: 'Name the principal exactly: { Service: cloudfront.amazonaws.com } with an AWS:SourceArn condition on the distribution for OAC, or the role ARNs that need access.',
  resourceTypes: ['AWS::S3::BucketPolicy'],
  check(_id, resource) {
    const found: RuleOutcome[] = [];
    for (const { statement, path } of statementsOf(prop(resource, 'PolicyDocument'), 'Properties.PolicyDocument')) {
      if (isAllow(statement) && isWildcardPrincipal(statement.Principal)) {
        found.push(nonCompliant('an Allow statement grants Principal "*"', `${path}.Principal`));
      }
    }
    return outcomes(found);
  },
};
