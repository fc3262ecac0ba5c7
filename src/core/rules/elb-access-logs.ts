import type { Rule, RuleOutcome } from '../rule-types.js';
import { isApplicationLb, lbAttribute } from '../rule-helpers/load-balancers.js';
import { nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { isIntrinsic, isSet, isTrue } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'elb-access-logs',
  level: 'error',
  explanation: 'ALB access logs are the record of every request that reached the origin, needed to investigate abuse and errors.',
  fix: "Add LoadBalancerAttributes { Key: access_logs.s3.enabled, Value: 'true' } and { Key: access_logs.s3.bucket, Value: !Ref LogBucket } (the bucket policy must allow the ELB log delivery).",
  resourceTypes: ['AWS::ElasticLoadBalancingV2::LoadBalancer'],
  check(_id, resource) {
    if (!isApplicationLb(resource)) return notApplicable;
    const found: RuleOutcome[] = [];
    const enabled = lbAttribute(resource, 'access_logs.s3.enabled');
    if (!isTrue(enabled) && !isIntrinsic(enabled)) found.push(nonCompliant('access_logs.s3.enabled is not true', 'Properties.LoadBalancerAttributes'));
    else if (!isSet(lbAttribute(resource, 'access_logs.s3.bucket'))) found.push(nonCompliant('access_logs.s3.bucket is not set', 'Properties.LoadBalancerAttributes'));
    return outcomes(found);
  },
};
