/**
 * What a CloudFormation change set would do, said so a person can approve it:
 * which stateful resources it replaces or removes (deploy refuses those
 * without --allow-replace), which permissions it widens, and the diff lines
 * printed before confirmation. Pure, so every case is tested without AWS.
 */
import { policyDocumentsOf, trustPolicyOf } from './rule-helpers/iam-policies.js';
import { isAllow, statementsOf } from './rule-helpers/iam-statements.js';
import { escapeRegExp, textOf } from './rule-helpers/text.js';
import { asList, branches, isIntrinsic, isObject, objectsOf, prop, props } from './rule-helpers/values.js';
import type { CfnResource, CfnTemplate, Json, JsonObject } from './types.js';
import { stableJson } from './stable-json.js';

export type ChangeAction = 'Add' | 'Modify' | 'Remove' | 'Import' | 'Dynamic';
export interface ChangeDetail { attribute?: string; name?: string; requiresRecreation?: 'Never' | 'Conditionally' | 'Always'; changeSource?: string }
export interface ResourceChange {
  action: ChangeAction;
  logicalId: string;
  resourceType: string;
  physicalId?: string;
  /** CloudFormation's Replacement field: 'True' | 'False' | 'Conditional' (absent for Add/Remove). */
  replacement?: 'True' | 'False' | 'Conditional';
  details: ChangeDetail[];
}

/** Resource types whose replacement or removal loses something a new resource cannot give back. */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set([
  // Databases and file stores: the rows, items, objects and files themselves.
  'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket', 'AWS::EFS::FileSystem',
  'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain',
  // Users cannot be moved with their password hashes; a new identity pool issues new identity ids, and
  // S3 keys are prefixed with those ids, so every user's files are orphaned.
  'AWS::Cognito::UserPool', 'AWS::Cognito::IdentityPool',
  // Caches: sessions often live only there, a cold cache sends the whole read load to the table at once,
  // and the endpoint (and encryption, which is set only at creation) changes under the clients.
  'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::ServerlessCache', 'AWS::DAX::Cluster',
  // The distribution's domain name is what DNS records and users point at; a new one gets another.
  'AWS::CloudFront::Distribution',
  // Records and messages not yet consumed.
  'AWS::Kinesis::Stream', 'AWS::SQS::Queue',
  // A generated secret value cannot be regenerated; data encrypted under a deleted key is unreadable.
  'AWS::SecretsManager::Secret', 'AWS::KMS::Key',
  // Log history (often the only audit trail).
  'AWS::Logs::LogGroup',
]);

export const isStateful = (resourceType: string): boolean => STATEFUL_TYPES.has(resourceType);

const isReplaced = (c: ResourceChange): boolean => c.replacement === 'True' || c.replacement === 'Conditional';

/** Stateful resources the change set would replace (Replacement 'True' or 'Conditional'): deploy refuses these unless --allow-replace. */
export function statefulReplacements(changes: readonly ResourceChange[]): ResourceChange[] {
  return changes.filter((c) => c.action === 'Modify' && isReplaced(c) && isStateful(c.resourceType));
}

/** Stateful resources the change set removes. */
export function statefulRemovals(changes: readonly ResourceChange[]): ResourceChange[] {
  return changes.filter((c) => c.action === 'Remove' && isStateful(c.resourceType));
}

// ---- Reading template values -------------------------------------------------------------------

export { stableJson };

/** A value as a person reads it in YAML: `!Ref X`, `!GetAtt X.Arn`, `!Sub ...`. */
export function readable(value: Json | undefined): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map(readable).join(', ');
  if (!isIntrinsic(value)) return stableJson(value);
  const [fn, arg] = Object.entries(value)[0] as [string, Json];
  const tag = `!${fn.replace(/^Fn::/, '')}`;
  if (fn === 'Fn::GetAtt' && Array.isArray(arg)) return `${tag} ${arg.map(readable).join('.')}`;
  if (fn === 'Fn::Sub') return `${tag} ${readable(Array.isArray(arg) ? arg[0] : arg)}`;
  if (fn === 'Fn::Join') return `${tag} ${textOf(value) ?? stableJson(arg)}`;
  if (fn === 'Fn::If' && Array.isArray(arg)) return `${tag} ${readable(arg[0])} (${readable(arg[1])} | ${readable(arg[2])})`;
  return typeof arg === 'string' ? `${tag} ${arg}` : `${tag} ${stableJson(arg)}`;
}

