import type { Rule, RuleOutcome } from '../rule-types.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { isObject, isTrue, prop } from '../rule-helpers/values.js';

const FLAGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'] as const;

export const rule: Rule = {
  id: 's3-block-public-access',
  level: 'error',
  explanation:
    'A bucket without all four Block Public Access flags can be made public by one ACL or policy change; the flags make that impossible for the bucket.',
  fix: 'Set PublicAccessBlockConfiguration with BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls and RestrictPublicBuckets all true.',
  resourceTypes: ['AWS::S3::Bucket'],
  check(_id, resource) {
    const config = prop(resource, 'PublicAccessBlockConfiguration');
    if (!isObject(config)) {
      return nonCompliant('the bucket has no PublicAccessBlockConfiguration', 'Properties.PublicAccessBlockConfiguration');
    }
    const found: RuleOutcome[] = [];
    for (const flag of FLAGS) {
      if (!isTrue(config[flag])) {
        found.push(nonCompliant(`${flag} is not true`, `Properties.PublicAccessBlockConfiguration.${flag}`));
      }
    }
    return outcomes(found);
  },
};
