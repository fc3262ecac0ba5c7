import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { isIntrinsic, isSet, isTrue, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'rds-storage-encrypted',
  level: 'error',
  explanation: 'Database storage, its snapshots and backups must be encrypted at rest; encryption cannot be turned on later without a copy and a restore.',
  fix: 'Set StorageEncrypted: true (optionally KmsKeyId) on the DB instance or DB cluster.',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  check(_id, resource) {
    if (resource.Type === 'AWS::RDS::DBInstance' && isSet(prop(resource, 'DBClusterIdentifier'))) return notApplicable;
    const v = prop(resource, 'StorageEncrypted');
    return isTrue(v) || isIntrinsic(v) ? compliant : nonCompliant('StorageEncrypted is not true', 'Properties.StorageEncrypted');
  },
};
