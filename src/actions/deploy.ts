import { createHash, randomUUID } from 'node:crypto';
import { objectUrl, uploadIfMissing } from '../aws/assets.js';
import type { AwsSession } from '../aws/session.js';
import {
  continueUpdateRollback,
  createChangeSet,
  deleteChangeSet,
  deleteStack,
  describeStack,
  enableTerminationProtection,
  executeChangeSet,
  getTemplate,
  listStackResources,
  waitForChangeSet,
  waitForStack,
  type StackInfo,
} from '../aws/stacks.js';
import { permissionWidening, statefulRemovals, statefulReplacements, type ResourceChange, type Widening } from '../core/change-set.js';
import { changedCodeKeys, DEPLOY_HASH_OUTPUT } from '../core/deploy-hash.js';
import { ArchctlError, usageError, oneLine } from '../core/errors.js';
import type { CfnTemplate } from '../core/types.js';
import { functionOwner, updateFunctionCode } from '../aws/lambda.js';
import { rootCauses, type StackEvent } from '../core/stack-events.js';
import { isStable, isSuccess, planForStatus } from '../core/stack-state.js';
import { findArtifactBucket } from './bootstrap.js';
import { prepareDeploy, prepareTemplate, type Prepared, type PrepareEvent } from './deploy-prepare.js';
import { deployStateFile, readDeployState, writeDeployState, type DeployState } from './deploy-state.js';
import { tryHotswap, type HotswapEvent } from './hotswap.js';
import type { StackTarget } from './stack-target.js';

export type DeployEvent =
  | PrepareEvent
  | HotswapEvent
  | { type: 'stack-found'; status: string | undefined }
  | { type: 'asset'; name: string; key: string; state: 'present' | 'uploaded' | 'refreshed'; bytes: number }
  | { type: 'changes'; changes: ResourceChange[]; widening: Widening[]; refused: ResourceChange[]; newStack: boolean }
  | { type: 'operation'; what: 'execute' | 'delete-failed-stack' | 'continue-rollback'; stackName: string }
  | { type: 'stack-event'; event: StackEvent }
  | { type: 'note'; message: string };

/** Questions deploy asks before changing anything; the CLI asks a person (or --yes answers). */
export type Question =
  | { kind: 'execute'; changes: ResourceChange[] }
  | { kind: 'recreate'; status: string; reason: string }
  | { kind: 'continue-rollback'; skip: string[] };

export interface DeployRequest {
  target: StackTarget;
  projectDir: string;
  /** A template rendered elsewhere (offload's CloudFront stack), instead of the target's pattern. */
  rendered?: { pattern: string; template: CfnTemplate } | undefined;
  /** Handler sources (<pattern>/<function>.ts); archctl's own when absent. */
  handlersDir?: string | undefined;
  /** 'deploy' executes (after confirmation); 'no-execute' keeps the change set for review; 'diff' shows it and deletes it. */
  mode: 'deploy' | 'no-execute' | 'diff';
  allowReplace?: boolean;
  hotswap?: boolean;
  /** For UPDATE_ROLLBACK_FAILED: resources ContinueUpdateRollback may skip. */
  skipResources?: string[];
  confirm: (q: Question) => Promise<boolean>;
  onEvent?: (e: DeployEvent) => void;
  /** Injected for tests: tokens and the clock. */
  newToken?: () => string;
  now?: () => number;
}

export type DeployOutcome = 'no-changes' | 'deployed' | 'change-set-created' | 'diffed' | 'cancelled' | 'hotswapped';

export interface DeployResult {
  outcome: DeployOutcome;
  stackName: string;
  region: string;
  outputs: Record<string, string>;
  changeSetId?: string;
  changes?: ResourceChange[];
  hotswapped?: string[];
}

/**
 * Where to start reading events: the stack's last update as AWS's clock saw
 * it (ours may be off). Older events belong to earlier operations; the
 * request token then picks this operation's own.
 */
const eventsAfter = (stack: StackInfo | undefined): number => (stack?.lastUpdated ?? 0) - 1000;


const visibleOutputs = (outputs: Record<string, string>) => Object.fromEntries(Object.entries(outputs).filter(([k]) => k !== DEPLOY_HASH_OUTPUT));

/** What to tell the user to do for a stack left in each failed state. */
function fixFor(status: string, stackName: string): string {
  switch (status) {
    case 'ROLLBACK_COMPLETE':
    case 'ROLLBACK_FAILED':
    case 'CREATE_FAILED':
      return `fix the cause, then rerun archctl deploy: it offers to delete the failed stack ${stackName} and create it again`;
    case 'UPDATE_ROLLBACK_COMPLETE':
      return 'the stack is back on its previous version; fix the cause and rerun archctl deploy';
    case 'UPDATE_ROLLBACK_FAILED':
      return 'rerun archctl deploy: it continues the rollback (add --skip-resources <ids> for resources that cannot roll back)';
    default:
      return 'see archctl status for the events, fix the cause and rerun archctl deploy';
  }
}

