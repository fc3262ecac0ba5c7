import type { Rule, RuleContext, RuleOutcome } from '../rule-types.js';
import type { CfnResource, JsonObject } from '../types.js';
import { isApplicationLb, listenersOf, redirectsToHttps } from '../rule-helpers/load-balancers.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { refTarget, refersTo, resourcesOfType } from '../rule-helpers/refs.js';
import { asNumber, objectsOf, prop } from '../rule-helpers/values.js';
import { isOpenToWorld, portRange } from '../rule-helpers/vpc.js';

/** Internet-facing ALBs that use the security group. */
function publicAlbsUsing(ctx: RuleContext, groupId: string): { id: string; resource: CfnResource }[] {
  return resourcesOfType(ctx, 'AWS::ElasticLoadBalancingV2::LoadBalancer').filter(
    ({ resource }) => isApplicationLb(resource) && prop(resource, 'Scheme') !== 'internal' && refersTo(prop(resource, 'SecurityGroups'), groupId),
  );
}

function onlyPort(rule: JsonObject, port: number): boolean {
  const range = portRange(rule);
  const protocol = String(rule.IpProtocol ?? '').toLowerCase();
  return !range.all && (protocol === 'tcp' || protocol === '6') && range.from === port && range.to === port;
}

/** Why an open rule is allowed, or undefined when it is not. */
function allowed(ctx: RuleContext, groupId: string | undefined, rule: JsonObject): boolean {
  if (groupId === undefined) return false;
  const albs = publicAlbsUsing(ctx, groupId);
  if (albs.length === 0) return false;
  if (onlyPort(rule, 443)) return true;
  if (onlyPort(rule, 80)) {
    // Port 80 is open only to be redirected to HTTPS.
    return albs.every(({ id }) =>
      listenersOf(ctx, id)
        .filter(({ resource }) => asNumber(prop(resource, 'Port')) === 80)
        .every(({ resource }) => redirectsToHttps(resource)),
    );
  }
  return false;
}

export const rule: Rule = {
  id: 'ec2-no-open-ingress',
  level: 'error',
  explanation:
    'Ingress from 0.0.0.0/0 or ::/0 exposes the port to the whole internet; the only exception is a public ALB on 443, and on 80 when that listener only redirects to HTTPS.',
  fix: 'Replace the CIDR source with SourceSecurityGroupId (the ALB or app security group) or a SourcePrefixListId; keep 0.0.0.0/0 only for tcp 443 (and 80 with a redirect listener) on an internet-facing ALB security group.',
  resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'],
  check(id, resource, ctx) {
    const found: RuleOutcome[] = [];
    const check = (rule: JsonObject, groupId: string | undefined, path: string): void => {
      if (!isOpenToWorld(rule) || allowed(ctx, groupId, rule)) return;
      const range = portRange(rule);
      const ports = range.all ? 'all ports' : range.from === range.to ? `port ${range.from ?? '?'}` : `ports ${range.from ?? '?'}-${range.to ?? '?'}`;
      found.push(nonCompliant(`ingress from ${rule.CidrIp === '0.0.0.0/0' ? '0.0.0.0/0' : '::/0'} on ${ports}`, path));
    };
    if (resource.Type === 'AWS::EC2::SecurityGroup') {
      for (const { item, index } of objectsOf(prop(resource, 'SecurityGroupIngress'))) check(item, id, `Properties.SecurityGroupIngress.${index}`);
    } else {
      check(resource.Properties ?? {}, refTarget(prop(resource, 'GroupId')), 'Properties');
    }
    return outcomes(found);
  },
};
