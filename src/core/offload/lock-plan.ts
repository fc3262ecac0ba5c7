import type { AuthorizeSecurityGroupIngressRequest, IpPermission, RevokeSecurityGroupIngressRequest } from '@aws-sdk/client-ec2';
import type { Action, CreateRuleInput, ModifyListenerInput, ModifyRuleInput, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ArchctlError } from '../errors.js';

/** One ingress permission of a security group, as DescribeSecurityGroups gives it. */
export interface IngressRule {
  /** "tcp", "udp", "icmp", a protocol number, or "-1" for every protocol. */
  protocol: string;
  /** Absent (or -1) with protocol "-1": every port. */
  fromPort?: number | undefined;
  toPort?: number | undefined;
  cidrs: string[];
  ipv6Cidrs: string[];
  prefixListIds: string[];
  /** Other security groups this rule admits. */
  groupIds: string[];
}

export interface SecurityGroupInput {
  id: string;
  ingress: IngressRule[];
}

export interface ListenerInput {
  arn: string;
  port: number;
  /** HTTP or HTTPS on an application load balancer. */
  protocol: string;
  defaultActions: Action[];
}

/** A listener rule other than the default one, as DescribeRules gives it. */
export interface ListenerRuleInput {
  arn: string;
  priority: number;
  conditions: RuleCondition[];
}

export interface LockOriginInput {
  loadBalancerArn: string;
  securityGroups: SecurityGroupInput[];
  /** The listener CloudFront reaches. */
  listener: ListenerInput;
  /** Its rules besides the default. */
  rules: ListenerRuleInput[];
  /** The load balancer's other listeners: the plan's notes name those left open. */
  otherListeners?: ListenerInput[] | undefined;
  /** com.amazonaws.global.cloudfront.origin-facing in the origin's region (its id differs per region). */
  prefixListId: string;
  /** The prefix list's MaxEntries: a reference counts that many rules against the security group's quota. */
  prefixListMaxEntries?: number | undefined;
  headerName: string;
  /**
   * The secret CloudFront sends in the header. Undefined before the CloudFront
   * stack exists (a dry run): the plan shows what would change and cannot be applied.
   */
  headerValue?: string | undefined;
}

export type LockApiCall =
  | { operation: 'EC2:AuthorizeSecurityGroupIngress'; input: AuthorizeSecurityGroupIngressRequest }
  | { operation: 'ElasticLoadBalancing:CreateRule'; input: CreateRuleInput }
  | { operation: 'ElasticLoadBalancing:ModifyRule'; input: ModifyRuleInput }
  | { operation: 'EC2:RevokeSecurityGroupIngress'; input: RevokeSecurityGroupIngressRequest }
  | { operation: 'ElasticLoadBalancing:ModifyListener'; input: ModifyListenerInput };

export interface LockStep {
  /** One line for people; never contains the secret. */
  description: string;
  /** Exactly what is sent; the header conditions carry the secret, so never print this. */
  apiCall: LockApiCall;
}

export interface LockPlan {
  loadBalancerArn: string;
  listenerArn: string;
  /** In the order they are applied: see LOCK_ORDER. */
  steps: LockStep[];
  notes: string[];
  /** False when the plan was made without the secret (before the CloudFront stack exists). */
  applicable: boolean;
}

/**
 * The order that never locks CloudFront out: first CloudFront gets in (the
 * prefix list rule, and the header rule that forwards it), then the other
 * rules learn the header, and only then do the open CIDR rules go and the
 * default turn into a 403. Any step may fail and leave the origin reachable
 * by CloudFront; at worst it stays reachable by others too.
 */
export const LOCK_ORDER: readonly LockApiCall['operation'][] = [
  'EC2:AuthorizeSecurityGroupIngress',
  'ElasticLoadBalancing:CreateRule',
  'ElasticLoadBalancing:ModifyRule',
  'EC2:RevokeSecurityGroupIngress',
  'ElasticLoadBalancing:ModifyListener',
];

/** Stands in for the secret in a plan made before it exists; applyLockPlan refuses such a plan. */
export const SECRET_NOT_READ = '(the OriginSecretArn secret, read after the CloudFront stack deploys)';

const ALL_PORTS = { from: 0, to: 65535 };
const MAX_PRIORITY = 50_000;
/** ELBv2 quota: condition values per rule. */
const MAX_CONDITION_VALUES = 5;
/** EC2 default quota: inbound rules per security group (adjustable). */
const DEFAULT_RULES_QUOTA = 60;
/** CloudFront's origin-facing list holds about this many entries when MaxEntries is not known. */
const TYPICAL_PREFIX_LIST_ENTRIES = 55;

const FORBIDDEN: Action = { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '403', ContentType: 'text/plain', MessageBody: 'Forbidden' } };