const unique = (items: string[]): string[] => [...new Set(items)];

// ---- Permission widening -----------------------------------------------------------------------

export interface Widening { logicalId: string; kind: 'iam' | 'security-group'; summary: string }

/** One principal, action or resource of a grant: compared by `key`, or as an IAM wildcard `pattern`. */
interface Term { key: string; label: string; pattern?: string }
/** One thing an Allow says: a principal (resource and trust policies) may do an action on a resource. */
interface Grant { principal?: Term; action?: Term; resource?: Term; condition: string; suffix: string }

const ANYONE: Term = { key: '*', pattern: '*', label: 'anyone (*)' };

/** IAM wildcards; `?` never matches a `*` so that `a?c` does not claim to cover the broader `a*c`. */
function globCovers(pattern: string, text: string): boolean {
  const body = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '[^*]' : escapeRegExp(c))).join('');
  return new RegExp(`^${body}$`).test(text);
}

function termCovers(had: Term | undefined, now: Term | undefined): boolean {
  if (had === undefined || now === undefined) return had === now;
  if (had.key === now.key || had.pattern === '*') return true;
  return had.pattern !== undefined && now.pattern !== undefined && globCovers(had.pattern, now.pattern);
}

/** An old grant covers a new one when it allowed at least as much: so a narrowed statement is no widening. */
function grantCovers(had: Grant, now: Grant): boolean {
  return termCovers(had.principal, now.principal) && termCovers(had.action, now.action) && termCovers(had.resource, now.resource) &&
    (had.condition === '' || had.condition === now.condition);
}

/** Actions are case-insensitive in IAM: lower-cased for comparison, shown as written. */
function actionTerm(value: Json): Term {
  if (typeof value !== 'string') return { key: stableJson(value), label: readable(value) };
  return { key: value.toLowerCase(), pattern: value.toLowerCase(), label: value };
}

/** A `${?}` (a piece textOf could not render) might stand for anything, so such a text is no pattern. */
function resourceTerm(value: Json): Term {
  const text = textOf(value);
  const term: Term = { key: stableJson(value), label: value === '*' ? 'every resource (*)' : readable(value) };
  if (text !== undefined && !text.includes('${?}')) term.pattern = text;
  return term;
}

function principalTerm(type: string, value: Json): Term {
  return value === '*' ? ANYONE : { key: stableJson([type, value]), label: readable(value) };
}

function principalTerms(statement: JsonObject): (Term | undefined)[] {
  if (statement.NotPrincipal !== undefined) {
    return [{ key: `not:${stableJson(statement.NotPrincipal)}`, label: `anyone except ${readable(statement.NotPrincipal)}` }];
  }
  if (statement.Principal === undefined) return [undefined];
  const byType = (p: JsonObject): Term[] => Object.entries(p).flatMap(([type, v]) => asList(v).map((item) => principalTerm(type, item)));
  return branches(statement.Principal).flatMap((p) => (isObject(p) && !isIntrinsic(p) ? byType(p) : [principalTerm('', p)]));
}

/** The terms of `key` (Action / Resource), or one term for its Not- form, or [undefined] when neither is there. */
function termsOf(statement: JsonObject, key: string, make: (v: Json) => Term, everything: string): (Term | undefined)[] {
  const negated = statement[`Not${key}`];
  if (negated !== undefined) return [{ key: `not:${stableJson(negated)}`, label: `${everything} except ${readable(negated)}` }];
  const list = asList(statement[key]);
  return list.length > 0 ? list.map(make) : [undefined];
}

