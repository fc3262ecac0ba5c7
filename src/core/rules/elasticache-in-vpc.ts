import type { Rule, RuleOutcome } from '../rule-types.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { asList, isSet, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'elasticache-in-vpc',
  level: 'error',
  explanation: 'A cache must live in the app\'s private subnets behind a security group; without a subnet group it lands in the default VPC with the default security group.',
  fix: 'ReplicationGroup/CacheCluster: set CacheSubnetGroupName (an AWS::ElastiCache::SubnetGroup of private subnets) and SecurityGroupIds / VpcSecurityGroupIds. ServerlessCache: set SubnetIds and SecurityGroupIds.',
  resourceTypes: ['AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ServerlessCache'],
  check(_id, resource) {
    const found: RuleOutcome[] = [];
    if (resource.Type === 'AWS::ElastiCache::ServerlessCache') {
      if (asList(prop(resource, 'SubnetIds')).length === 0) found.push(nonCompliant('SubnetIds is not set (default VPC subnets)', 'Properties.SubnetIds'));
      if (asList(prop(resource, 'SecurityGroupIds')).length === 0) found.push(nonCompliant('SecurityGroupIds is not set (default security group)', 'Properties.SecurityGroupIds'));
      return outcomes(found);
    }
    if (isSet(prop(resource, 'CacheSecurityGroupNames'))) {
      found.push(nonCompliant('CacheSecurityGroupNames (EC2-Classic) is used instead of VPC security groups', 'Properties.CacheSecurityGroupNames'));
    }
    if (!isSet(prop(resource, 'CacheSubnetGroupName'))) found.push(nonCompliant('CacheSubnetGroupName is not set (default VPC)', 'Properties.CacheSubnetGroupName'));
    const sgKey = resource.Type === 'AWS::ElastiCache::CacheCluster' ? 'VpcSecurityGroupIds' : 'SecurityGroupIds';
    if (asList(prop(resource, sgKey)).length === 0) found.push(nonCompliant(`${sgKey} is not set (default security group)`, `Properties.${sgKey}`));
    return outcomes(found);
  },
};
