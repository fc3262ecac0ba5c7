import { AuthorizeSecurityGroupIngressCommand, DescribeManagedPrefixListsCommand, DescribeSecurityGroupsCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { CreateRuleCommand, DescribeRulesCommand, ModifyListenerCommand, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { ArchctlError, usageError } from '../core/errors.js';
import {
  LOCK_ORDER,
  planLockOrigin,
  type IngressRule,
  type ListenerRuleInput,
  type LockOriginInput,
  type LockPlan,
  type LockStep,
  type SecurityGroupInput,
} from '../core/offload/lock-plan.js';
import { describeListeners } from './origin.js';
import type { AwsSession } from './session.js';

export const CLOUDFRONT_PREFIX_LIST = 'com.amazonaws.global.cloudfront.origin-facing';

/** What the lock needs from the resolved origin (a ResolvedOrigin fits). */
export interface LockableOrigin {
  kind: string;
  loadBalancerArn?: string | undefined;
  securityGroupIds?: string[] | undefined;
  /** The listener CloudFront reaches first, then the others. */
  listenerArns?: string[] | undefined;
}

const errorName = (err: unknown): string => (err as Error)?.name ?? '';

/** CloudFront's origin-facing managed prefix list in the session's region (its id differs per region). */
export async function findOriginFacingPrefixList(s: AwsSession): Promise<{ id: string; maxEntries?: number | undefined }> {
  const out = await s.call('EC2:DescribeManagedPrefixLists', () =>
    s.ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: [CLOUDFRONT_PREFIX_LIST] }] })),
  );
  const list = out.PrefixLists?.find((p) => p.PrefixListName === CLOUDFRONT_PREFIX_LIST && p.PrefixListId);
  if (!list) {
    throw new ArchctlError(
      `CloudFront's origin-facing prefix list (${CLOUDFRONT_PREFIX_LIST}) is not available in ${s.region}`,
      `check the region (aws ec2 describe-managed-prefix-lists --region ${s.region} --filters Name=prefix-list-name,Values=${CLOUDFRONT_PREFIX_LIST}); where it does not exist, restrict the origin with the header check alone`,
    );
  }
  return { id: list.PrefixListId!, maxEntries: list.MaxEntries };
}

/** The groups' ingress rules, as the lock plan reads them. */
export async function readSecurityGroups(s: AwsSession, groupIds: string[]): Promise<SecurityGroupInput[]> {
  // Without GroupIds, DescribeSecurityGroups lists every group in the account.
  if (groupIds.length === 0) return [];
  const out = await s.call('EC2:DescribeSecurityGroups', () => s.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: groupIds })));
  const byId = new Map((out.SecurityGroups ?? []).map((g) => [g.GroupId ?? '', g]));
  // In the load balancer's order: the plan puts the prefix list in the first group that needs it.
  return groupIds.flatMap((id) => {
    const g = byId.get(id);
    if (!g) return [];
    const ingress: IngressRule[] = (g.IpPermissions ?? []).map((p) => ({
      protocol: p.IpProtocol ?? '-1',
      fromPort: p.FromPort,
      toPort: p.ToPort,
      cidrs: (p.IpRanges ?? []).flatMap((r) => (r.CidrIp ? [r.CidrIp] : [])),
      ipv6Cidrs: (p.Ipv6Ranges ?? []).flatMap((r) => (r.CidrIpv6 ? [r.CidrIpv6] : [])),
      prefixListIds: (p.PrefixListIds ?? []).flatMap((r) => (r.PrefixListId ? [r.PrefixListId] : [])),
      groupIds: (p.UserIdGroupPairs ?? []).flatMap((r) => (r.GroupId ? [r.GroupId] : [])),
    }));
    return [{ id, ingress }];
  });
}

/** The listener's rules besides its default, every page. */
export async function readListenerRules(s: AwsSession, listenerArn: string): Promise<ListenerRuleInput[]> {
  const rules: ListenerRuleInput[] = [];
  let marker: string | undefined;
  do {
    const out = await s.call('ElasticLoadBalancing:DescribeRules', () =>
      s.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn, ...(marker ? { Marker: marker } : {}) })),
    );
    for (const r of out.Rules ?? []) {
      if (r.IsDefault || r.Priority === 'default') continue;
      rules.push({ arn: r.RuleArn ?? '', priority: Number(r.Priority), conditions: r.Conditions ?? [] });
    }
    marker = out.NextMarker;
  } while (marker);
  return rules;
}