function statementGrants(statement: JsonObject): Grant[] {
  if (!isAllow(statement)) return [];
  const condition = statement.Condition === undefined ? '' : stableJson(statement.Condition);
  const suffix = condition === '' ? '' : ' (with a condition)';
  const actions = termsOf(statement, 'Action', actionTerm, 'every action');
  const resources = termsOf(statement, 'Resource', resourceTerm, 'every resource');
  return principalTerms(statement).flatMap((principal) =>
    actions.flatMap((action) => resources.map((resource) => ({ principal, action, resource, condition, suffix }))),
  );
}

/** Resource policies: their principals come from outside the account, which is why they matter most. */
const RESOURCE_POLICY_TYPES = new Set(['AWS::S3::BucketPolicy', 'AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy']);

function policyDocuments(resource: CfnResource): Json[] {
  const docs: Json[] = policyDocumentsOf(resource).map((d) => d.doc);
  const trust = trustPolicyOf(resource);
  if (trust) docs.push(trust.doc);
  if (RESOURCE_POLICY_TYPES.has(resource.Type)) docs.push(prop(resource, 'PolicyDocument') ?? null);
  return docs;
}

/** What a Lambda permission allows; its source ARN / account / org narrow it the way a condition does. */
function lambdaPermissionGrant(resource: CfnResource): Grant {
  const p = props(resource);
  const source: JsonObject = {};
  for (const k of ['SourceArn', 'SourceAccount', 'PrincipalOrgID', 'EventSourceToken']) if (p[k] !== undefined) source[k] = p[k] as Json;
  const from = p.SourceArn !== undefined ? readable(p.SourceArn) : p.SourceAccount !== undefined ? `account ${readable(p.SourceAccount)}` : 'any source';
  return {
    principal: principalTerm('', p.Principal ?? null),
    action: actionTerm(p.Action ?? null),
    resource: { key: stableJson(p.FunctionName), label: readable(p.FunctionName) },
    condition: Object.keys(source).length > 0 ? stableJson(source) : '',
    suffix: ` from ${from}`,
  };
}

function grantsOf(resource: CfnResource | undefined): Grant[] {
  if (!resource) return [];
  if (resource.Type === 'AWS::Lambda::Permission') return [lambdaPermissionGrant(resource)];
  return policyDocuments(resource).flatMap((doc) => statementsOf(doc, '').flatMap(({ statement }) => statementGrants(statement)));
}

function describeGrant(g: Grant): string {
  const by = g.principal ? ` by ${g.principal.label}` : '';
  const on = g.resource ? ` on ${g.resource.label}` : '';
  return `allows ${g.action?.label ?? '(no action)'}${by}${on}${g.suffix}`;
}

function widenedGrants(before: CfnResource | undefined, after: CfnResource): string[] {
  const had = grantsOf(before);
  return unique(grantsOf(after).filter((g) => !had.some((h) => grantCovers(h, g))).map(describeGrant));
}

function managedPolicyArns(resource: CfnResource | undefined): Json[] {
  const holders = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];
  return resource && holders.includes(resource.Type) ? asList(prop(resource, 'ManagedPolicyArns')) : [];
}

function attachedManagedPolicies(before: CfnResource | undefined, after: CfnResource): string[] {
  const had = new Set(managedPolicyArns(before).map(stableJson));
  return unique(managedPolicyArns(after).filter((arn) => !had.has(stableJson(arn))).map((arn) => `attaches managed policy ${readable(arn)}`));
}

interface SgRule { direction: 'ingress' | 'egress'; rule: JsonObject; group?: Json }

/** Inline rules of a group, or a standalone ingress / egress resource (then its GroupId says which group). */
function securityGroupRules(resource: CfnResource | undefined): SgRule[] {
  const p = resource ? props(resource) : {};
  const inline = (key: string, direction: SgRule['direction']): SgRule[] => objectsOf(p[key]).map(({ item }) => ({ direction, rule: item }));
  switch (resource?.Type) {
    case 'AWS::EC2::SecurityGroup':
      return [...inline('SecurityGroupIngress', 'ingress'), ...inline('SecurityGroupEgress', 'egress')];
    case 'AWS::EC2::SecurityGroupIngress':
    case 'AWS::EC2::SecurityGroupEgress':
      return [{ direction: resource?.Type === 'AWS::EC2::SecurityGroupIngress' ? 'ingress' : 'egress', rule: p, group: p.GroupId ?? null }];
    default:
      return [];
  }
}

