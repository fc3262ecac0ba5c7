import { distributionStatus, invalidate, trafficStats, type DistributionStatus, type InvalidationResult, type TrafficStats } from '../aws/cloudfront.js';
import type { AwsSession } from '../aws/session.js';
import { ArchctlError } from '../core/errors.js';
import { describeStack } from '../aws/stacks.js';
import type { StackRef } from './outputs.js';

/** The distribution by id, or the offload stack whose DistributionId output names it. */
export type DistributionRef = { distributionId: string } | { stack: StackRef };

/** `archctl offload status --json` prints exactly this. */
export interface OffloadStatusReport {
  distribution: DistributionStatus;
  traffic: TrafficStats;
}

export interface OffloadStatusRequest {
  ref: DistributionRef;
  /** The end of the traffic window (the CLI passes the clock; tests a fixed date). */
  now: Date;
  hours?: number;
}

/** The distribution's id, read from the offload stack's outputs when not given. */
export async function offloadDistributionId(s: AwsSession, ref: DistributionRef): Promise<string> {
  if ('distributionId' in ref) return ref.distributionId;
  const stack = await describeStack(s, ref.stack.stackName);
  if (!stack) throw new ArchctlError(`no stack ${ref.stack.stackName} in ${s.region}`, 'pass the stack archctl offload created (--stack-name) and its region (--region)');
  const id = stack.outputs.DistributionId;
  if (!id) {
    throw new ArchctlError(`stack ${ref.stack.stackName} has no DistributionId output: it is not an offload stack`, 'pass the offload stack\'s name (archctl offload deploys it), or the distribution id');
  }
  return id;
}

/** Where the distribution stands (deployed or still propagating) and its traffic over the window. */
export async function readOffloadStatus(s: AwsSession, r: OffloadStatusRequest): Promise<OffloadStatusReport> {
  const id = await offloadDistributionId(s, r.ref);
  const distribution = await distributionStatus(s, id);
  const traffic = await trafficStats(s, id, r.now, r.hours ?? 24);
  return { distribution, traffic };
}

export type InvalidationEvent = { type: 'invalidation-created'; id: string; paths: number } | { type: 'invalidation-poll'; status: string; poll: number };

export interface InvalidationRequest {
  ref: DistributionRef;
  paths: string[];
  /** The same reference on a retry makes it the same invalidation. */
  callerReference: string;
  wait?: boolean;
  pollMs?: number;
  timeoutMs?: number;
  onEvent?: (e: InvalidationEvent) => void;
}

/** Removes the paths from every edge cache and, unless told not to, waits until CloudFront says Completed. */
export async function invalidateOffload(s: AwsSession, r: InvalidationRequest): Promise<InvalidationResult & { distributionId: string }> {
  const distributionId = await offloadDistributionId(s, r.ref);
  const result = await invalidate(s, distributionId, r.paths, r.callerReference, {
    ...(r.wait !== undefined ? { wait: r.wait } : {}),
    ...(r.pollMs !== undefined ? { pollMs: r.pollMs } : {}),
    ...(r.timeoutMs !== undefined ? { timeoutMs: r.timeoutMs } : {}),
    onPoll: (status, poll) => r.onEvent?.({ type: 'invalidation-poll', status, poll }),
    onCreated: (id, paths) => r.onEvent?.({ type: 'invalidation-created', id, paths }),
  });
  return { ...result, distributionId };
}
