import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { isIntrinsic, isTrue, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'dax-encryption-at-rest',
  level: 'error',
  explanation: 'DAX nodes cache table items on disk; encryption at rest can only be chosen when the cluster is created, so it must be right from the start.',
  fix: 'Set SSESpecification: { SSEEnabled: true } on the DAX cluster (this replaces an existing cluster).',
  resourceTypes: ['AWS::DAX::Cluster'],
  check(_id, resource) {
    const v = prop(resource, 'SSESpecification.SSEEnabled');
    return isTrue(v) || isIntrinsic(v) ? compliant : nonCompliant('SSESpecification.SSEEnabled is not true', 'Properties.SSESpecification.SSEEnabled');
  },
};
