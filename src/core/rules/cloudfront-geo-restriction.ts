import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { isIntrinsic, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'cloudfront-geo-restriction',
  level: 'warning',
  explanation: 'Geo restriction is optional in the baseline (cdk-nag CFR1): restricting countries you do not serve cuts abuse, but most apps serve everyone.',
  fix: 'Set DistributionConfig.Restrictions.GeoRestriction (whitelist of served countries), or suppress this rule and cdk-nag CFR1 with the reason (for example "served worldwide").',
  resourceTypes: ['AWS::CloudFront::Distribution'],
  check(_id, resource) {
    const type = prop(resource, 'DistributionConfig.Restrictions.GeoRestriction.RestrictionType');
    if (isIntrinsic(type) || type === 'whitelist' || type === 'blacklist') return compliant;
    return nonCompliant('the distribution has no geo restriction', 'Properties.DistributionConfig.Restrictions.GeoRestriction');
  },
};
