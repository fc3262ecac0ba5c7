/**
 * What `archctl destroy` does to each resource of a stack, said so a person
 * can approve it (SECURITY.md: "Retained resources are listed on destroy with
 * what happens to each; nothing is emptied or deleted silently"). Pure: it
 * reads the deployed template's DeletionPolicy of each resource the stack
 * still holds, so every case is tested without AWS.
 */
import { isStateful } from './change-set.js';
import type { CfnTemplate, Json } from './types.js';

/** A resource the stack holds, as ListStackResources reports it. */
export interface DeployedResource {
  logicalId: string;
  physicalId?: string | undefined;
  type: string;
  status: string;
  reason?: string | undefined;
}

/** The DeletionPolicy that decides a resource's fate; `unknown` when the deployed template does not say in a form archctl can read. */
export type DeletionPolicy = 'Retain' | 'RetainExceptOnCreate' | 'Snapshot' | 'Delete' | 'unknown';

export interface PlannedResource {
  logicalId: string;
  type: string;
  physicalId: string;
  policy: DeletionPolicy;
  /** What happens to it, in words: printed before confirmation and again after the delete. */
  what: string;
}

export interface FailedResource {
  logicalId: string;
  type: string;
  physicalId?: string | undefined;
  reason: string;
}

export interface DestroyPlan {
  /** Stay in the account (DeletionPolicy Retain / RetainExceptOnCreate, or --retain) and keep costing. */
  retained: PlannedResource[];
  /** Deleted after a final snapshot, which stays and keeps costing. */
  snapshot: PlannedResource[];
  /** Stateful resources deleted with what they hold (a bucket only when empty). */
  deletedWithData: PlannedResource[];
  /** How many stateless resources (functions, roles, APIs...) are deleted. */
  deleted: number;
  /** Resources whose delete failed last time (the stack is in DELETE_FAILED), with CloudFormation's reason. */
  failed: FailedResource[];
  /** The deployed template could not be read (not JSON), so no DeletionPolicy is known. */
  templateUnread: boolean;
}

export interface PlanOptions {
  region: string;
  profile?: string | undefined;
  /** --retain: logical ids left in place by a DeleteStack retry on a stack in DELETE_FAILED. */
  retain?: readonly string[];
}

/**
 * Resources that no longer exist: deleted already (a stack half deleted, or
 * rolled back) or never created. Nothing is left of them to warn about.
 */
const isGone = (r: DeployedResource): boolean => r.status === 'DELETE_COMPLETE' || !r.physicalId;

/** CloudFormation's own default when a template sets no DeletionPolicy: Snapshot for RDS clusters and stand-alone instances. */
function defaultPolicy(type: string, properties: Record<string, Json> | undefined): DeletionPolicy {
  if (type === 'AWS::RDS::DBCluster') return 'Snapshot';
  if (type === 'AWS::RDS::DBInstance' && properties?.DBClusterIdentifier === undefined) return 'Snapshot';
  return 'Delete';
}

const KNOWN: ReadonlySet<string> = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot', 'Delete']);

/**
 * The resource's DeletionPolicy in the deployed template. A resource missing
 * from the template (added by a transform or macro) or a policy computed by an
 * intrinsic function is `unknown`: archctl does not guess.
 */
export function deletionPolicyOf(template: CfnTemplate | undefined, logicalId: string, type: string): DeletionPolicy {
  const resource = template?.Resources?.[logicalId];
  if (!resource) return 'unknown';
  const policy: unknown = resource.DeletionPolicy;
  if (policy === undefined) return defaultPolicy(type, resource.Properties);
  return typeof policy === 'string' && KNOWN.has(policy) ? (policy as DeletionPolicy) : 'unknown';
}

/** `aws ... --region R [--profile P]`: the commands printed are ready to paste. */
function cli(command: string, o: PlanOptions): string {
  return `\`aws ${command} --region ${o.region}${o.profile ? ` --profile ${o.profile}` : ''}\``;
}

/** A property of the resource in the deployed template that is set to anything but false. */
function isOn(template: CfnTemplate | undefined, logicalId: string, property: string): boolean {
  const value = template?.Resources?.[logicalId]?.Properties?.[property];
  return value !== undefined && value !== false && value !== 'false';
}

