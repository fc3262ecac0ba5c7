import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { isSet, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'cloudfront-waf',
  level: 'warning',
  explanation: 'A WAF web ACL is optional in the baseline (cdk-nag CFR2): it blocks common exploits and floods before they reach the origin, at a monthly cost.',
  fix: 'Set DistributionConfig.WebACLId to an AWS::WAFv2::WebACL (scope CLOUDFRONT, us-east-1), or suppress this rule and cdk-nag CFR2 with the reason.',
  resourceTypes: ['AWS::CloudFront::Distribution'],
  check(_id, resource) {
    return isSet(prop(resource, 'DistributionConfig.WebACLId'))
      ? compliant
      : nonCompliant('the distribution has no WAF web ACL', 'Properties.DistributionConfig.WebACLId');
  },
};
