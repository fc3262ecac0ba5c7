import type { Rule, RuleOutcome } from '../rule-types.js';
import { nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { asList, isSet, prop } from '../rule-helpers/values.js';
import { ingressRulesOf, securityGroupIds } from '../rule-helpers/vpc.js';

export const rule: Rule = {
  id: 'rds-ingress-from-app-sg',
  level: 'error',
  explanation: 'Only the application may reach the database: its security group must admit the app\'s security group and nothing addressed by CIDR or prefix list.',
  fix: 'Give the database its own AWS::EC2::SecurityGroup whose only ingress is { IpProtocol: tcp, FromPort/ToPort: <db port>, SourceSecurityGroupId: !Ref AppSecurityGroup }, and list it in VPCSecurityGroups (instance) or VpcSecurityGroupIds (cluster).',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  check(_id, resource, ctx) {
    if (resource.Type === 'AWS::RDS::DBInstance' && isSet(prop(resource, 'DBClusterIdentifier'))) return notApplicable;
    const key = resource.Type === 'AWS::RDS::DBInstance' ? 'VPCSecurityGroups' : 'VpcSecurityGroupIds';
    const value = prop(resource, key);
    if (asList(value).length === 0) return nonCompliant(`${key} is not set: the default security group applies`, `Properties.${key}`);
    const found: RuleOutcome[] = [];
    for (const groupId of securityGroupIds(ctx, value)) {
      for (const { rule: ingress, ownerId, path } of ingressRulesOf(ctx, groupId)) {
        const source = ['CidrIp', 'CidrIpv6', 'SourcePrefixListId'].find((k) => isSet(ingress[k]));
        if (source !== undefined || !isSet(ingress.SourceSecurityGroupId)) {
          found.push(
            nonCompliant(
              `security group ${groupId} admits ${source !== undefined ? `${source} ${JSON.stringify(ingress[source])}` : 'a source that is not a security group'} (${ownerId} ${path}); only the app security group may reach the database`,
              `Properties.${key}`,
            ),
          );
        }
      }
    }
    return outcomes(found);
  },
};