/** How to delete a retained resource by hand, for the types people most often leave behind. */
function deleteHint(r: DeployedResource & { physicalId: string }, template: CfnTemplate | undefined, o: PlanOptions): string {
  const id = r.physicalId;
  switch (r.type) {
    case 'AWS::DynamoDB::Table': {
      const unprotect = isOn(template, r.logicalId, 'DeletionProtectionEnabled')
        ? `${cli(`dynamodb update-table --table-name ${id} --no-deletion-protection-enabled`, o)} (it has deletion protection), then `
        : '';
      return `delete it in the console or with ${unprotect}${cli(`dynamodb delete-table --table-name ${id}`, o)}`;
    }
    case 'AWS::S3::Bucket':
      return (
        `delete it in the console or with ${cli(`s3 rb s3://${id} --force`, o)}; careful: --force deletes every object in it first, ` +
        `and cannot be undone (a versioned bucket keeps old versions that make rb fail: the console's Empty button removes them)`
      );
    case 'AWS::Cognito::UserPool':
      return `delete it in the console or with ${cli(`cognito-idp delete-user-pool --user-pool-id ${id}`, o)} (its users go with it)`;
    case 'AWS::Cognito::IdentityPool':
      return `delete it in the console or with ${cli(`cognito-identity delete-identity-pool --identity-pool-id ${id}`, o)}`;
    case 'AWS::Logs::LogGroup':
      return `delete it in the console or with ${cli(`logs delete-log-group --log-group-name ${id}`, o)}`;
    case 'AWS::SecretsManager::Secret':
      return `delete it in the console or with ${cli(`secretsmanager delete-secret --secret-id ${id}`, o)} (recoverable for 30 days)`;
    case 'AWS::KMS::Key':
      return (
        `schedule its deletion in the console or with ${cli(`kms schedule-key-deletion --key-id ${id} --pending-window-in-days 30`, o)}; ` +
        `whatever is still encrypted under it becomes unreadable once it is gone`
      );
    case 'AWS::SQS::Queue':
      return `delete it in the console or with ${cli(`sqs delete-queue --queue-url ${id}`, o)}`;
    case 'AWS::Kinesis::Stream':
      return `delete it in the console or with ${cli(`kinesis delete-stream --stream-name ${id}`, o)}`;
    default:
      return 'delete it in the console';
  }
}

/** What a stateful resource holds that its delete destroys. */
const LOSS: Readonly<Record<string, string>> = {
  'AWS::DynamoDB::Table': 'deleted with its items',
  'AWS::DynamoDB::GlobalTable': 'deleted with its items, in every replica region',
  'AWS::Cognito::UserPool': 'deleted with its users (they cannot be moved to a new pool with their passwords)',
  'AWS::Cognito::IdentityPool': "deleted: its identity ids, which prefix each user's S3 keys, are gone for good",
  'AWS::Logs::LogGroup': 'deleted with its log history',
  'AWS::SecretsManager::Secret': 'deleted with its value',
  'AWS::KMS::Key': 'scheduled for deletion: whatever is still encrypted under it becomes unreadable once it is gone',
  'AWS::CloudFront::Distribution': 'deleted: its domain name is gone for good (DNS records pointing at it stop working)',
  'AWS::SQS::Queue': 'deleted with the messages not yet consumed',
  'AWS::Kinesis::Stream': 'deleted with the records not yet consumed',
};

function whatOf(r: DeployedResource & { physicalId: string }, policy: DeletionPolicy, template: CfnTemplate | undefined, o: PlanOptions, byFlag: boolean): string {
  if (byFlag) {
    return `retained (--retain): CloudFormation leaves it in place and forgets it; it keeps its data and keeps costing; when you no longer need it, ${deleteHint(r, template, o)}`;
  }
  if (policy === 'Retain' || policy === 'RetainExceptOnCreate') {
    const stays = isStateful(r.type) ? 'stays in the account with its data and keeps costing' : 'stays in the account, no longer managed by any stack';
    return `retained: ${stays}; when you no longer need it, ${deleteHint(r, template, o)}`;
  }
  if (policy === 'Snapshot') {
    return 'deleted after a final snapshot: the snapshot stays in the account and keeps costing until you delete it (in the console, under snapshots)';
  }
  if (policy === 'unknown') {
    return `its DeletionPolicy cannot be read from the deployed template: assume it is deleted with its data (if it is Retain, it stays and keeps costing)`;
  }
  if (r.type === 'AWS::S3::Bucket') {
    return (
      `deleted only if empty: archctl empties nothing; if it holds objects the delete fails (DELETE_FAILED) and you decide: ` +
      `empty it yourself, or rerun destroy with --retain ${r.logicalId}`
    );
  }
  if (r.type === 'AWS::DynamoDB::Table' && isOn(template, r.logicalId, 'DeletionProtectionEnabled')) {
    return (
      `deleted with its items, but its deletion protection makes the delete fail (DELETE_FAILED) until you turn it off with ` +
      `${cli(`dynamodb update-table --table-name ${r.physicalId} --no-deletion-protection-enabled`, o)}; or rerun destroy with --retain ${r.logicalId}`
    );
  }
  return LOSS[r.type] ?? 'deleted with its data';
}

