import type { Rule, RuleOutcome } from '../rule-types.js';
import { compliant, nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { refTarget, resolveRef } from '../rule-helpers/refs.js';
import { asList, isSet, prop } from '../rule-helpers/values.js';
import { isPublicSubnet } from '../rule-helpers/vpc.js';

export const rule: Rule = {
  id: 'rds-private-subnets',
  level: 'error',
  explanation: 'The database belongs in private subnets (no route to an internet gateway); without a subnet group it is placed in the default VPC.',
  fix: 'Set DBSubnetGroupName to an AWS::RDS::DBSubnetGroup whose SubnetIds are private subnets (MapPublicIpOnLaunch false, route table without an internet gateway route).',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  check(_id, resource, ctx) {
    if (resource.Type === 'AWS::RDS::DBInstance' && isSet(prop(resource, 'DBClusterIdentifier'))) return notApplicable;
    const groupName = prop(resource, 'DBSubnetGroupName');
    if (!isSet(groupName)) return nonCompliant('DBSubnetGroupName is not set (default VPC)', 'Properties.DBSubnetGroupName');
    const group = resolveRef(ctx, groupName);
    if (!group || group.resource.Type !== 'AWS::RDS::DBSubnetGroup') return compliant;
    const found: RuleOutcome[] = [];
    for (const subnet of asList(prop(group.resource, 'SubnetIds'))) {
      const subnetId = refTarget(subnet);
      if (subnetId !== undefined && isPublicSubnet(ctx, subnetId) === true) {
        found.push(nonCompliant(`subnet group ${group.id} contains the public subnet ${subnetId}`, 'Properties.DBSubnetGroupName'));
      }
    }
    return outcomes(found);
  },
};
