import { filterLogEvents, type LogEvent } from '../aws/logs.js';
import type { AwsSession } from '../aws/session.js';
import { listStackResources } from '../aws/stacks.js';
import { ArchctlError } from '../core/errors.js';
import { logGroupOf, matchFunction, shortName } from '../core/function-names.js';
import { requireStack, type StackRef } from './outputs.js';

export type { LogEvent } from '../aws/logs.js';

export type LogsEvent =
  /** The function and log group found; reading starts. */
  | { type: 'resolved'; logicalId: string; functionName: string; logGroup: string; startTime: number }
  | { type: 'log'; event: LogEvent }
  /** The log group does not exist yet: the function has not run since it was deployed. Told once. */
  | { type: 'no-log-group'; logicalId: string; logGroup: string; following: boolean }
  /** Following: the first read is done; new events come as they are logged. */
  | { type: 'following' };

export interface LogsRequest {
  target: StackRef;
  /** As the user typed it: ListTodos, ListTodosFunction, list-todos. */
  functionName: string;
  /** How far back from now() to start (ms). */
  sinceMs: number;
  filterPattern?: string | undefined;
  follow: boolean;
  /** The clock, so tests are deterministic. */
  now: () => number;
  /** Stops following (Ctrl-C, SIGTERM); the action then returns normally. */
  signal?: AbortSignal | undefined;
  pollMs?: number;
  /** Most events one read prints. */
  limit?: number;
  onEvent: (e: LogsEvent) => void;
}

export interface LogsResult {
  logicalId: string;
  logGroup: string;
  /** Events printed. */
  events: number;
  /** The log group never existed while we looked. */
  missing: boolean;
  /** The first read stopped at the limit (without --follow: events after it were not printed). */
  truncated: boolean;
}

export const DEFAULT_LOG_LIMIT = 10_000;
export const FOLLOW_POLL_MS = 2_000;
/**
 * CloudWatch Logs ingests each stream on its own, so an event can appear a
 * few seconds after later events of another stream. Each follow poll reads
 * again from this far before the newest event seen; event ids drop repeats.
 */
const LATE_EVENT_MS = 10_000;

/** Waits on the session's clock, but stops waiting as soon as the signal aborts. */
function pause(s: AwsSession, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return s.sleep(ms);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    s.sleep(ms).then(done, done);
  });
}

/** The function's physical name and log group, from the stack's resources (CloudFormation only). */
async function resolveFunction(s: AwsSession, r: LogsRequest): Promise<{ logicalId: string; functionName: string; logGroup: string }> {
  const info = await requireStack(s, r.target);
  const resources = await listStackResources(s, info.id);
  const functions = resources.filter((res) => res.type === 'AWS::Lambda::Function');
  const fn = matchFunction(r.functionName, functions, info.name || r.target.stackName);
  if (!fn.physicalId) {
    throw new ArchctlError(`${fn.logicalId} has not been created in ${r.target.stackName} (the stack is ${info.status})`, `deploy the stack with archctl deploy --stage ${r.target.stage}`);
  }
  return { logicalId: fn.logicalId, functionName: fn.physicalId, logGroup: logGroupOf({ logicalId: fn.logicalId, physicalId: fn.physicalId }, resources) };
}

/**
 * Prints a function's CloudWatch logs from `sinceMs` ago: every page of
 * FilterLogEvents up to `limit` events. With `follow`, then polls every
 * pollMs for new events until the signal aborts, de-duplicating by event id.
 * A log group that does not exist yet is no error: the function has not run.
 */
export async function readLogs(s: AwsSession, r: LogsRequest): Promise<LogsResult> {
  const { logicalId, functionName, logGroup } = await resolveFunction(s, r);
  const startTime = r.now() - r.sinceMs;
  const limit = r.limit ?? DEFAULT_LOG_LIMIT;
  r.onEvent({ type: 'resolved', logicalId, functionName, logGroup, startTime });

  // Event ids already printed, with their timestamps, kept only as far back as a poll reads again.
  const seen = new Map<string, number>();
  let newest = startTime;
  let printed = 0;
  let missing = true;
  let toldMissing = false;
  const print = (events: LogEvent[]) => {
    for (const e of events) {
      if (seen.has(e.eventId)) continue;
      seen.set(e.eventId, e.timestamp);
      if (e.timestamp > newest) newest = e.timestamp;
      printed++;
      r.onEvent({ type: 'log', event: e });
    }
  };
  const read = async (from: number) => {
    const result = await filterLogEvents(s, { logGroup, startTime: from, filterPattern: r.filterPattern, limit, signal: r.signal }, print);
    if (result === undefined) {
      if (!toldMissing) r.onEvent({ type: 'no-log-group', logicalId: shortName(logicalId), logGroup, following: r.follow });
      toldMissing = true;
      return false;
    }
    missing = false;
    return result.truncated;
  };

  const truncated = await read(startTime);
  if (!r.follow) return { logicalId, logGroup, events: printed, missing, truncated };

  r.onEvent({ type: 'following' });
  const pollMs = r.pollMs ?? FOLLOW_POLL_MS;
  while (!r.signal?.aborted) {
    await pause(s, pollMs, r.signal);
    if (r.signal?.aborted) break;
    const from = Math.max(startTime, newest - LATE_EVENT_MS);
    for (const [id, ts] of seen) if (ts < from) seen.delete(id);
    try {
      await read(from);
    } catch (err) {
      // A call cut short by Ctrl-C is the user stopping, not a failure.
      if (r.signal?.aborted) break;
      throw err;
    }
  }
  return { logicalId, logGroup, events: printed, missing, truncated };
}
