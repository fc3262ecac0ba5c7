/** VPC: security group ingress rules and public subnets. */
import type { RuleContext } from '../rule-types.js';
import type { CfnResource, Json, JsonObject } from '../types.js';
import { refTarget, refersTo, resolveRef, resourcesOfType } from './refs.js';
import { textOf } from './text.js';
import { asList, asNumber, isTrue, objectsOf, prop, props } from './values.js';

export interface IngressRef {
  rule: JsonObject;
  /** The resource holding the rule (the group itself, or an AWS::EC2::SecurityGroupIngress). */
  ownerId: string;
  path: string;
}

/** Ingress rules of a template security group: inline ones and AWS::EC2::SecurityGroupIngress resources. */
export function ingressRulesOf(ctx: RuleContext, groupId: string): IngressRef[] {
  const group = ctx.resources[groupId];
  if (!group) return [];
  const out: IngressRef[] = objectsOf(prop(group, 'SecurityGroupIngress')).map(({ item, index }) => ({
    rule: item,
    ownerId: groupId,
    path: `Properties.SecurityGroupIngress.${index}`,
  }));
  for (const { id, resource } of resourcesOfType(ctx, 'AWS::EC2::SecurityGroupIngress')) {
    if (refersTo(prop(resource, 'GroupId'), groupId)) out.push({ rule: props(resource), ownerId: id, path: 'Properties' });
  }
  return out;
}

/** True when the rule is open to the whole internet (0.0.0.0/0 or ::/0). */
export function isOpenToWorld(rule: JsonObject): boolean {
  return rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0';
}

/** Port range of an ingress rule; undefined bounds when not literal. "-1" protocol means all ports. */
export function portRange(rule: JsonObject): { all: boolean; from?: number; to?: number } {
  const protocol = textOf(rule.IpProtocol);
  if (protocol === '-1' || protocol === 'all') return { all: true };
  const from = asNumber(rule.FromPort);
  const to = asNumber(rule.ToPort);
  const range: { all: boolean; from?: number; to?: number } = { all: from === -1 };
  if (from !== undefined) range.from = from;
  if (to !== undefined) range.to = to;
  return range;
}

/** The template security groups a value (list of Ref/GetAtt GroupId) points at. */
export function securityGroupIds(ctx: RuleContext, value: Json | undefined): string[] {
  return asList(value)
    .map((v) => resolveRef(ctx, v))
    .filter((t): t is { id: string; resource: CfnResource } => t !== undefined && t.resource.Type === 'AWS::EC2::SecurityGroup')
    .map((t) => t.id);
}

/**
 * True when a template subnet is public (MapPublicIpOnLaunch, or its route
 * table routes to an internet gateway); false when it is private; undefined
 * when the subnet is not in the template.
 */
export function isPublicSubnet(ctx: RuleContext, subnetId: string): boolean | undefined {
  const subnet = ctx.resources[subnetId];
  if (!subnet || subnet.Type !== 'AWS::EC2::Subnet') return undefined;
  if (isTrue(prop(subnet, 'MapPublicIpOnLaunch'))) return true;
  const tables = resourcesOfType(ctx, 'AWS::EC2::SubnetRouteTableAssociation')
    .filter(({ resource }) => refersTo(prop(resource, 'SubnetId'), subnetId))
    .map(({ resource }) => refTarget(prop(resource, 'RouteTableId')))
    .filter((t): t is string => t !== undefined);
  return resourcesOfType(ctx, 'AWS::EC2::Route').some(({ resource }) => {
    if (!tables.some((t) => refersTo(prop(resource, 'RouteTableId'), t))) return false;
    const gateway = prop(resource, 'GatewayId');
    const target = resolveRef(ctx, gateway);
    return target?.resource.Type === 'AWS::EC2::InternetGateway' || (textOf(gateway) ?? '').startsWith('igw-');
  });
}