const isTcp = (protocol: string): boolean => protocol === 'tcp' || protocol === '6';
const isAllProtocols = (protocol: string): boolean => protocol === '-1';

function portRange(r: IngressRule): { from: number; to: number } {
  if (isAllProtocols(r.protocol) || r.fromPort === undefined || r.fromPort === -1) return ALL_PORTS;
  return { from: r.fromPort, to: r.toPort ?? r.fromPort };
}

const covers = (r: IngressRule, port: number): boolean => {
  if (!isTcp(r.protocol) && !isAllProtocols(r.protocol)) return false;
  const { from, to } = portRange(r);
  return from <= port && port <= to;
};

const rulePorts = (r: IngressRule): string => {
  if (isAllProtocols(r.protocol)) return 'all traffic';
  const { from, to } = portRange(r);
  return from === to ? `tcp ${from}` : `tcp ${from}-${to}`;
};

/** The ports of a wider rule besides the listener's, which must stay open after the rule goes. */
function remainder(r: IngressRule, port: number): { from: number; to: number }[] {
  const { from, to } = portRange(r);
  return [
    { from, to: port - 1 },
    { from: port + 1, to },
  ].filter((p) => p.from <= p.to);
}

const cidrPermission = (protocol: string, from: number | undefined, to: number | undefined, r: IngressRule, description?: string): IpPermission => ({
  IpProtocol: protocol,
  ...(from !== undefined ? { FromPort: from } : {}),
  ...(to !== undefined ? { ToPort: to } : {}),
  ...(r.cidrs.length ? { IpRanges: r.cidrs.map((CidrIp) => ({ CidrIp, ...(description ? { Description: description } : {}) })) } : {}),
  ...(r.ipv6Cidrs.length ? { Ipv6Ranges: r.ipv6Cidrs.map((CidrIpv6) => ({ CidrIpv6, ...(description ? { Description: description } : {}) })) } : {}),
});

const sameHeader = (a: string | undefined, b: string): boolean => (a ?? '').toLowerCase() === b.toLowerCase();
const headerCondition = (c: RuleCondition, name: string): boolean => c.Field === 'http-header' && sameHeader(c.HttpHeaderConfig?.HttpHeaderName, name);

/**
 * DescribeRules gives both the legacy Values and the *Config of a condition;
 * sending both back is refused, so a condition keeps its Config only.
 */
function resendable(c: RuleCondition): RuleCondition {
  const hasConfig = Boolean(c.HostHeaderConfig || c.PathPatternConfig || c.HttpHeaderConfig || c.QueryStringConfig || c.HttpRequestMethodConfig || c.SourceIpConfig);
  if (!hasConfig) return c;
  const { Values: _legacy, ...rest } = c;
  return rest;
}

function conditionValues(c: RuleCondition): number {
  const configured =
    c.HostHeaderConfig?.Values ?? c.PathPatternConfig?.Values ?? c.HttpHeaderConfig?.Values ?? c.QueryStringConfig?.Values ?? c.HttpRequestMethodConfig?.Values ?? c.SourceIpConfig?.Values;
  return (configured ?? c.Values ?? []).length || 1;
}

/**
 * The default action again, to be sent as a rule's action. Describe calls
 * never return an OIDC client secret: the rule reuses the listener's.
 */
const forwardable = (actions: Action[]): Action[] =>
  actions.map((a) => (a.AuthenticateOidcConfig && !a.AuthenticateOidcConfig.ClientSecret ? { ...a, AuthenticateOidcConfig: { ...a.AuthenticateOidcConfig, UseExistingClientSecret: true } } : a));

const isForbidden = (actions: Action[]): boolean =>
  actions.length === 1 && actions[0]!.Type === 'fixed-response' && actions[0]!.FixedResponseConfig?.StatusCode === '403';

const forwardsDirectly = (actions: Action[]): boolean => actions.some((a) => a.Type === 'forward');

/** Rules a security group holds, as the quota counts them (a prefix list of unknown size as one). */
const ruleCount = (g: SecurityGroupInput): number => g.ingress.reduce((n, r) => n + r.cidrs.length + r.groupIds.length + r.prefixListIds.length, 0);

