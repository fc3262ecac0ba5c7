/**
 * `archctl bootstrap`: the per-account, per-region stack holding the bucket
 * deploy uploads Lambda zips and templates to. Idempotent: a stack already at
 * this version costs one DescribeStacks call and no change set.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveRegion, type AwsSession } from '../aws/session.js';
import {
  createChangeSet,
  deleteChangeSet,
  deleteStack,
  describeStack,
  executeChangeSet,
  waitForChangeSet,
  waitForStack,
  type StackInfo,
} from '../aws/stacks.js';
import { ArchctlError, oneLine } from '../core/errors.js';
import { PROJECT_FILE } from '../core/project.js';
import { rootCauses, type StackEvent } from '../core/stack-events.js';
import { isStable, isSuccess, planForStatus } from '../core/stack-state.js';
import type { CfnTemplate } from '../core/types.js';
import { distDir } from './package-paths.js';
import { readProject } from './project.js';

export const BOOTSTRAP_STACK = 'archctl-bootstrap';
/** Raise with the template's BootstrapVersion (Metadata and Outputs) whenever templates/bootstrap/bootstrap.yaml changes. */
export const BOOTSTRAP_VERSION = 1;

/**
 * Events carry AWS's timestamps, our `since` is our clock: a margin keeps a
 * slightly fast local clock from hiding the first events. Events of earlier
 * operations are still excluded, by the operation's token.
 */
const CLOCK_SKEW_MS = 5 * 60_000;

export type BootstrapEvent =
  /** A change set is about to be made: a new stack, or an upgrade from `fromVersion`. */
  | { type: 'plan'; action: 'create' | 'update'; fromVersion?: number; toVersion: number }
  /** A failed first create is deleted before creating again (it never held anything). */
  | { type: 'recreate'; status: string; reason: string }
  | { type: 'stack-event'; event: StackEvent }
  /** The stack was bootstrapped by a newer archctl: left as it is, never downgraded. */
  | { type: 'newer'; version: number };

export interface BootstrapOptions {
  onEvent?: (e: BootstrapEvent) => void;
}

export interface BootstrapResult {
  status: 'created' | 'updated' | 'unchanged';
  bucket: string;
  version: number;
  stackName: string;
}

/** How to run bootstrap for this session's region and profile, for fixes. */
function bootstrapCommand(session: AwsSession): string {
  return `archctl bootstrap --region ${session.region}${session.profile ? ` --profile ${session.profile}` : ''}`;
}

/** The BootstrapVersion output as a number, or undefined when absent or not a whole number. */
function versionOf(stack: StackInfo): number | undefined {
  const raw = stack.outputs.BootstrapVersion;
  return raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
}

/** The artifact bucket of a bootstrap stack, or undefined when it has no usable outputs. */
function deployed(stack: StackInfo): { bucket: string; version: number } | undefined {
  const bucket = stack.outputs.ArtifactBucketName;
  const version = versionOf(stack);
  return bucket && version !== undefined ? { bucket, version } : undefined;
}

/**
 * The artifact bucket deploy uploads to. Throws, saying how to fix it, when
 * the region is not bootstrapped (no stack, or one without outputs such as a
 * failed first create) or its bootstrap stack is older than this archctl needs.
 */
export async function findArtifactBucket(session: AwsSession): Promise<{ bucket: string; version: number; retentionDays: number }> {
  const stack = await describeStack(session, BOOTSTRAP_STACK);
  const found = stack ? deployed(stack) : undefined;
  if (!stack || !found) {
    const state = stack ? `: stack ${BOOTSTRAP_STACK} is ${stack.status} and has no artifact bucket` : '';
    throw new ArchctlError(`archctl is not bootstrapped in ${session.region}${state}`, `run ${bootstrapCommand(session)}`);
  }
  if (found.version < BOOTSTRAP_VERSION) {
    throw new ArchctlError(
      `archctl's bootstrap stack in ${session.region} is version ${found.version}; this archctl needs version ${BOOTSTRAP_VERSION}`,
      `run ${bootstrapCommand(session)} to upgrade it`,
    );
  }
  // Objects expire this many days after upload (the lifecycle rule); deploy re-uploads reused ones in time.
  const retention = Number(stack.parameters.ArtifactRetentionDays);
  return { ...found, retentionDays: Number.isInteger(retention) && retention > 0 ? retention : 90 };
}

