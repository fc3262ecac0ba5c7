import {
  ContinueUpdateRollbackCommand,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  UpdateTerminationProtectionCommand,
  type Change,
  type Stack,
  type StackEvent as SdkStackEvent,
} from '@aws-sdk/client-cloudformation';
import type { ChangeAction, ResourceChange } from '../core/change-set.js';
import { isSettled } from '../core/stack-state.js';
import type { StackEvent } from '../core/stack-events.js';
import type { CfnTemplate } from '../core/types.js';
import type { AwsSession } from './session.js';

export interface StackInfo {
  name: string;
  id: string;
  status: string;
  statusReason?: string | undefined;
  description?: string | undefined;
  outputs: Record<string, string>;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  terminationProtection: boolean;
  lastUpdated?: number | undefined;
}

/** CloudFormation answers a ValidationError "... does not exist" for a stack that is not there. */
export const isMissingStack = (err: unknown): boolean =>
  (err as Error)?.name === 'ValidationError' && /does not exist/i.test((err as Error).message ?? '');

const record = <T>(items: T[] | undefined, key: (t: T) => string | undefined, value: (t: T) => string | undefined): Record<string, string> =>
  Object.fromEntries((items ?? []).flatMap((i) => (key(i) !== undefined ? [[key(i)!, value(i) ?? '']] : [])));

function toInfo(s: Stack): StackInfo {
  return {
    name: s.StackName ?? '',
    id: s.StackId ?? s.StackName ?? '',
    status: s.StackStatus ?? 'UNKNOWN',
    statusReason: s.StackStatusReason,
    description: s.Description,
    outputs: record(s.Outputs, (o) => o.OutputKey, (o) => o.OutputValue),
    parameters: record(s.Parameters, (p) => p.ParameterKey, (p) => p.ResolvedValue ?? p.ParameterValue),
    tags: record(s.Tags, (t) => t.Key, (t) => t.Value),
    terminationProtection: Boolean(s.EnableTerminationProtection),
    lastUpdated: (s.LastUpdatedTime ?? s.CreationTime)?.getTime(),
  };
}

/** The stack by name or id, or undefined when there is none. */
export async function describeStack(s: AwsSession, nameOrId: string): Promise<StackInfo | undefined> {
  const out = await s.tryCall('CloudFormation:DescribeStacks', () => s.cloudFormation.send(new DescribeStacksCommand({ StackName: nameOrId })), isMissingStack);
  const stack = out?.Stacks?.[0];
  return stack ? toInfo(stack) : undefined;
}

function toEvent(e: SdkStackEvent): StackEvent {
  return {
    eventId: e.EventId ?? '',
    timestamp: e.Timestamp?.getTime() ?? 0,
    logicalId: e.LogicalResourceId ?? '',
    physicalId: e.PhysicalResourceId,
    resourceType: e.ResourceType ?? '',
    status: e.ResourceStatus ?? '',
    reason: e.ResourceStatusReason,
    clientRequestToken: e.ClientRequestToken,
  };
}

/**
 * Events not seen yet and not older than `since`, oldest first. Reads pages
 * (newest first) only until it meets an event it has seen or an older one,
 * so a poll usually costs one call.
 */
export async function newStackEvents(s: AwsSession, stackId: string, seen: Set<string>, since: number): Promise<StackEvent[]> {
  const fresh: StackEvent[] = [];
  let token: string | undefined;
  do {
    const out = await s.call('CloudFormation:DescribeStackEvents', () =>
      s.cloudFormation.send(new DescribeStackEventsCommand({ StackName: stackId, ...(token ? { NextToken: token } : {}) })),
    );
    let done = false;
    for (const raw of out.StackEvents ?? []) {
      const e = toEvent(raw);
      if (seen.has(e.eventId) || e.timestamp < since) {
        done = true;
        break;
      }
      fresh.push(e);
    }
    token = done ? undefined : out.NextToken;
  } while (token);
  for (const e of fresh) seen.add(e.eventId);
  return fresh.reverse();
}

/** The last `count` events, newest last. */
export async function lastStackEvents(s: AwsSession, stackId: string, count: number): Promise<StackEvent[]> {
  const out = await s.call('CloudFormation:DescribeStackEvents', () => s.cloudFormation.send(new DescribeStackEventsCommand({ StackName: stackId })));
  return (out.StackEvents ?? []).slice(0, count).map(toEvent).reverse();
}

export interface WaitOptions {
  /** Events before this time (ms) belong to earlier operations. */
  since: number;
  pollMs?: number;
  onEvent?: (event: StackEvent) => void;
  /** Told before each poll. */
  onPoll?: () => void;
  /** The stack's status before the operation: the safety net below never takes it for the end. */
  before?: string | undefined;
  /**
   * The ClientRequestToken of the operation followed: only its events count.
   * More reliable than timestamps, which come from AWS's clock, not ours.
   */
  token?: string | undefined;
}

