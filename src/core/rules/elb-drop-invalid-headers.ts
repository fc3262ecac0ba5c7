import type { Rule } from '../rule-types.js';
import { isApplicationLb, lbAttribute } from '../rule-helpers/load-balancers.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { isIntrinsic, isTrue } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'elb-drop-invalid-headers',
  level: 'error',
  explanation: 'Headers with invalid characters are a request-smuggling vector between the load balancer and the targets; the ALB should drop them.',
  fix: "Add LoadBalancerAttributes entry { Key: routing.http.drop_invalid_header_fields.enabled, Value: 'true' }.",
  resourceTypes: ['AWS::ElasticLoadBalancingV2::LoadBalancer'],
  check(_id, resource) {
    if (!isApplicationLb(resource)) return notApplicable;
    const v = lbAttribute(resource, 'routing.http.drop_invalid_header_fields.enabled');
    return isTrue(v) || isIntrinsic(v) ? compliant : nonCompliant('routing.http.drop_invalid_header_fields.enabled is not true', 'Properties.LoadBalancerAttributes');
  },
};