/** A description is no permission: editing one opens nothing. */
function ruleKey({ direction, rule }: SgRule): string {
  const { Description: _ignored, ...meaningful } = rule;
  return `${direction}:${stableJson(meaningful)}`;
}

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

function describePorts(rule: JsonObject): string {
  const raw = textOf(rule.IpProtocol) ?? readable(rule.IpProtocol);
  if (raw === '-1' || raw.toLowerCase() === 'all') return 'all traffic';
  const protocol = PROTOCOL_NAMES[raw] ?? raw.toLowerCase();
  if (protocol.startsWith('icmp') || rule.FromPort === undefined) return protocol;
  const from = readable(rule.FromPort);
  const to = readable(rule.ToPort ?? rule.FromPort);
  return from === to ? `${protocol} ${from}` : `${protocol} ${from}-${to}`;
}

const PEERS: [string, string][] = [
  ['CidrIp', ''], ['CidrIpv6', ''], ['SourceSecurityGroupId', 'security group '], ['SourceSecurityGroupName', 'security group '],
  ['DestinationSecurityGroupId', 'security group '], ['SourcePrefixListId', 'prefix list '], ['DestinationPrefixListId', 'prefix list '],
];

function describePeer(rule: JsonObject): string {
  const found = PEERS.find(([key]) => rule[key] !== undefined);
  if (!found) return 'an unnamed peer';
  const value = rule[found[0]];
  const world = value === '0.0.0.0/0' || value === '::/0' ? ' (the whole internet)' : '';
  return `${found[1]}${readable(value)}${world}`;
}

function describeRule({ direction, rule, group }: SgRule): string {
  const verb = direction === 'ingress' ? 'opens' : 'allows outbound';
  const on = group === undefined ? '' : ` on ${readable(group)}`;
  return `${verb} ${describePorts(rule)}${on} to ${describePeer(rule)}`;
}

function openedRules(before: CfnResource | undefined, after: CfnResource): string[] {
  const had = new Set(securityGroupRules(before).map(ruleKey));
  return unique(securityGroupRules(after).filter((r) => !had.has(ruleKey(r))).map(describeRule));
}

/** Permissions the new template grants that the deployed one did not (`old` undefined: a new stack, so all of them). */
export function permissionWidening(old: CfnTemplate | undefined, next: CfnTemplate): Widening[] {
  const out: Widening[] = [];
  for (const [logicalId, after] of Object.entries(next.Resources)) {
    const before = old?.Resources[logicalId];
    for (const summary of [...widenedGrants(before, after), ...attachedManagedPolicies(before, after)]) out.push({ logicalId, kind: 'iam', summary });
    for (const summary of openedRules(before, after)) out.push({ logicalId, kind: 'security-group', summary });
  }
  return out;
}

// ---- The diff printed before confirmation ------------------------------------------------------

export interface Paint { add(s: string): string; modify(s: string): string; remove(s: string): string; warn(s: string): string; dim(s: string): string }
const same = (s: string): string => s;
export const plainPaint: Paint = { add: same, modify: same, remove: same, warn: same, dim: same };

const ORDER: readonly ChangeAction[] = ['Add', 'Modify', 'Remove', 'Import', 'Dynamic'];
const SYMBOL: Record<ChangeAction, string> = { Add: '+', Modify: '~', Remove: '-', Import: '<', Dynamic: '?' };

/** `replace` counts Replacement 'True' only: a 'Conditional' one shows on its line as "may be replaced". */
export function summarizeChanges(changes: readonly ResourceChange[]): { add: number; modify: number; remove: number; replace: number } {
  const count = (keep: (c: ResourceChange) => boolean): number => changes.filter(keep).length;
  return {
    add: count((c) => c.action === 'Add'),
    modify: count((c) => c.action === 'Modify'),
    remove: count((c) => c.action === 'Remove'),
    replace: count((c) => c.action === 'Modify' && c.replacement === 'True'),
  };
}