/**
 * Follows a running operation until the stack settles, reporting each new
 * event. Polls the events (one call per poll) and knows the operation is over
 * when the stack's own event reaches a settled status; then reads the stack
 * once. Takes the stack id, not the name: a deleted stack is found only by id.
 */
export async function waitForStack(s: AwsSession, stackId: string, o: WaitOptions): Promise<StackInfo> {
  const seen = new Set<string>();
  const poll = o.pollMs ?? 5000;
  for (let polls = 1; ; polls++) {
    o.onPoll?.();
    const events = await newStackEvents(s, stackId, seen, o.since);
    let settled = false;
    for (const e of events) {
      if (o.token !== undefined && e.clientRequestToken !== o.token) continue;
      o.onEvent?.(e);
      if (e.resourceType === 'AWS::CloudFormation::Stack' && (e.physicalId === stackId || e.logicalId === stackId) && isSettled(e.status)) settled = true;
    }
    if (settled) break;
    // A safety net, not the usual path: should the closing event be missed
    // (events filtered by a token AWS did not echo), the stack's own status
    // still ends the wait. Checked once a minute, so it costs little.
    if (polls % Math.max(1, Math.round(60_000 / poll)) === 0) {
      const now = await describeStack(s, stackId);
      if (!now) return deletedStack(stackId);
      if (isSettled(now.status) && now.status !== 'REVIEW_IN_PROGRESS' && (now.status !== o.before || (now.lastUpdated ?? 0) > o.since)) return now;
    }
    await s.sleep(poll);
  }
  return (await describeStack(s, stackId)) ?? deletedStack(stackId);
}

const deletedStack = (stackId: string): StackInfo => ({ name: stackId, id: stackId, status: 'DELETE_COMPLETE', outputs: {}, parameters: {}, tags: {}, terminationProtection: false });

export const CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'] as const;

export interface ChangeSetRequest {
  stackName: string;
  changeSetName: string;
  type: 'CREATE' | 'UPDATE';
  /** An S3 URL of the template (needed above CloudFormation's 51,200-byte inline limit)... */
  templateUrl?: string;
  /** ...or the template itself, for small ones such as the bootstrap stack's. */
  templateBody?: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  /** Idempotency: a retried CreateChangeSet with the same token is the same request. */
  token: string;
  description?: string;
}

