import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { asNumber, isIntrinsic, isSet, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'rds-backups',
  level: 'error',
  explanation: 'Automated backups (and point-in-time restore with them) exist only while BackupRetentionPeriod is at least 1; the baseline wants it stated.',
  fix: 'Set BackupRetentionPeriod: 7 (1 to 35 days) on the DB instance or DB cluster.',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  check(_id, resource) {
    if (resource.Type === 'AWS::RDS::DBInstance' && (isSet(prop(resource, 'DBClusterIdentifier')) || isSet(prop(resource, 'SourceDBInstanceIdentifier')))) {
      return notApplicable;
    }
    const value = prop(resource, 'BackupRetentionPeriod');
    if (isIntrinsic(value)) return compliant;
    const days = asNumber(value);
    if (days === undefined) return nonCompliant('BackupRetentionPeriod is not set', 'Properties.BackupRetentionPeriod');
    if (days < 1) return nonCompliant('BackupRetentionPeriod is 0: automated backups are off', 'Properties.BackupRetentionPeriod');
    return compliant;
  },
};