function failure(stack: StackInfo, events: StackEvent[], what: string): ArchctlError {
  const causes = rootCauses(events, stack.name)
    .slice(0, 3)
    .map((e) => `${e.logicalId} (${e.resourceType}): ${oneLine(e.reason)}`);
  return new ArchctlError(`${what} failed; stack ${stack.name} is ${stack.status}${causes.length ? `: ${causes.join('; ')}` : ''}`, fixFor(stack.status, stack.name));
}

/**
 * Deploys a pattern through a reviewed change set, handling every stack state
 * (SECURITY.md's deploy-safety list). An unchanged deploy costs one call
 * (DescribeStacks: the recorded hash and code keys match) and creates no
 * change set; --hotswap with only code changed makes no CloudFormation call.
 */
export async function deploy(s: AwsSession, r: DeployRequest): Promise<DeployResult> {
  const emit = r.onEvent ?? (() => {});
  const newToken = r.newToken ?? (() => `archctl-${randomUUID()}`);
  const now = r.now ?? Date.now;
  const t = r.target;
  if (!t.target && !r.rendered) throw new ArchctlError('deploy needs a pattern or an archctl.json', 'run it in a project folder, or name the pattern: archctl deploy todo');
  const base = { stackName: t.stackName, region: t.region };

  const prepareOptions = { projectDir: r.projectDir, stage: t.stage, production: t.production, handlersDir: r.handlersDir, onEvent: emit };
  const prepared = r.rendered ? await prepareTemplate(r.rendered.pattern, r.rendered.template, prepareOptions) : await prepareDeploy(t.target!, prepareOptions);
  const stateFile = deployStateFile(r.projectDir, t.stackName, t.region);

  if (r.hotswap && r.mode === 'deploy') {
    if (t.production) {
      throw usageError(`--hotswap is refused on the production stage ${t.stage}`, 'hotswap is a development shortcut that bypasses review; deploy production without it');
    }
    const hot = await tryHotswap(s, prepared, { stateFile, stackName: t.stackName, onEvent: emit });
    if (hot.done && hot.updated.length > 0) return { ...base, outcome: 'hotswapped', outputs: hot.outputs, hotswapped: hot.updated };
    // Nothing to hotswap: the stack itself says whether anything else changed (one call).
    if (!hot.done) emit({ type: 'note', message: `hotswap not possible: ${hot.reason}; running a full deploy` });
  }

  let stack = await describeStack(s, t.stackName);
  emit({ type: 'stack-found', status: stack?.status });
  if (stack && isStable(stack.status) && stack.outputs[DEPLOY_HASH_OUTPUT] === prepared.templateHash && changedCodeKeys(prepared.codeKeys, stack.parameters).length === 0) {
    await protectIfProduction(s, stack, prepared, t, emit);
    await undoHotswaps(s, stateFile, prepared, emit);
    return { ...base, outcome: 'no-changes', outputs: visibleOutputs(stack.outputs) };
  }
  let createdHere = stack === undefined;

  let plan = planForStatus(stack?.status);
  if (plan.kind === 'busy') {
    throw new ArchctlError(`stack ${t.stackName} is busy (${plan.status}): another operation is running`, 'wait for it to finish (archctl status shows its progress), then rerun');
  }
  if (plan.kind === 'delete-failed') {
    throw new ArchctlError(`stack ${t.stackName} is DELETE_FAILED: an earlier destroy stopped half-way`, 'finish it with archctl destroy (it lists what blocked the delete), then deploy again');
  }
  if (plan.kind === 'unknown') {
    throw new ArchctlError(`stack ${t.stackName} is ${plan.status}, a state deploy does not handle`, 'look at it in the CloudFormation console or with archctl status, and resolve it there');
  }

  // Recover a stack that cannot take a change set, after asking.
  if (plan.kind === 'recreate') {
    if (r.mode !== 'deploy') throw new ArchctlError(`stack ${t.stackName} is ${stack!.status}: ${plan.reason}`, 'run archctl deploy: it offers to delete the failed stack and create it again');
    if (!(await r.confirm({ kind: 'recreate', status: stack!.status, reason: plan.reason }))) {
      return { ...base, outcome: 'cancelled', outputs: {} };
    }
    const token = newToken();
    emit({ type: 'operation', what: 'delete-failed-stack', stackName: t.stackName });
    const since = eventsAfter(stack);
    await deleteStack(s, stack!.id, token);
    const events: StackEvent[] = [];
    const after = await waitForStack(s, stack!.id, { since, token, onEvent: (e) => (events.push(e), emit({ type: 'stack-event', event: e })) });
    if (after.status !== 'DELETE_COMPLETE') throw failure(after, events, 'deleting the failed stack');
    stack = undefined;
    plan = { kind: 'create' };
    createdHere = true;
  } else if (plan.kind === 'continue-rollback') {
    if (r.mode !== 'deploy') throw new ArchctlError(`stack ${t.stackName} is UPDATE_ROLLBACK_FAILED`, 'run archctl deploy: it continues the rollback first');
    const skip = r.skipResources ?? [];
    if (!(await r.confirm({ kind: 'continue-rollback', skip }))) return { ...base, outcome: 'cancelled', outputs: {} };
    const token = newToken();
    emit({ type: 'operation', what: 'continue-rollback', stackName: t.stackName });
    const since = eventsAfter(stack);
    await continueUpdateRollback(s, t.stackName, token, skip);
    const events: StackEvent[] = [];
    stack = await waitForStack(s, stack!.id, { since, token, onEvent: (e) => (events.push(e), emit({ type: 'stack-event', event: e })) });
    if (stack.status !== 'UPDATE_ROLLBACK_COMPLETE') throw failure(stack, events, 'continuing the rollback');
    plan = { kind: 'update' };
  }

  const { bucket, retentionDays } = await findArtifactBucket(s);
  // Half the retention: a zip reused for that long is uploaded again before it can expire.
  const upload = { bucket, refreshAfterMs: (retentionDays * 86_400_000) / 2, now: now() };
  await uploadAssets(s, upload, prepared, emit);
  // The body is a function of the hash (the hash output is the only addition), so the hash names it.
  const templateKey = `templates/${prepared.templateHash}.json`;
  const bodyBytes = new TextEncoder().encode(prepared.body);
  const templateState = await uploadIfMissing(s, { ...upload, key: templateKey, body: bodyBytes, contentType: 'application/json', sha256Base64: createHash('sha256').update(bodyBytes).digest('base64') });
  emit({ type: 'asset', name: 'template', key: templateKey, state: templateState, bytes: bodyBytes.length });

  const changeSet = await createChangeSet(s, {
    stackName: t.stackName,
    changeSetName: `archctl-${now()}`,
    type: plan.kind === 'create' ? 'CREATE' : 'UPDATE',
    templateUrl: objectUrl(bucket, t.region, templateKey),
    // CloudFormation refuses parameters a template does not declare (offload's CloudFront stack has none).
    parameters: { ...(prepared.template.Parameters?.ArtifactBucket ? { ArtifactBucket: bucket } : {}), ...prepared.codeKeys },
    tags: prepared.tags,
    token: newToken(),
    description: `archctl ${prepared.pattern} (${t.stage})`,
  });
  // A CREATE change set makes an empty stack in REVIEW_IN_PROGRESS: whenever
  // the change set is dropped, that stack goes too, unless it was there before.
  const discard = async () => {
    await deleteChangeSet(s, changeSet.id);
    if (plan.kind === 'create' && createdHere) await deleteStack(s, changeSet.stackId, newToken());
  };
  const computed = await waitForChangeSet(s, changeSet.id);
  if (computed.state === 'empty') {
    await discard();
    if (stack) await protectIfProduction(s, stack, prepared, t, emit);
    return { ...base, outcome: 'no-changes', outputs: visibleOutputs(stack?.outputs ?? {}) };
  }
  if (computed.state === 'failed') {
    await discard();
    throw new ArchctlError(`CloudFormation rejected the change set: ${oneLine(computed.reason)}`, 'fix the template (archctl validate) and rerun');
  }

  // Only an existing stack has a template to compare with (REVIEW_IN_PROGRESS has none).
  const deployed = plan.kind === 'update' ? await getTemplate(s, t.stackName) : undefined;
  const widening = permissionWidening(deployed, prepared.template);
  const refused = [...statefulReplacements(computed.changes), ...statefulRemovals(computed.changes).filter((c) => !keepsOnDelete(deployed, c.logicalId))];
  emit({ type: 'changes', changes: computed.changes, widening, refused, newStack: deployed === undefined });

  if (r.mode === 'diff') {
    await discard();
    return { ...base, outcome: 'diffed', outputs: {}, changes: computed.changes };
  }
  if (refused.length > 0 && !r.allowReplace) {
    await discard();
    const names = refused.map((c) => `${c.logicalId} (${c.resourceType})`).join(', ');
    throw new ArchctlError(
      `the change set would ${refused.some((c) => c.action === 'Remove') ? 'replace or delete' : 'replace'} ${names}: its data would be lost`,
      'change the template so the resource is kept, or rerun with --allow-replace once the data is backed up',
    );
  }
  if (r.mode === 'no-execute') return { ...base, outcome: 'change-set-created', outputs: {}, changeSetId: changeSet.id, changes: computed.changes };

  let yes = false;
  try {
    yes = await r.confirm({ kind: 'execute', changes: computed.changes });
  } finally {
    // No answer (no terminal, Ctrl-C) counts as no: nothing is left half-made.
    if (!yes) await discard();
  }
  if (!yes) return { ...base, outcome: 'cancelled', outputs: {}, changes: computed.changes };

  const token = newToken();
  emit({ type: 'operation', what: 'execute', stackName: t.stackName });
  const since = eventsAfter(stack);
  await executeChangeSet(s, changeSet.id, token);
  const events: StackEvent[] = [];
  const final = await waitForStack(s, changeSet.stackId, { since, token, before: stack?.status ?? 'REVIEW_IN_PROGRESS', onEvent: (e) => (events.push(e), emit({ type: 'stack-event', event: e })) });
  if (!isSuccess(final.status)) throw failure(final, events, 'the deploy');

  await protectIfProduction(s, final, prepared, t, emit);
  await recordDeploy(s, stateFile, prepared, final);
  await undoHotswaps(s, stateFile, prepared, emit);
  return { ...base, outcome: 'deployed', outputs: visibleOutputs(final.outputs), changes: computed.changes };
}

