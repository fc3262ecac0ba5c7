import type { Rule, RuleOutcome } from '../rule-types.js';
import { nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { isIntrinsic, isSet, isTrue, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'rds-managed-master-password',
  level: 'error',
  explanation: 'With ManageMasterUserPassword, RDS generates the master password into Secrets Manager and rotates it; nobody types it and it never appears in the template.',
  fix: 'Set ManageMasterUserPassword: true and remove MasterUserPassword (the secret ARN is the MasterUserSecret.SecretArn attribute).',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  check(_id, resource) {
    const inherited =
      resource.Type === 'AWS::RDS::DBInstance'
        ? ['DBClusterIdentifier', 'SourceDBInstanceIdentifier', 'DBSnapshotIdentifier', 'SourceDBClusterIdentifier']
        : ['SnapshotIdentifier', 'SourceDBClusterIdentifier', 'GlobalClusterIdentifier'];
    if (inherited.some((k) => isSet(prop(resource, k))) && !isSet(prop(resource, 'MasterUserPassword'))) return notApplicable;
    const found: RuleOutcome[] = [];
    const managed = prop(resource, 'ManageMasterUserPassword');
    if (!isTrue(managed) && !isIntrinsic(managed)) found.push(nonCompliant('ManageMasterUserPassword is not true', 'Properties.ManageMasterUserPassword'));
    if (isSet(prop(resource, 'MasterUserPassword'))) found.push(nonCompliant('MasterUserPassword is set in the template', 'Properties.MasterUserPassword'));
    return outcomes(found);
  },
};
