import type { Rule, RuleOutcome } from '../rule-types.js';
import { compliant, nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { isIntrinsic, isTrue, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'elasticache-in-transit-encryption',
  level: 'error',
  explanation:
    'Without TLS the AUTH token and every cached value cross the VPC in clear text; TransitEncryptionMode "preferred" still accepts plain connections, so it must be "required".',
  fix: 'Set TransitEncryptionEnabled: true and TransitEncryptionMode: required on the replication group (clients connect with TLS).',
  resourceTypes: ['AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::CacheCluster'],
  check(_id, resource) {
    const enabled = prop(resource, 'TransitEncryptionEnabled');
    if (resource.Type === 'AWS::ElastiCache::CacheCluster') {
      return isTrue(enabled) || isIntrinsic(enabled) ? compliant : nonCompliant('TransitEncryptionEnabled is not true', 'Properties.TransitEncryptionEnabled');
    }
    const found: RuleOutcome[] = [];
    if (!isTrue(enabled) && !isIntrinsic(enabled)) found.push(nonCompliant('TransitEncryptionEnabled is not true', 'Properties.TransitEncryptionEnabled'));
    const mode = prop(resource, 'TransitEncryptionMode');
    if (mode !== 'required' && !isIntrinsic(mode)) {
      found.push(nonCompliant(`TransitEncryptionMode is ${JSON.stringify(mode ?? null)}, not required`, 'Properties.TransitEncryptionMode'));
    }
    return outcomes(found);
  },
};