/** Removing a resource loses its data unless the deployed template keeps it on delete. */
function keepsOnDelete(deployed: CfnTemplate | undefined, logicalId: string): boolean {
  const policy = deployed?.Resources?.[logicalId]?.DeletionPolicy;
  return policy === 'Retain' || policy === 'RetainExceptOnCreate' || policy === 'Snapshot';
}

/** Production stages get termination protection, checked on every deploy, so one interrupted run cannot leave it off. */
async function protectIfProduction(s: AwsSession, stack: StackInfo, p: Prepared, t: StackTarget, emit: (e: DeployEvent) => void): Promise<void> {
  if (!p.terminationProtection || stack.terminationProtection) return;
  await enableTerminationProtection(s, t.stackName);
  emit({ type: 'note', message: `termination protection turned on (stage ${t.stage})` });
}

/**
 * After a --hotswap, Lambda may run code the stack does not name; a full
 * deploy whose code keys match the stack's would not notice. So a deploy that
 * follows a hotswap puts each function back on the code it ships, where
 * Lambda's CodeSha256 (base64 SHA-256 of the zip) differs, then clears the flag.
 */
async function undoHotswaps(s: AwsSession, file: string, p: Prepared, emit: (e: DeployEvent) => void): Promise<void> {
  const state = readDeployState(file);
  if (!state?.hotswapped) return;
  for (const a of p.assets) {
    const fn = state.functions[a.logicalId];
    if (!fn) continue;
    const owner = await functionOwner(s, fn.functionName);
    if (owner && owner.codeSha256 !== a.sha256Base64) {
      emit({ type: 'note', message: `${a.logicalId}: putting back the code the stack ships (it still ran hotswapped code)` });
      await updateFunctionCode(s, fn.functionName, a.body);
    }
  }
  writeDeployState(file, { ...state, codeKeys: { ...p.codeKeys }, hotswapped: false });
}