/** Everything the lock plan needs, read from the load balancer, its security groups and its listener. */
export async function readLockInput(s: AwsSession, origin: LockableOrigin, header: { name: string; value?: string | undefined }): Promise<LockOriginInput> {
  if (origin.kind !== 'load-balancer' || !origin.loadBalancerArn) {
    throw usageError(
      `--lock-origin needs a load balancer origin (this origin is ${origin.kind === 'instance' ? 'an instance' : 'a DNS name'})`,
      'pass the load balancer\'s name or ARN as --origin, or drop --lock-origin and restrict who reaches the origin yourself',
    );
  }
  const listeners = await describeListeners(s, origin.loadBalancerArn);
  const chosenArn = origin.listenerArns?.[0];
  const listener = listeners.find((l) => l.arn === chosenArn);
  if (!listener) {
    throw new ArchctlError(`the listener CloudFront reaches on ${origin.loadBalancerArn} is gone`, 'rerun archctl offload: it reads the listeners again');
  }
  const prefixList = await findOriginFacingPrefixList(s);
  const securityGroups = await readSecurityGroups(s, origin.securityGroupIds ?? []);
  const rules = await readListenerRules(s, listener.arn);
  return {
    loadBalancerArn: origin.loadBalancerArn,
    securityGroups,
    listener,
    rules,
    otherListeners: listeners.filter((l) => l.arn !== listener.arn),
    prefixListId: prefixList.id,
    prefixListMaxEntries: prefixList.maxEntries,
    headerName: header.name,
    headerValue: header.value,
  };
}

/** Reads the origin and plans the lock; without header.value (a dry run) the plan only shows what would change. */
export async function planOriginLock(s: AwsSession, origin: LockableOrigin, header: { name: string; value?: string | undefined }): Promise<LockPlan> {
  return planLockOrigin(await readLockInput(s, origin, header));
}

// A rerun after a partly applied plan finds some rules already there or already gone.
const alreadyAuthorized = (err: unknown) => errorName(err) === 'InvalidPermission.Duplicate';
const alreadyRevoked = (err: unknown) => errorName(err) === 'InvalidPermission.NotFound';

async function applyStep(s: AwsSession, step: LockStep): Promise<void> {
  const call = step.apiCall;
  switch (call.operation) {
    case 'EC2:AuthorizeSecurityGroupIngress':
      await s.tryCall(call.operation, () => s.ec2.send(new AuthorizeSecurityGroupIngressCommand(call.input)), alreadyAuthorized);
      return;
    case 'EC2:RevokeSecurityGroupIngress':
      await s.tryCall(call.operation, () => s.ec2.send(new RevokeSecurityGroupIngressCommand(call.input)), alreadyRevoked);
      return;
    case 'ElasticLoadBalancing:CreateRule':
      await s.call(call.operation, () => s.elbv2.send(new CreateRuleCommand(call.input)));
      return;
    case 'ElasticLoadBalancing:ModifyRule':
      await s.call(call.operation, () => s.elbv2.send(new ModifyRuleCommand(call.input)));
      return;
    case 'ElasticLoadBalancing:ModifyListener':
      await s.call(call.operation, () => s.elbv2.send(new ModifyListenerCommand(call.input)));
      return;
  }
}

/**
 * Applies exactly the plan's steps, in LOCK_ORDER whatever order they come in
 * (a plan read back from JSON, or filtered), so CloudFront is let in before
 * anyone else is shut out. Stops at the first failure: the steps before it
 * stay, and a rerun plans only what is left.
 */
export async function applyLockPlan(s: AwsSession, plan: LockPlan, onStep?: (step: LockStep, index: number, total: number) => void): Promise<void> {
  if (!plan.applicable) {
    throw new ArchctlError('the lock plan was made without the origin secret (a dry run): it cannot be applied', 'run archctl offload --lock-origin without --dry-run: it deploys the CloudFront stack, reads the secret and plans again');
  }
  const rank = (step: LockStep) => LOCK_ORDER.indexOf(step.apiCall.operation);
  const ordered = plan.steps.map((step, i) => ({ step, i })).sort((a, b) => rank(a.step) - rank(b.step) || a.i - b.i);
  for (const [index, { step }] of ordered.entries()) {
    onStep?.(step, index, ordered.length);
    await applyStep(s, step);
  }
}

/** ALB header conditions treat * and ? as wildcards and match at most 128 characters. */
const HEADER_SAFE = /^[A-Za-z0-9_\-.~+=/]{16,128}$/;

/**
 * The secret CloudFront sends in the origin header, from the CloudFront
 * stack's OriginSecretArn output. A plain string, or a JSON object with one
 * string value (Secrets Manager's key/value form).
 */
export async function readOriginSecret(s: AwsSession, secretArn: string): Promise<string> {
  const out = await s.tryCall(
    'SecretsManager:GetSecretValue',
    () => s.secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn })),
    (err) => errorName(err) === 'ResourceNotFoundException',
  );
  if (!out) {
    throw new ArchctlError(`the origin secret ${secretArn} does not exist in ${s.region}`, 'redeploy the CloudFront stack with archctl offload --lock-origin: it creates the secret');
  }
  // The raw SecretString, exactly what CloudFront's {{resolve:secretsmanager:...:SecretString}} sends.
  const value = out.SecretString ?? '';
  if (!HEADER_SAFE.test(value)) {
    throw new ArchctlError(
      `the origin secret ${secretArn} is not usable as a header value (16-128 letters, digits and _-.~+=/; no * or ?, which a load balancer rule treats as wildcards)`,
      'generate it without punctuation (GenerateSecretString ExcludePunctuation: true), redeploy the CloudFront stack, then rerun',
    );
  }
  return value;
}
