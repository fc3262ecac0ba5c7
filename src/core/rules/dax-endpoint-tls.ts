import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { isIntrinsic, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'dax-endpoint-tls',
  level: 'error',
  explanation: 'Without TLS the DAX cluster endpoint serves items in clear text inside the VPC; the encryption type can only be chosen at creation.',
  fix: 'Set ClusterEndpointEncryptionType: TLS (clients then connect with daxs://; this replaces an existing cluster).',
  resourceTypes: ['AWS::DAX::Cluster'],
  check(_id, resource) {
    const v = prop(resource, 'ClusterEndpointEncryptionType');
    return v === 'TLS' || isIntrinsic(v) ? compliant : nonCompliant(`ClusterEndpointEncryptionType is ${JSON.stringify(v ?? 'NONE')}, not TLS`, 'Properties.ClusterEndpointEncryptionType');
  },
};