/** The compiled template (dist/templates/bootstrap/bootstrap.json), checked to be the version this code expects. */
export function loadBootstrapTemplate(): CfnTemplate {
  const file = join(distDir, 'templates', 'bootstrap', 'bootstrap.json');
  let template: CfnTemplate;
  try {
    template = JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate;
  } catch (err) {
    throw new ArchctlError(`cannot read the bootstrap template: ${(err as Error).message.split('\n')[0]}`, 'rebuild archctl with npm run build (or reinstall it)');
  }
  const version = template.Outputs?.BootstrapVersion?.Value;
  if (version !== String(BOOTSTRAP_VERSION)) {
    throw new ArchctlError(
      `the bootstrap template ${file} is version ${JSON.stringify(version)}, but this archctl expects version ${BOOTSTRAP_VERSION}`,
      'rebuild archctl with npm run build (or reinstall it)',
    );
  }
  return template;
}

/**
 * The region bootstrap works in: --region, else the project's archctl.json
 * (read only when there is one: bootstrap needs no project), else AWS_REGION,
 * else the profile's.
 */
export async function bootstrapRegion(f: { region?: string | undefined; profile?: string | undefined; dir: string }, env: NodeJS.ProcessEnv): Promise<string> {
  const project = f.region === undefined && existsSync(join(f.dir, PROJECT_FILE)) ? readProject(f.dir).region : undefined;
  return resolveRegion({ flag: f.region, project, env, profile: f.profile });
}


/** Why the stack's state stops bootstrap, with what to do; undefined when bootstrap can go on. */
function blocked(session: AwsSession, stack: StackInfo): ArchctlError | undefined {
  const where = `${BOOTSTRAP_STACK} in ${session.region}`;
  const rerun = `then rerun ${bootstrapCommand(session)}`;
  const plan = planForStatus(stack.status);
  switch (plan.kind) {
    case 'create':
    case 'update':
    case 'recreate':
      return undefined;
    case 'busy':
      return new ArchctlError(
        `${where} is busy (${plan.status}): another operation on it is still running`,
        `wait until it finishes (archctl status --stack-name ${BOOTSTRAP_STACK} --region ${session.region}), ${rerun}`,
      );
    case 'continue-rollback':
      return new ArchctlError(
        `${where} is UPDATE_ROLLBACK_FAILED: an update failed and so did its rollback`,
        `continue the rollback (aws cloudformation continue-update-rollback --stack-name ${BOOTSTRAP_STACK} --region ${session.region}), ${rerun}`,
      );
    case 'delete-failed':
      return new ArchctlError(
        `${where} is DELETE_FAILED: an earlier delete of the bootstrap stack did not finish`,
        `finish it (aws cloudformation delete-stack --stack-name ${BOOTSTRAP_STACK} --region ${session.region}; the artifact bucket is retained), ${rerun}`,
      );
    case 'unknown':
      return new ArchctlError(
        `${where} is ${plan.status}, a state archctl does not resolve on its own${stack.statusReason ? ` (${oneLine(stack.statusReason)})` : ''}`,
        `look at its events in the CloudFormation console and resolve it, ${rerun}`,
      );
  }
}

/** The error for a failed operation: the stack's status and the events that explain it, with a fix. */
function operationFailed(session: AwsSession, what: string, final: StackInfo, events: readonly StackEvent[], fix: string): ArchctlError {
  const causes = rootCauses(events, BOOTSTRAP_STACK);
  const why = causes.length > 0 ? causes.map((e) => `${e.logicalId} ${e.status}: ${oneLine(e.reason ?? '')}`).join('; ') : oneLine(final.statusReason ?? 'no reason given');
  const denied = /access ?denied|not authorized|forbidden|\b403\b/i.test(why);
  return new ArchctlError(
    `${what} ${BOOTSTRAP_STACK} in ${session.region} failed (${final.status}): ${why}`,
    denied ? `give the caller the permission named above (README: Permissions), ${fix}` : fix,
  );
}

/** Deletes a stack whose first create failed; it never held anything (the bucket is deleted with the rollback). */
async function deleteFailedStack(session: AwsSession, stack: StackInfo, reason: string, token: string, emit: (e: BootstrapEvent) => void): Promise<void> {
  emit({ type: 'recreate', status: stack.status, reason });
  const since = Date.now() - CLOCK_SKEW_MS;
  const events: StackEvent[] = [];
  await deleteStack(session, stack.id, token);
  const after = await waitForStack(session, stack.id, {
    since,
    token,
    onEvent: (event) => {
      events.push(event);
      emit({ type: 'stack-event', event });
    },
  });
  if (after.status !== 'DELETE_COMPLETE') {
    throw operationFailed(
      session,
      'deleting the failed',
      after,
      events,
      `delete it in the CloudFormation console (or aws cloudformation delete-stack --stack-name ${BOOTSTRAP_STACK} --region ${session.region}), then rerun ${bootstrapCommand(session)}`,
    );
  }
}