function securityGroupSteps(input: LockOriginInput, notes: string[]): { allow: LockStep[]; revoke: LockStep[] } {
  const port = input.listener.port;
  const allow: LockStep[] = [];
  const revoke: LockStep[] = [];
  const alreadyAllowed = input.securityGroups.some((g) => g.ingress.some((r) => covers(r, port) && r.prefixListIds.includes(input.prefixListId)));
  // The prefix list goes where the open rule it replaces was, so the quota sees a swap, not an addition.
  const open = (g: SecurityGroupInput) => g.ingress.filter((r) => covers(r, port) && (r.cidrs.length > 0 || r.ipv6Cidrs.length > 0));
  const home = input.securityGroups.find((g) => open(g).length > 0) ?? input.securityGroups[0]!;

  if (!alreadyAllowed) {
    allow.push({
      description: `allow tcp ${port} on ${home.id} from CloudFront's origin-facing prefix list ${input.prefixListId}`,
      apiCall: {
        operation: 'EC2:AuthorizeSecurityGroupIngress',
        input: {
          GroupId: home.id,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, PrefixListIds: [{ PrefixListId: input.prefixListId, Description: 'CloudFront origin-facing (archctl offload)' }] }],
        },
      },
    });
    const entries = input.prefixListMaxEntries ?? TYPICAL_PREFIX_LIST_ENTRIES;
    const total = ruleCount(home) + entries;
    notes.push(
      `the prefix list counts as ${entries} rules against the inbound-rule quota of ${home.id} (${DEFAULT_RULES_QUOTA} by default): with its ${ruleCount(home)} current rules that makes ${total}` +
        (total > DEFAULT_RULES_QUOTA
          ? `, above the default quota: unless it was raised, the first step fails (Service Quotas: Amazon VPC, "Inbound or outbound rules per security group")`
          : ''),
    );
  }

  for (const g of input.securityGroups) {
    for (const r of open(g)) {
      const sources = [...r.cidrs, ...r.ipv6Cidrs].join(', ');
      for (const keep of remainder(r, port)) {
        const ports = keep.from === keep.to ? `${keep.from}` : `${keep.from}-${keep.to}`;
        allow.push({
          description: `keep tcp ${ports} open on ${g.id} to ${sources} (the rule removed below also covered those ports)`,
          apiCall: {
            operation: 'EC2:AuthorizeSecurityGroupIngress',
            input: { GroupId: g.id, IpPermissions: [cidrPermission('tcp', keep.from, keep.to, r, `kept from a wider rule (archctl offload)`)] },
          },
        });
      }
      if (isAllProtocols(r.protocol)) {
        notes.push(`${g.id} admits all traffic from ${sources}: only its TCP ports besides ${port} are kept, other protocols from there are no longer admitted (a load balancer receives only TCP)`);
      }
      revoke.push({
        description: `revoke ${rulePorts(r)} from ${sources} on ${g.id}`,
        apiCall: { operation: 'EC2:RevokeSecurityGroupIngress', input: { GroupId: g.id, IpPermissions: [cidrPermission(r.protocol, r.fromPort, r.toPort, r)] } },
      });
    }
  }
  return { allow, revoke };
}

function listenerSteps(input: LockOriginInput, secret: string): { create: LockStep[]; modify: LockStep[]; forbid: LockStep[] } {
  const { listener, headerName } = input;
  const name = `${listener.protocol}:${listener.port}`;
  const header: RuleCondition = { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: headerName, Values: [secret] } };
  const checksSecret = (c: RuleCondition) => headerCondition(c, headerName) && c.HttpHeaderConfig?.Values?.length === 1 && c.HttpHeaderConfig.Values[0] === secret;
  // A rule that checks the header and nothing else: the one that lets CloudFront through to the old default.
  const passThrough = input.rules.find((r) => r.conditions.length === 1 && headerCondition(r.conditions[0]!, headerName));
  const create: LockStep[] = [];
  const modify: LockStep[] = [];
  const forbid: LockStep[] = [];

  for (const rule of input.rules) {
    if (rule.conditions.some(checksSecret)) continue;
    const kept = rule.conditions.filter((c) => !headerCondition(c, headerName)).map(resendable);
    const values = kept.reduce((n, c) => n + conditionValues(c), 0) + 1;
    if (values > MAX_CONDITION_VALUES) {
      throw new ArchctlError(
        `listener ${name}'s rule ${rule.priority} would need ${values} condition values with the ${headerName} check (ELB allows ${MAX_CONDITION_VALUES})`,
        `split that rule into rules with fewer host, path or header values, then rerun`,
      );
    }
    const rotating = rule.conditions.some((c) => headerCondition(c, headerName));
    modify.push({
      description: rotating
        ? `set rule ${rule.priority} of listener ${name} to the current ${headerName} secret`
        : `add the condition ${headerName}: <secret> to rule ${rule.priority} of listener ${name}, so it routes only CloudFront`,
      apiCall: { operation: 'ElasticLoadBalancing:ModifyRule', input: { RuleArn: rule.arn, Conditions: [...kept, header] } },
    });
  }

  const forbidden = isForbidden(listener.defaultActions);
  if (!passThrough) {
    if (forbidden) {
      throw new ArchctlError(
        `listener ${name} already answers 403 by default and has no rule that checks ${headerName}: where CloudFront's requests should go is unknown`,
        `set the listener's default action back to forward to the app's target group (aws elbv2 modify-listener --listener-arn ${listener.arn} --default-actions Type=forward,TargetGroupArn=...), then rerun`,
      );
    }
    // Path and host rules keep routing first (they now require the header too); this one comes last.
    const priority = input.rules.length === 0 ? 1 : Math.max(...input.rules.map((r) => r.priority)) + 1;
    if (priority > MAX_PRIORITY) {
      throw new ArchctlError(`listener ${name} has a rule at priority ${MAX_PRIORITY}: no priority is left after its rules`, `renumber its rules (aws elbv2 set-rule-priorities), then rerun`);
    }
    create.push({
      description: `add rule ${priority} to listener ${name}: requests with ${headerName}: <secret> get today's default action (${describeActions(listener.defaultActions)})`,
      apiCall: {
        operation: 'ElasticLoadBalancing:CreateRule',
        input: { ListenerArn: listener.arn, Priority: priority, Conditions: [header], Actions: forwardable(listener.defaultActions) },
      },
    });
  }
  if (!forbidden) {
    forbid.push({
      description: `make listener ${name} answer every other request 403 Forbidden (today: ${describeActions(listener.defaultActions)})`,
      apiCall: { operation: 'ElasticLoadBalancing:ModifyListener', input: { ListenerArn: listener.arn, DefaultActions: [FORBIDDEN] } },
    });
  }
  return { create, modify, forbid };
}

