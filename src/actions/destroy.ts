import { randomUUID } from 'node:crypto';
import { describeStack, deleteStack, getTemplate, lastStackEvents, listStackResources, waitForStack, type StackInfo } from '../aws/stacks.js';
import type { AwsSession } from '../aws/session.js';
import { failedIds, failedResources, planDestroy, type DestroyPlan, type FailedResource } from '../core/destroy-plan.js';
import { ArchctlError, usageError } from '../core/errors.js';
import { rootCauses, type StackEvent } from '../core/stack-events.js';
import { isSettled } from '../core/stack-state.js';

export interface DestroyRequest {
  stackName: string;
  region: string;
  profile?: string | undefined;
  /** --retain: logical ids to leave in place; only for a stack in DELETE_FAILED. */
  retain: readonly string[];
}

export type DestroyPreparation =
  /** No such stack: nothing to do (destroy is idempotent). */
  | { kind: 'missing' }
  | { kind: 'ready'; stack: StackInfo; plan: DestroyPlan; retain: readonly string[] };

export interface DestroyResult {
  /** DELETE_COMPLETE, or the status the delete stopped in (DELETE_FAILED). */
  status: string;
  /** Why it failed: the resources that failed on their own, earliest first. */
  causes: StackEvent[];
  /** Resources in DELETE_FAILED after a failed delete: what --retain may name on the next run. */
  failed: FailedResource[];
}

export interface DestroyOptions {
  /** Idempotency token of DeleteStack; a new one per destroy, the same for each retry of the call. */
  token?: string;
  onEvent?: (event: StackEvent) => void;
}

/**
 * Everything checked before asking the user: the stack exists, is not
 * protected, is not busy, and --retain fits its state; then what the delete
 * would do to each resource. Nothing is changed here.
 */
export async function prepareDestroy(s: AwsSession, req: DestroyRequest): Promise<DestroyPreparation> {
  const stack = await describeStack(s, req.stackName);
  if (!stack) return { kind: 'missing' };
  if (stack.terminationProtection) {
    // Turning it off is the owner's decision, made outside archctl: we never do it for them.
    throw new ArchctlError(
      `stack ${stack.name} has termination protection (a production stage)`,
      `if you really mean it: aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name ${stack.name} --region ${req.region}${req.profile ? ` --profile ${req.profile}` : ''}, then rerun`,
    );
  }
  if (!isSettled(stack.status)) {
    const doing = stack.status === 'DELETE_IN_PROGRESS' ? 'is being deleted already' : `is busy (${stack.status})`;
    throw new ArchctlError(`stack ${stack.name} ${doing}`, 'wait for it to finish (archctl status shows where it is), then rerun');
  }
  if (req.retain.length > 0 && stack.status !== 'DELETE_FAILED') {
    throw usageError(
      `--retain applies only to a stack in DELETE_FAILED; ${stack.name} is ${stack.status}`,
      'run archctl destroy without --retain; to keep a resource, set its DeletionPolicy to Retain and deploy before destroying',
    );
  }
  // By id: the same stack whatever happens to its name meanwhile.
  const [resources, template] = await Promise.all([listStackResources(s, stack.id), getTemplate(s, stack.id)]);
  const plan = planDestroy(template, resources, { region: req.region, profile: req.profile, retain: req.retain });
  const valid = failedIds(plan);
  const unknown = req.retain.filter((id) => !valid.includes(id));
  if (unknown.length > 0) {
    throw usageError(
      `--retain ${unknown.join(',')}: not ${unknown.length === 1 ? 'a resource' : 'resources'} whose delete failed in ${stack.name}`,
      valid.length > 0 ? `name only resources in DELETE_FAILED: ${valid.join(', ')}` : 'no resource is in DELETE_FAILED; run archctl destroy without --retain',
    );
  }
  return { kind: 'ready', stack, plan, retain: req.retain };
}

/**
 * Deletes the stack (leaving the --retain resources in place) and follows it
 * until it is gone or the delete fails. Empties nothing: a bucket that still
 * holds objects makes the delete fail, and the user decides what to do.
 */
export async function runDestroy(s: AwsSession, prep: Extract<DestroyPreparation, { kind: 'ready' }>, o: DestroyOptions = {}): Promise<DestroyResult> {
  const { stack } = prep;
  // Only this delete's events count: they carry its token. They also come after
  // the stack's latest event, which bounds each poll to the new pages rather
  // than the stack's whole history; that time is AWS's, not this machine's,
  // so a skewed clock cannot hide our events.
  const [latest] = await lastStackEvents(s, stack.id, 1);
  const since = latest ? latest.timestamp + 1 : 0;
  const token = o.token ?? randomUUID();
  await deleteStack(s, stack.id, token, prep.retain);
  const events: StackEvent[] = [];
  const final = await waitForStack(s, stack.id, {
    since,
    token,
    onEvent: (e) => {
      events.push(e);
      o.onEvent?.(e);
    },
  });
  if (final.status === 'DELETE_COMPLETE') return { status: final.status, causes: [], failed: [] };
  const failed = failedResources(await listStackResources(s, stack.id));
  return { status: final.status, causes: rootCauses(events, stack.name), failed };
}