/**
 * Classifies every resource the stack still holds: retained (Retain,
 * RetainExceptOnCreate — the resource exists, so it was created and is kept —
 * or named by --retain), snapshot, deleted with its data (stateful types,
 * and any stateful resource whose policy cannot be read), or simply deleted.
 */
export function planDestroy(template: CfnTemplate | undefined, resources: readonly DeployedResource[], o: PlanOptions): DestroyPlan {
  const retainFlag = new Set(o.retain ?? []);
  const plan: DestroyPlan = { retained: [], snapshot: [], deletedWithData: [], deleted: 0, failed: failedResources(resources), templateUnread: template === undefined };
  for (const r of resources) {
    if (isGone(r)) continue;
    const existing = r as DeployedResource & { physicalId: string };
    const byFlag = retainFlag.has(r.logicalId);
    const policy = byFlag ? 'Retain' : deletionPolicyOf(template, r.logicalId, r.type);
    const entry: PlannedResource = { logicalId: r.logicalId, type: r.type, physicalId: existing.physicalId, policy, what: whatOf(existing, policy, template, o, byFlag) };
    if (policy === 'Retain' || policy === 'RetainExceptOnCreate') plan.retained.push(entry);
    else if (policy === 'Snapshot') plan.snapshot.push(entry);
    else if (isStateful(r.type)) plan.deletedWithData.push(entry);
    else plan.deleted++;
  }
  return plan;
}

/** Resources whose last delete failed, with CloudFormation's reason. */
export function failedResources(resources: readonly DeployedResource[]): FailedResource[] {
  return resources
    .filter((r) => r.status === 'DELETE_FAILED')
    .map((r) => ({ logicalId: r.logicalId, type: r.type, physicalId: r.physicalId, reason: r.reason ?? 'no reason given' }));
}

/** The logical ids whose delete failed: the only ones --retain accepts. */
export const failedIds = (plan: Pick<DestroyPlan, 'failed'>): string[] => plan.failed.map((f) => f.logicalId);

const line = (p: PlannedResource): string => `  ${p.logicalId} (${p.type}, ${p.physicalId}): ${p.what}`;
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The plan as printed before confirmation. */
export function formatDestroyPlan(plan: DestroyPlan): string[] {
  const lines: string[] = [];
  if (plan.templateUnread) lines.push('the deployed template is not JSON, so archctl cannot read its DeletionPolicy values: stateful resources are shown as deleted');
  if (plan.failed.length > 0) {
    lines.push('the last delete failed on:');
    for (const f of plan.failed) lines.push(`  ${f.logicalId} (${f.type}${f.physicalId ? `, ${f.physicalId}` : ''}): ${f.reason}`);
  }
  if (plan.retained.length > 0) lines.push('retained (they stay, and keep costing, until you delete them):', ...plan.retained.map(line));
  if (plan.snapshot.length > 0) lines.push('snapshot, then deleted:', ...plan.snapshot.map(line));
  if (plan.deletedWithData.length > 0) lines.push('deleted with their data:', ...plan.deletedWithData.map(line));
  lines.push(`deleted: ${plural(plan.deleted, 'other resource', 'other resources')} (functions, roles, APIs and the like hold no data)`);
  return lines;
}

/** What is left in the account after a successful destroy: retained resources and final snapshots. */
export function formatLeftBehind(plan: DestroyPlan): string[] {
  const left = [...plan.retained, ...plan.snapshot];
  if (left.length === 0) return ['nothing was left behind'];
  return ['left behind (they keep costing until you delete them):', ...left.map(line)];
}