function describeActions(actions: Action[]): string {
  return actions
    .map((a) => {
      if (a.Type === 'forward') {
        const groups = a.ForwardConfig?.TargetGroups?.map((t) => t.TargetGroupArn ?? '') ?? (a.TargetGroupArn ? [a.TargetGroupArn] : []);
        return `forward to ${groups.map((g) => g.split(':').pop()).join(', ')}`;
      }
      if (a.Type === 'fixed-response') return `fixed response ${a.FixedResponseConfig?.StatusCode ?? ''}`.trim();
      return a.Type ?? 'unknown';
    })
    .join(', then ');
}

/**
 * What locking the origin to CloudFront changes on a load balancer: its
 * listener port admits only CloudFront's origin-facing prefix list, and its
 * listener lets through only requests carrying the secret header CloudFront
 * adds (anything else gets 403). Already-locked parts make no step, so a
 * rerun plans nothing, and a new secret plans only the rule updates.
 */
export function planLockOrigin(input: LockOriginInput): LockPlan {
  if (input.securityGroups.length === 0) {
    throw new ArchctlError(`the load balancer ${input.loadBalancerArn} has no security group to restrict`, `attach a security group to it (aws elbv2 set-security-groups), then rerun`);
  }
  if (input.listener.defaultActions.length === 0) {
    throw new ArchctlError(`listener ${input.listener.arn} has no default action`, `give it one that forwards to the app's target group, then rerun`);
  }
  const notes: string[] = [];
  const secret = input.headerValue ?? SECRET_NOT_READ;
  const sg = securityGroupSteps(input, notes);
  const ln = listenerSteps(input, secret);
  const steps = [...sg.allow, ...ln.create, ...ln.modify, ...sg.revoke, ...ln.forbid];

  if (input.listener.protocol.toUpperCase() !== 'HTTPS') {
    notes.push(`listener ${input.listener.protocol}:${input.listener.port} is plain HTTP: the secret header crosses the network unencrypted between CloudFront and the load balancer; an HTTPS listener keeps it private`);
  }
  for (const other of input.otherListeners ?? []) {
    if (forwardsDirectly(other.defaultActions)) {
      notes.push(`listener ${other.protocol}:${other.port} forwards to the app and is not locked: anyone its security group rules admit still reaches the app there; make it redirect to HTTPS or remove it`);
    }
  }
  if (input.headerValue === undefined && steps.length > 0) {
    notes.push('the header value is the secret the CloudFront stack creates: this plan shows the changes and is applied once that stack exists');
  }
  if (steps.length === 0) notes.push('the origin is already locked to CloudFront: nothing to change');
  return { loadBalancerArn: input.loadBalancerArn, listenerArn: input.listener.arn, steps, notes, applicable: input.headerValue !== undefined };
}

/** The plan for people: numbered steps, then notes. The secret never appears. */
export function formatLockPlan(plan: LockPlan): string {
  const name = plan.loadBalancerArn.split('/').slice(-2, -1)[0] ?? plan.loadBalancerArn;
  const lines = [plan.steps.length ? `Lock the origin ${name} to CloudFront (${plan.steps.length} change${plan.steps.length === 1 ? '' : 's'}, in this order):` : `Lock the origin ${name} to CloudFront: no change`];
  plan.steps.forEach((s, i) => lines.push(`  ${i + 1}. ${s.description}`));
  if (plan.notes.length) {
    lines.push('Notes:');
    for (const n of plan.notes) lines.push(`  - ${n}`);
  }
  return lines.join('\n');
}