export async function createChangeSet(s: AwsSession, r: ChangeSetRequest): Promise<{ id: string; stackId: string }> {
  const out = await s.call('CloudFormation:CreateChangeSet', () =>
    s.cloudFormation.send(
      new CreateChangeSetCommand({
        StackName: r.stackName,
        ChangeSetName: r.changeSetName,
        ChangeSetType: r.type,
        ...(r.templateUrl ? { TemplateURL: r.templateUrl } : { TemplateBody: r.templateBody }),
        Parameters: Object.entries(r.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
        Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
        Capabilities: [...CAPABILITIES],
        ClientToken: r.token,
        ...(r.description ? { Description: r.description } : {}),
      }),
    ),
  );
  return { id: out.Id ?? r.changeSetName, stackId: out.StackId ?? r.stackName };
}

/** CloudFormation's ways of saying a change set has nothing to do. */
const EMPTY = /didn't contain changes|No updates are to be performed|no changes/i;

export type ChangeSetResult =
  /** Ready to execute. No resource changes means only outputs (or the hash output) change: it must still run. */
  | { state: 'ready'; changes: ResourceChange[] }
  | { state: 'empty' }
  | { state: 'failed'; reason: string };

function toChange(c: Change): ResourceChange | undefined {
  const r = c.ResourceChange;
  if (!r) return undefined;
  return {
    action: (r.Action ?? 'Dynamic') as ChangeAction,
    logicalId: r.LogicalResourceId ?? '',
    resourceType: r.ResourceType ?? '',
    ...(r.PhysicalResourceId ? { physicalId: r.PhysicalResourceId } : {}),
    ...(r.Replacement ? { replacement: r.Replacement as 'True' | 'False' | 'Conditional' } : {}),
    details: (r.Details ?? []).map((d) => ({
      ...(d.Target?.Attribute ? { attribute: d.Target.Attribute } : {}),
      ...(d.Target?.Name ? { name: d.Target.Name } : {}),
      ...(d.Target?.RequiresRecreation ? { requiresRecreation: d.Target.RequiresRecreation as 'Never' | 'Conditionally' | 'Always' } : {}),
      ...(d.ChangeSource ? { changeSource: d.ChangeSource } : {}),
    })),
  };
}

/** Waits for the change set to be computed, then reads every page of its changes. */
export async function waitForChangeSet(s: AwsSession, id: string, pollMs = 2000, maxPolls = 300): Promise<ChangeSetResult> {
  let polls = 0;
  for (;;) {
    const out = await s.call('CloudFormation:DescribeChangeSet', () => s.cloudFormation.send(new DescribeChangeSetCommand({ ChangeSetName: id })));
    if (out.Status === 'FAILED') {
      const reason = out.StatusReason ?? 'no reason given';
      return EMPTY.test(reason) ? { state: 'empty' } : { state: 'failed', reason };
    }
    if (out.Status === 'CREATE_COMPLETE') {
      const changes = (out.Changes ?? []).map(toChange).filter((c): c is ResourceChange => c !== undefined);
      let token = out.NextToken;
      while (token) {
        const page = await s.call('CloudFormation:DescribeChangeSet', () =>
          s.cloudFormation.send(new DescribeChangeSetCommand({ ChangeSetName: id, NextToken: token })),
        );
        changes.push(...(page.Changes ?? []).map(toChange).filter((c): c is ResourceChange => c !== undefined));
        token = page.NextToken;
      }
      return { state: 'ready', changes };
    }
    if (out.Status?.startsWith('DELETE')) return { state: 'failed', reason: `the change set was deleted while it was being computed (${out.Status})` };
    if (++polls >= maxPolls) return { state: 'failed', reason: `the change set was still ${out.Status ?? 'pending'} after ${Math.round((maxPolls * pollMs) / 60_000)} minutes` };
    await s.sleep(pollMs);
  }
}

export async function executeChangeSet(s: AwsSession, id: string, token: string): Promise<void> {
  // RetainExceptOnCreate: a failed operation deletes the resources it created,
  // even those whose policy is Retain (the todo table, pools, buckets), so a
  // failed first deploy leaves no orphans that keep billing.
  await s.call('CloudFormation:ExecuteChangeSet', () =>
    s.cloudFormation.send(new ExecuteChangeSetCommand({ ChangeSetName: id, ClientRequestToken: token, RetainExceptOnCreate: true })),
  );
}

export async function deleteChangeSet(s: AwsSession, id: string): Promise<void> {
  await s.tryCall('CloudFormation:DeleteChangeSet', () => s.cloudFormation.send(new DeleteChangeSetCommand({ ChangeSetName: id })), (err) =>
    /ChangeSetNotFound/.test((err as Error)?.name ?? ''),
  );
}

export async function deleteStack(s: AwsSession, stackId: string, token: string, retain: readonly string[] = []): Promise<void> {
  await s.call('CloudFormation:DeleteStack', () =>
    s.cloudFormation.send(new DeleteStackCommand({ StackName: stackId, ClientRequestToken: token, ...(retain.length > 0 ? { RetainResources: [...retain] } : {}) })),
  );
}

export async function continueUpdateRollback(s: AwsSession, stackName: string, token: string, skip: readonly string[] = []): Promise<void> {
  await s.call('CloudFormation:ContinueUpdateRollback', () =>
    s.cloudFormation.send(
      new ContinueUpdateRollbackCommand({ StackName: stackName, ClientRequestToken: token, ...(skip.length > 0 ? { ResourcesToSkip: [...skip] } : {}) }),
    ),
  );
}

export async function enableTerminationProtection(s: AwsSession, stackName: string): Promise<void> {
  await s.call('CloudFormation:UpdateTerminationProtection', () =>
    s.cloudFormation.send(new UpdateTerminationProtectionCommand({ StackName: stackName, EnableTerminationProtection: true })),
  );
}

/** The deployed template (the original, as submitted), or undefined when it is not JSON. */
export async function getTemplate(s: AwsSession, stackName: string): Promise<CfnTemplate | undefined> {
  const out = await s.call('CloudFormation:GetTemplate', () => s.cloudFormation.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' })));
  try {
    return JSON.parse(out.TemplateBody ?? '') as CfnTemplate;
  } catch {
    return undefined;
  }
}

export interface StackResource {
  logicalId: string;
  physicalId?: string | undefined;
  type: string;
  status: string;
  reason?: string | undefined;
}

export async function listStackResources(s: AwsSession, stackName: string): Promise<StackResource[]> {
  const all: StackResource[] = [];
  let token: string | undefined;
  do {
    const out = await s.call('CloudFormation:ListStackResources', () =>
      s.cloudFormation.send(new ListStackResourcesCommand({ StackName: stackName, ...(token ? { NextToken: token } : {}) })),
    );
    for (const r of out.StackResourceSummaries ?? []) {
      all.push({ logicalId: r.LogicalResourceId ?? '', physicalId: r.PhysicalResourceId, type: r.ResourceType ?? '', status: r.ResourceStatus ?? '', reason: r.ResourceStatusReason });
    }
    token = out.NextToken;
  } while (token);
  return all;
}
