import { detectStackDrift, type ResourceDrift } from '../aws/drift.js';
import type { AwsSession } from '../aws/session.js';
import { lastStackEvents } from '../aws/stacks.js';
import { isArchctlError } from '../core/errors.js';
import { isSettled } from '../core/stack-state.js';
import { requireStack, userOutputs, type StackRef } from './outputs.js';

export type DriftStatus = 'IN_SYNC' | 'DRIFTED' | 'SKIPPED' | 'UNKNOWN';

export interface DriftReport {
  status: DriftStatus;
  resources: ResourceDrift[];
  /** Why drift is SKIPPED or UNKNOWN, or what a partly failed detection left unchecked. */
  note?: string;
}

export interface StatusEventLine {
  /** ISO 8601. */
  timestamp: string;
  logicalId: string;
  resourceType: string;
  status: string;
  reason: string | null;
}

/** `archctl status --json` prints exactly this. */
export interface StatusReport {
  stackName: string;
  region: string;
  status: string;
  statusReason: string | null;
  /** ISO 8601: the last update, or the creation when never updated. */
  lastUpdated: string | null;
  terminationProtection: boolean;
  outputs: Record<string, string>;
  /** Oldest first. */
  events: StatusEventLine[];
  drift: DriftReport;
}

export type StatusProgress = { type: 'drift-started' } | { type: 'drift-poll' };

export interface StatusRequest {
  target: StackRef;
  /** How many recent events; 0 reads none. */
  events: number;
  /** False for --no-drift. */
  drift: boolean;
  pollMs?: number;
  timeoutMs?: number;
  onEvent?: (e: StatusProgress) => void;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** Why drift detection cannot run on a stack in this status, if it cannot. */
function driftBlocked(status: string): string | undefined {
  if (status === 'REVIEW_IN_PROGRESS') return 'the stack has no resources yet (REVIEW_IN_PROGRESS)';
  if (!isSettled(status)) return `the stack is ${status}: drift is detected only on a stack no operation is changing; rerun when it settles`;
  return undefined;
}

/**
 * Detection results, folded into the report. An AWS error here (a denied
 * DetectStackDrift, a status CloudFormation refuses) makes drift UNKNOWN with
 * the reason instead of hiding the state and events already read.
 *
 * `archctl deploy --hotswap` updates function code outside CloudFormation, so
 * after it the functions show as drifted by design: the fix is a full deploy.
 */
async function drift(s: AwsSession, stackName: string, r: StatusRequest): Promise<DriftReport> {
  r.onEvent?.({ type: 'drift-started' });
  try {
    const result = await detectStackDrift(s, stackName, {
      ...(r.pollMs !== undefined ? { pollMs: r.pollMs } : {}),
      ...(r.timeoutMs !== undefined ? { timeoutMs: r.timeoutMs } : {}),
      onPoll: () => r.onEvent?.({ type: 'drift-poll' }),
    });
    if (result.outcome === 'timeout') {
      return {
        status: 'UNKNOWN',
        resources: [],
        note: `drift detection ${result.detectionId} was still running after ${Math.round(result.waitedMs / 1000)} s; rerun archctl status in a minute`,
      };
    }
    return { status: result.status, resources: result.resources, ...(result.reason ? { note: result.reason } : {}) };
  } catch (err) {
    if (!isArchctlError(err)) throw err;
    return { status: 'UNKNOWN', resources: [], note: `${err.message} (fix: ${err.fix}, or pass --no-drift)` };
  }
}

/** The stack's state, outputs, last events and (unless turned off) drift. Reads only. */
export async function readStatus(s: AwsSession, r: StatusRequest): Promise<StatusReport> {
  const info = await requireStack(s, r.target);
  const events = r.events > 0 ? await lastStackEvents(s, info.id, r.events) : [];
  const blocked = driftBlocked(info.status);
  const driftReport: DriftReport = !r.drift
    ? { status: 'SKIPPED', resources: [], note: 'not checked: --no-drift' }
    : blocked
      ? { status: 'SKIPPED', resources: [], note: blocked }
      : await drift(s, info.id, r);
  return {
    stackName: info.name || r.target.stackName,
    region: r.target.region,
    status: info.status,
    statusReason: info.statusReason ?? null,
    lastUpdated: iso(info.lastUpdated),
    terminationProtection: info.terminationProtection,
    outputs: userOutputs(info.outputs),
    events: events.map((e) => ({ timestamp: iso(e.timestamp)!, logicalId: e.logicalId, resourceType: e.resourceType, status: e.status, reason: e.reason ?? null })),
    drift: driftReport,
  };
}
