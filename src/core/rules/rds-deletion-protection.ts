import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { isIntrinsic, isSet, isTrue, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'rds-deletion-protection',
  level: 'error',
  explanation: 'Deletion protection makes a delete (console, CLI or stack) fail until it is turned off on purpose.',
  fix: 'Set DeletionProtection: true on the DB instance or DB cluster.',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  check(_id, resource) {
    if (resource.Type === 'AWS::RDS::DBInstance' && isSet(prop(resource, 'DBClusterIdentifier'))) return notApplicable;
    const v = prop(resource, 'DeletionProtection');
    return isTrue(v) || isIntrinsic(v) ? compliant : nonCompliant('DeletionProtection is not true', 'Properties.DeletionProtection');
  },
};
