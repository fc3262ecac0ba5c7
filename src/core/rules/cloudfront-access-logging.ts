import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { resourcesReferencing } from '../rule-helpers/refs.js';
import { isSet, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'cloudfront-access-logging',
  level: 'error',
  explanation: 'Access logs are the only record of who requested what through the distribution.',
  fix: 'Set DistributionConfig.Logging: { Bucket: !GetAtt LogBucket.RegionalDomainName, Prefix: cloudfront/ } (log bucket with ObjectOwnership ObjectWriter), or add standard logging v2 (AWS::Logs::DeliverySource with ResourceArn of the distribution, plus a delivery).',
  resourceTypes: ['AWS::CloudFront::Distribution'],
  check(id, resource, ctx) {
    if (isSet(prop(resource, 'DistributionConfig.Logging.Bucket'))) return compliant;
    if (resourcesReferencing(ctx, id, 'AWS::Logs::DeliverySource', 'ResourceArn').length > 0) return compliant;
    return nonCompliant('the distribution has no access logging (no Logging.Bucket and no log delivery source)', 'Properties.DistributionConfig.Logging');
  },
};