function changedNames(details: readonly ChangeDetail[], onlyRecreating: boolean): string[] {
  const recreating = (d: ChangeDetail): boolean => d.requiresRecreation === 'Always' || d.requiresRecreation === 'Conditionally';
  return unique(details.filter((d) => !onlyRecreating || recreating(d)).map((d) => d.name ?? d.attribute ?? '').filter((n) => n !== ''));
}

const inParens = (names: string[]): string => (names.length > 0 ? `(${names.join(', ')})` : '');

function noteFor(c: ResourceChange, paint: Paint): string {
  if (c.action === 'Remove') return isStateful(c.resourceType) ? paint.warn('<- stateful: deleted unless its DeletionPolicy is Retain') : '';
  if (c.action !== 'Modify') return '';
  if (!isReplaced(c)) return inParens(changedNames(c.details, false));
  const sure = c.replacement === 'True';
  const names = inParens(changedNames(c.details, true));
  const label = [sure ? 'REPLACED' : 'may be replaced', names].filter((s) => s !== '').join(' ');
  const loss = isStateful(c.resourceType) ? `  <- stateful: data ${sure ? 'would' : 'may'} be lost` : '';
  return paint.warn(`${label}${loss}`);
}

const gap = (text: string, width: number): string => ' '.repeat(width - text.length + 2);

function changeLines(changes: readonly ResourceChange[], paint: Paint): string[] {
  const ordered = ORDER.flatMap((action) => changes.filter((c) => c.action === action));
  const idWidth = Math.max(...ordered.map((c) => c.logicalId.length));
  const typeWidth = Math.max(...ordered.map((c) => c.resourceType.length));
  const colour = (a: ChangeAction): ((s: string) => string) => (a === 'Add' ? paint.add : a === 'Remove' ? paint.remove : paint.modify);
  return ordered.map((c) => {
    const note = noteFor(c, paint);
    const head = colour(c.action)(`${SYMBOL[c.action]} ${c.logicalId}`) + gap(c.logicalId, idWidth) + paint.dim(c.resourceType);
    return note === '' ? head : head + gap(c.resourceType, typeWidth) + note;
  });
}

function wideningLines(widening: readonly Widening[], paint: Paint): string[] {
  const kindLabel = (w: Widening): string => (w.kind === 'iam' ? 'iam' : 'security group');
  const kindWidth = Math.max(...widening.map((w) => kindLabel(w).length));
  const idWidth = Math.max(...widening.map((w) => w.logicalId.length));
  const lines = widening.map((w) => `  ${paint.warn(kindLabel(w))}${gap(kindLabel(w), kindWidth)}${w.logicalId}${gap(w.logicalId, idWidth)}${w.summary}`);
  return ['', 'permissions widened:', ...lines];
}

/** Grants with no bound: any resource, any action of a service, the whole internet. Always worth a look. */
export const isBroad = (w: Widening): boolean => /every resource \(\*\)|the whole internet|:\*(\s|$)| \*(\s|$)|by \*|any source/.test(w.summary);

/**
 * The readable diff printed before confirmation: resources (Add, Modify,
 * Remove, Import, Dynamic), widened permissions, a summary. For a new stack
 * every grant is new, so only the count and the broad ones are listed
 * (`archctl diff --json` has them all).
 */
export function formatChanges(changes: readonly ResourceChange[], widening: readonly Widening[], paint: Paint = plainPaint, o: { newStack?: boolean } = {}): string[] {
  const lines = changes.length === 0 ? ['no changes'] : changeLines(changes, paint);
  if (o.newStack && widening.length > 0) {
    const broad = widening.filter(isBroad);
    lines.push('', `permissions: ${widening.length} grants, all new (a new stack)${broad.length > 0 ? `; ${broad.length} without bounds:` : ''}`);
    if (broad.length > 0) lines.push(...wideningLines(broad, paint).slice(2));
  } else if (widening.length > 0) lines.push(...wideningLines(widening, paint));
  if (changes.length > 0) {
    const s = summarizeChanges(changes);
    lines.push('', `${s.add} to add, ${s.modify} to modify${s.replace > 0 ? ` (${s.replace} replaced)` : ''}, ${s.remove} to remove`);
  }
  return lines;
}