/** The result read from a finished stack's outputs. */
function resultOf(session: AwsSession, stack: StackInfo, status: BootstrapResult['status']): BootstrapResult {
  const found = deployed(stack);
  if (!found) {
    throw new ArchctlError(
      `${BOOTSTRAP_STACK} in ${session.region} is ${stack.status} but has no ArtifactBucketName and BootstrapVersion outputs`,
      `look at the stack in the CloudFormation console; delete it if it is not archctl's, then rerun ${bootstrapCommand(session)}`,
    );
  }
  return { status, ...found, stackName: BOOTSTRAP_STACK };
}

/**
 * Creates the bootstrap stack, or upgrades one older than BOOTSTRAP_VERSION,
 * through a change set; a stack already at this version (or newer) is left
 * alone. A failed first create (ROLLBACK_COMPLETE...) is deleted and created
 * again; any other unsettled or broken state stops with what to do.
 */
export async function bootstrap(session: AwsSession, opts: BootstrapOptions = {}): Promise<BootstrapResult> {
  const emit = opts.onEvent ?? (() => {});
  const template = loadBootstrapTemplate();
  // One id per run: every mutation's token derives from it, and the session's
  // retries resend the same request, so a retried call is never done twice.
  const run = randomUUID();
  const token = (operation: string) => `archctl-bootstrap-${operation}-${run}`;

  let stack = await describeStack(session, BOOTSTRAP_STACK);
  const current = stack ? deployed(stack) : undefined;
  if (stack && current && isStable(stack.status) && current.version >= BOOTSTRAP_VERSION) {
    if (current.version > BOOTSTRAP_VERSION) emit({ type: 'newer', version: current.version });
    return resultOf(session, stack, 'unchanged');
  }

  if (stack) {
    const stop = blocked(session, stack);
    if (stop) throw stop;
    const plan = planForStatus(stack.status);
    if (plan.kind === 'recreate') {
      await deleteFailedStack(session, stack, plan.reason, token('delete'), emit);
      stack = undefined;
    }
  }

  const type = stack && planForStatus(stack.status).kind === 'update' ? 'UPDATE' : 'CREATE';
  const fromVersion = stack && type === 'UPDATE' ? (versionOf(stack) ?? 0) : undefined;
  emit({ type: 'plan', action: type === 'UPDATE' ? 'update' : 'create', ...(fromVersion !== undefined ? { fromVersion } : {}), toVersion: BOOTSTRAP_VERSION });

  // An upgrade keeps a retention the account chose; CloudFormation would otherwise reset it to the default.
  const retention = type === 'UPDATE' ? stack?.parameters.ArtifactRetentionDays : undefined;
  const changeSet = await createChangeSet(session, {
    stackName: BOOTSTRAP_STACK,
    changeSetName: `archctl-bootstrap-v${BOOTSTRAP_VERSION}-${run}`,
    type,
    templateBody: JSON.stringify(template),
    parameters: retention !== undefined ? { ArtifactRetentionDays: retention } : {},
    tags: { 'archctl:bootstrap-version': String(BOOTSTRAP_VERSION) },
    token: token('change-set'),
    description: `archctl bootstrap version ${BOOTSTRAP_VERSION}`,
  });

  const computed = await waitForChangeSet(session, changeSet.id);
  if (computed.state === 'empty') {
    await deleteChangeSet(session, changeSet.id);
    if (!stack) throw new ArchctlError(`the change set creating ${BOOTSTRAP_STACK} in ${session.region} has no changes`, 'rebuild archctl with npm run build (or reinstall it)');
    return resultOf(session, stack, 'unchanged');
  }
  if (computed.state === 'failed') {
    await deleteChangeSet(session, changeSet.id);
    throw new ArchctlError(
      `CloudFormation could not make the bootstrap change set for ${BOOTSTRAP_STACK} in ${session.region}: ${oneLine(computed.reason)}`,
      `fix what it names, then rerun ${bootstrapCommand(session)}`,
    );
  }

  const executeToken = token('execute');
  const since = Date.now() - CLOCK_SKEW_MS;
  const events: StackEvent[] = [];
  await executeChangeSet(session, changeSet.id, executeToken);
  const final = await waitForStack(session, changeSet.stackId, {
    since,
    token: executeToken,
    onEvent: (event) => {
      events.push(event);
      emit({ type: 'stack-event', event });
    },
  });
  if (!isSuccess(final.status)) {
    const fix =
      type === 'CREATE'
        ? `fix the cause, then rerun ${bootstrapCommand(session)}: it deletes the failed stack and creates it again`
        : `the previous version is still in place; fix the cause, then rerun ${bootstrapCommand(session)}`;
    throw operationFailed(session, type === 'CREATE' ? 'creating' : 'updating', final, events, fix);
  }
  return resultOf(session, final, type === 'CREATE' ? 'created' : 'updated');
}
