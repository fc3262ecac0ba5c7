import type { Rule, RuleOutcome } from '../rule-types.js';
import { headerRulesOf, isApplicationLb, listenersOf } from '../rule-helpers/load-balancers.js';
import { nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { asList, isSet, prop } from '../rule-helpers/values.js';
import { ingressRulesOf, securityGroupIds } from '../rule-helpers/vpc.js';

export const rule: Rule = {
  id: 'alb-origin-lock-prefix-list',
  level: 'error',
  explanation:
    'When the ALB is locked behind CloudFront (a listener rule checks the secret origin header), its security group must admit only CloudFront\'s origin-facing addresses, the com.amazonaws.global.cloudfront.origin-facing managed prefix list, whose id differs per region; any CIDR ingress lets clients bypass CloudFront.',
  fix: 'Give the ALB security group only ingress { IpProtocol: tcp, FromPort: 443, ToPort: 443, SourcePrefixListId: <origin-facing prefix list id for the region, from a Mappings entry or parameter> } and no CidrIp / CidrIpv6 rules.',
  resourceTypes: ['AWS::ElasticLoadBalancingV2::LoadBalancer'],
  check(id, resource, ctx) {
    if (!isApplicationLb(resource)) return notApplicable;
    const locked = listenersOf(ctx, id).some(({ id: listenerId }) => headerRulesOf(ctx, listenerId).length > 0);
    if (!locked) return notApplicable;
    const groupsValue = prop(resource, 'SecurityGroups');
    if (asList(groupsValue).length === 0) return nonCompliant('the locked ALB has no SecurityGroups (the default group applies)', 'Properties.SecurityGroups');
    const found: RuleOutcome[] = [];
    let prefixList = false;
    const groups = securityGroupIds(ctx, groupsValue);
    for (const groupId of groups) {
      for (const { rule: ingress, ownerId, path } of ingressRulesOf(ctx, groupId)) {
        if (isSet(ingress.SourcePrefixListId)) prefixList = true;
        const cidr = isSet(ingress.CidrIp) ? 'CidrIp' : isSet(ingress.CidrIpv6) ? 'CidrIpv6' : undefined;
        if (cidr !== undefined) {
          found.push(nonCompliant(`security group ${groupId} admits ${cidr} ${JSON.stringify(ingress[cidr])} (${ownerId} ${path}), which bypasses CloudFront`, 'Properties.SecurityGroups'));
        }
      }
    }
    if (groups.length > 0 && !prefixList) {
      found.push(nonCompliant('no ALB security group ingress uses SourcePrefixListId (the CloudFront origin-facing prefix list)', 'Properties.SecurityGroups'));
    }
    return outcomes(found);
  },
};