async function uploadAssets(s: AwsSession, upload: { bucket: string; refreshAfterMs: number; now: number }, p: Prepared, emit: (e: DeployEvent) => void): Promise<void> {
  for (const a of p.assets) {
    const state = await uploadIfMissing(s, { ...upload, key: a.key, body: a.body, contentType: 'application/zip', sha256Base64: a.sha256Base64 });
    emit({ type: 'asset', name: a.logicalId, key: a.key, state, bytes: a.body.length });
  }
}

/** Remembers what was deployed, for --hotswap: the hash, the code keys and the functions' physical names. */
async function recordDeploy(s: AwsSession, file: string, p: Prepared, stack: StackInfo): Promise<void> {
  const resources = p.assets.length > 0 ? await listStackResources(s, stack.id) : [];
  const functions: DeployState['functions'] = {};
  for (const a of p.assets) {
    const r = resources.find((x) => x.logicalId === a.logicalId);
    if (r?.physicalId) functions[a.logicalId] = { functionName: r.physicalId, codeKeyParameter: a.codeKeyParameter };
  }
  writeDeployState(file, {
    stateVersion: 1,
    stackName: stack.name,
    stackId: stack.id,
    region: s.region,
    templateHash: p.templateHash,
    codeKeys: { ...p.codeKeys },
    functions,
    outputs: visibleOutputs(stack.outputs),
    hotswapped: false,
  });
}
