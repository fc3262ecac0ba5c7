import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { isIntrinsic, isTrue, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'elasticache-encryption-at-rest',
  level: 'error',
  explanation: 'Cache nodes write data to disk (snapshots, swap, data tiering); it must be encrypted at rest, which is only possible for replication groups and serverless caches.',
  fix: 'Use an AWS::ElastiCache::ReplicationGroup (Valkey or Redis OSS) with AtRestEncryptionEnabled: true, or an AWS::ElastiCache::ServerlessCache (always encrypted).',
  resourceTypes: ['AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::CacheCluster'],
  check(_id, resource) {
    if (resource.Type === 'AWS::ElastiCache::CacheCluster') {
      return nonCompliant('an AWS::ElastiCache::CacheCluster cannot be encrypted at rest', 'Type');
    }
    const v = prop(resource, 'AtRestEncryptionEnabled');
    return isTrue(v) || isIntrinsic(v) ? compliant : nonCompliant('AtRestEncryptionEnabled is not true', 'Properties.AtRestEncryptionEnabled');
  },
};
