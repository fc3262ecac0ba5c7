/**
 * Small pure helpers shared by the security rules in src/core/rules/.
 *
 * Templates hold plain values and intrinsic functions side by side. The
 * helpers never try to evaluate a template: they recognise the shapes that
 * matter (`{Ref: X}`, `{"Fn::GetAtt": [X, A]}`, `Fn::Sub`, `Fn::Join`,
 * `Fn::If`) so that a rule can judge what is certain and stay quiet about what
 * is not.
 */
import type { RuleContext, RuleOutcome } from './rule-types.js';
import type { CfnResource, Json, JsonObject } from './types.js';

// ---------------------------------------------------------------------------
// Outcomes

export const compliant: RuleOutcome = { status: 'compliant' };
export const notApplicable: RuleOutcome = { status: 'not-applicable' };

export function nonCompliant(message: string, path?: string): RuleOutcome {
  return path === undefined ? { status: 'non-compliant', message } : { status: 'non-compliant', message, path };
}

/** Several findings for one resource, or `compliant` when there are none. */
export function outcomes(list: readonly RuleOutcome[]): RuleOutcome | RuleOutcome[] {
  return list.length === 0 ? compliant : [...list];
}

// ---------------------------------------------------------------------------
// Values

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for `{Ref: ...}` and `{"Fn::...": ...}`, and for `{"Condition": ...}` inside Conditions. */
export function isIntrinsic(value: unknown): value is JsonObject {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || (keys[0] ?? '').startsWith('Fn::'));
}

/** `{Ref: "AWS::NoValue"}`: the property is removed. */
export function isNoValue(value: unknown): boolean {
  return isObject(value) && value.Ref === 'AWS::NoValue';
}

/** An intrinsic other than `AWS::NoValue`: a value archctl cannot read, which rules give the benefit of the doubt. */
export function isOpaque(value: Json | undefined): boolean {
  return isIntrinsic(value) && !isNoValue(value);
}

/** A value is "set" when present and not `AWS::NoValue`. */
export function isSet(value: Json | undefined): value is Json {
  return value !== undefined && value !== null && !isNoValue(value) && value !== '';
}

/**
 * Reads a nested value. `path` is dotted ("A.B.0.C") or a list of keys;
 * numeric keys index arrays. Returns undefined when any step is missing.
 */
export function getPath(root: Json | undefined, path: string | readonly (string | number)[]): Json | undefined {
  const keys = typeof path === 'string' ? (path === '' ? [] : path.split('.')) : path;
  let current: Json | undefined = root;
  for (const key of keys) {
    if (Array.isArray(current)) {
      const index = typeof key === 'number' ? key : Number(key);
      if (!Number.isInteger(index)) return undefined;
      current = current[index];
    } else if (isObject(current)) {
      current = current[String(key)];
    } else {
      return undefined;
    }
  }
  return current;
}

/** A resource property by dotted path below `Properties`. */
export function prop(resource: CfnResource, path: string): Json | undefined {
  return getPath(resource.Properties ?? {}, path);
}

/** The resource's Properties, or an empty object. */
export function props(resource: CfnResource): JsonObject {
  return resource.Properties ?? {};
}

/** `true` or `"true"` (any case). An intrinsic is not true. */
export function isTrue(value: Json | undefined): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

/** `false` or `"false"` (any case). */
export function isFalse(value: Json | undefined): boolean {
  return value === false || (typeof value === 'string' && value.toLowerCase() === 'false');
}

/** A number, or a string holding one; undefined otherwise (intrinsics included). */
export function asNumber(value: Json | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/**
 * Both branches of `Fn::If` (recursively), without `AWS::NoValue`; any other
 * value as a one-element list.
 */
export function branches(value: Json | undefined): Json[] {
  if (value === undefined || isNoValue(value)) return [];
  if (isObject(value) && Array.isArray(value['Fn::If']) && Object.keys(value).length === 1) {
    const [, whenTrue, whenFalse] = value['Fn::If'];
    return [...branches(whenTrue), ...branches(whenFalse)];
  }
  return [value];
}

/**
 * A value as a list: undefined gives [], an array its items, anything else a
 * one-element list. `Fn::If` is expanded on both levels (the list and its items).
 */
export function asList(value: Json | undefined): Json[] {
  const out: Json[] = [];
  for (const branch of branches(value)) {
    if (Array.isArray(branch)) {
      for (const item of branch) out.push(...branches(item));
    } else {
      out.push(branch);
    }
  }
  return out;
}

/** The objects of a list (see asList), each with its index in the original array when there is one. */
export function objectsOf(value: Json | undefined): { item: JsonObject; index: number }[] {
  const direct = Array.isArray(value) ? value : undefined;
  const out: { item: JsonObject; index: number }[] = [];
  if (direct) {
    direct.forEach((entry, index) => {
      for (const b of branches(entry)) if (isObject(b)) out.push({ item: b, index });
    });
    return out;
  }
  for (const item of asList(value)) if (isObject(item)) out.push({ item, index: -1 });
  return out;
}

/** A key of an object compared case-insensitively (IAM condition keys, patch operation fields). */
export function getCaseless(obj: JsonObject, key: string): Json | undefined {
  const wanted = key.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

// ---------------------------------------------------------------------------
// References between resources

/** The logical id a `{Ref: X}` or `{"Fn::GetAtt": [X, A]}` points at (not pseudo parameters). */
export function refTarget(value: Json | undefined): string | undefined {
  if (!isObject(value)) return undefined;
  const ref = value.Ref;
  if (typeof ref === 'string') return ref.startsWith('AWS::') ? undefined : ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** The resource a `Ref`/`GetAtt` points at, when it is in the template. */
export function resolveRef(ctx: RuleContext, value: Json | undefined): { id: string; resource: CfnResource } | undefined {
  const id = refTarget(value);
  if (id === undefined) return undefined;
  const resource = ctx.resources[id];
  return resource ? { id, resource } : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `${id}` or `${id.Attr}` appears in a Fn::Sub template string. */
function subMentions(template: string, id: string): boolean {
  return new RegExp(`\\$\\{${escapeRegExp(id)}(\\.[A-Za-z0-9.]+)?\\}`).test(template);
}

/**
 * True when `value` refers to the logical id anywhere inside: `Ref`,
 * `Fn::GetAtt`, or `${id}` / `${id.Attr}` in a `Fn::Sub`.
 */
export function refersTo(value: Json | undefined, id: string): boolean {
  if (Array.isArray(value)) return value.some((v) => refersTo(v, id));
  if (!isObject(value)) return false;
  if (value.Ref === id) return true;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[0] === id) return true;
  if (typeof getAtt === 'string' && getAtt.split('.')[0] === id) return true;
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string' && subMentions(sub, id)) return true;
  if (Array.isArray(sub) && typeof sub[0] === 'string' && subMentions(sub[0], id)) return true;
  return Object.values(value).some((v) => refersTo(v, id));
}

/** Every resource of the given type(s), in template order. */
export function resourcesOfType(ctx: RuleContext, types: string | readonly string[]): { id: string; resource: CfnResource }[] {
  const wanted = typeof types === 'string' ? [types] : types;
  return Object.entries(ctx.resources)
    .filter(([, r]) => wanted.includes(r.Type))
    .map(([id, resource]) => ({ id, resource }));
}

/** Resources (optionally of given types) whose Properties, or the named property, refer to `id`. */
export function resourcesReferencing(
  ctx: RuleContext,
  id: string,
  types?: string | readonly string[],
  propertyPath?: string,
): { id: string; resource: CfnResource }[] {
  const candidates = types === undefined ? Object.entries(ctx.resources).map(([rid, resource]) => ({ id: rid, resource })) : resourcesOfType(ctx, types);
  return candidates.filter(({ id: rid, resource }) => {
    if (rid === id) return false;
    const value = propertyPath === undefined ? resource.Properties : prop(resource, propertyPath);
    return refersTo(value, id);
  });
}

/** True when the resource names `id` in DependsOn. */
export function dependsOn(resource: CfnResource, id: string): boolean {
  const deps = resource.DependsOn;
  return deps === id || (Array.isArray(deps) && deps.includes(id));
}

// ---------------------------------------------------------------------------
// Text of values that may be intrinsics

/**
 * The text a value renders to, with references kept as `${X}` / `${X.Attr}`
 * (so `{"Fn::GetAtt": ["Table","Arn"]}` gives `${Table.Arn}` and a Fn::Sub
 * gives its template). Fn::Join is joined; pieces that cannot be rendered
 * become `${?}`. Fn::If, Fn::ImportValue and the like give undefined.
 */
export function textOf(value: Json | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return `\${${value.Ref}}`;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && typeof getAtt[1] === 'string') return `\${${getAtt[0]}.${getAtt[1]}}`;
  if (typeof getAtt === 'string') return `\${${getAtt}}`;
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') return renderSub(sub, {});
  if (Array.isArray(sub) && typeof sub[0] === 'string') return renderSub(sub[0], isObject(sub[1]) ? sub[1] : {});
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map((part) => textOf(part) ?? '${?}').join(join[0]);
  }
  return undefined;
}

function renderSub(template: string, vars: JsonObject): string {
  return template.replace(/\$\{(!?)([^}]*)\}/g, (whole, bang: string, name: string) => {
    if (bang === '!') return `\${${name}}`;
    const bound = vars[name];
    if (bound !== undefined) return textOf(bound) ?? '${?}';
    return whole;
  });
}

/** The texts of every branch of a value (Fn::If expanded); unrenderable branches are left out. */
export function textsOf(value: Json | undefined): string[] {
  return branches(value)
    .map((b) => textOf(b))
    .filter((t): t is string => t !== undefined);
}

// ---------------------------------------------------------------------------
// IAM policy documents

export interface StatementRef {
  statement: JsonObject;
  /** Dotted path of the statement from the resource root ("Properties.Policies.0.PolicyDocument.Statement.1"). */
  path: string;
}

/** The statements of a policy document, each with its path. */
export function statementsOf(doc: Json | undefined, docPath: string): StatementRef[] {
  if (!isObject(doc)) return [];
  const raw = doc.Statement;
  const base = `${docPath}.Statement`;
  if (Array.isArray(raw)) {
    const out: StatementRef[] = [];
    raw.forEach((entry, i) => {
      for (const b of branches(entry)) if (isObject(b)) out.push({ statement: b, path: `${base}.${i}` });
    });
    return out;
  }
  return branches(raw)
    .filter(isObject)
    .map((statement) => ({ statement, path: base }));
}

/** Statement `Action` (or another key such as NotAction) as a list of strings; intrinsics are dropped. */
export function actionsOf(statement: JsonObject, key: 'Action' | 'NotAction' = 'Action'): string[] {
  return asList(statement[key]).filter((a): a is string => typeof a === 'string');
}

/** Statement `Resource` as a list of raw values (Fn::If expanded). */
export function resourcesOf(statement: JsonObject, key: 'Resource' | 'NotResource' = 'Resource'): Json[] {
  return asList(statement[key]);
}

export function isAllow(statement: JsonObject): boolean {
  return statement.Effect === 'Allow';
}

export function isDeny(statement: JsonObject): boolean {
  return statement.Effect === 'Deny';
}

/** IAM action match with `*` and `?` wildcards, case-insensitive (IAM semantics). */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c))).join('')}$`, 'i');
  return re.test(action);
}

/** True when any of the statement's actions grants `action` (wildcards in the statement honoured). */
export function statementGrants(statement: JsonObject, action: string): boolean {
  return actionsOf(statement).some((a) => actionMatches(a, action));
}

/**
 * True when an Allow statement can grant `action`: one of its actions matches
 * it (IAM wildcards), or it uses NotAction and no NotAction entry matches it.
 */
export function statementCanGrant(statement: JsonObject, action: string): boolean {
  if (!isAllow(statement)) return false;
  if (statementGrants(statement, action)) return true;
  if (statement.NotAction === undefined) return false;
  return !actionsOf(statement, 'NotAction').some((a) => actionMatches(a, action));
}

/** Values of a condition `operator` / `key` pair (keys compared without case), as texts. */
export function conditionValues(statement: JsonObject, operator: string, key: string): string[] {
  const condition = statement.Condition;
  if (!isObject(condition)) return [];
  const block = condition[operator];
  if (!isObject(block)) return [];
  const value = getCaseless(block, key);
  return asList(value)
    .map((v) => textOf(v))
    .filter((t): t is string => t !== undefined);
}

/** True when the condition key appears under any operator. */
export function hasConditionKey(statement: JsonObject, key: string): boolean {
  const condition = statement.Condition;
  if (!isObject(condition)) return false;
  return Object.values(condition).some((block) => isObject(block) && getCaseless(block, key) !== undefined);
}

/** True for `"*"`, `{AWS: "*"}` or a list holding `"*"`. */
export function isWildcardPrincipal(principal: Json | undefined): boolean {
  if (principal === '*') return true;
  if (isObject(principal)) {
    const aws = principal.AWS;
    return asList(aws).some((p) => p === '*');
  }
  return false;
}

/** True when a statement principal value holds a `*` in any of its keys (or is `*` itself). */
export function principalHasWildcard(principal: Json | undefined): boolean {
  if (principal === '*') return true;
  if (!isObject(principal)) return false;
  return Object.values(principal).some((v) => asList(v).some((p) => p === '*'));
}

/** Types that carry IAM policy documents of their own. */
export const IAM_POLICY_TYPES = [
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
] as const;

export interface PolicyDocRef {
  doc: JsonObject;
  /** Path of the document from the resource root. */
  path: string;
}

/** The identity-based policy documents a resource holds itself (not trust policies). */
export function policyDocumentsOf(resource: CfnResource): PolicyDocRef[] {
  const out: PolicyDocRef[] = [];
  switch (resource.Type) {
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      for (const { item, index } of objectsOf(prop(resource, 'Policies'))) {
        const doc = item.PolicyDocument;
        if (isObject(doc)) out.push({ doc, path: `Properties.Policies.${index}.PolicyDocument` });
      }
      break;
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
    case 'AWS::IAM::RolePolicy':
    case 'AWS::IAM::UserPolicy':
    case 'AWS::IAM::GroupPolicy': {
      const doc = prop(resource, 'PolicyDocument');
      if (isObject(doc)) out.push({ doc, path: 'Properties.PolicyDocument' });
      break;
    }
    default:
      break;
  }
  return out;
}

/** The trust policy (AssumeRolePolicyDocument) of a role, when it has one. */
export function trustPolicyOf(resource: CfnResource): PolicyDocRef | undefined {
  if (resource.Type !== 'AWS::IAM::Role') return undefined;
  const doc = prop(resource, 'AssumeRolePolicyDocument');
  return isObject(doc) ? { doc, path: 'Properties.AssumeRolePolicyDocument' } : undefined;
}

// ---------------------------------------------------------------------------
// ARNs

export interface ArnView {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the account (may itself hold `:` and `/`). */
  resource: string;
}

/**
 * The parts of an ARN text (see textOf). References (`${X}`, `${X.Attr}`,
 * `${AWS::Region}`, `${!policy:variable}`) become the placeholder `{ref}`,
 * so a reference is never mistaken for a wildcard. Undefined when the text
 * is not an ARN.
 */
export function parseArn(text: string): ArnView | undefined {
  const flat = text.replace(/\$\{[^}]*\}/g, '{ref}');
  if (!flat.startsWith('arn:')) return undefined;
  const parts = flat.split(':');
  if (parts.length < 6) return undefined;
  return {
    partition: parts[1] ?? '',
    service: parts[2] ?? '',
    region: parts[3] ?? '',
    account: parts[4] ?? '',
    resource: parts.slice(5).join(':'),
  };
}

/** True for a non-empty text made only of IAM wildcards (`*`, `?`). */
export function isWildcardOnly(text: string): boolean {
  return /^[*?]+$/.test(text);
}

/**
 * Every policy document that applies to a role: its inline policies, and
 * template policies attached to it (AWS::IAM::Policy / ManagedPolicy `Roles`,
 * RolePolicy `RoleName`, the role's ManagedPolicyArns pointing at a template
 * ManagedPolicy).
 */
export function rolePolicyDocuments(ctx: RuleContext, roleId: string): (PolicyDocRef & { ownerId: string })[] {
  const role = ctx.resources[roleId];
  if (!role) return [];
  const out: (PolicyDocRef & { ownerId: string })[] = policyDocumentsOf(role).map((d) => ({ ...d, ownerId: roleId }));
  for (const [id, resource] of Object.entries(ctx.resources)) {
    if (id === roleId) continue;
    const attached =
      ((resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') && refersTo(prop(resource, 'Roles'), roleId)) ||
      (resource.Type === 'AWS::IAM::RolePolicy' && refersTo(prop(resource, 'RoleName'), roleId)) ||
      (resource.Type === 'AWS::IAM::ManagedPolicy' && refersTo(prop(role, 'ManagedPolicyArns'), id));
    if (attached) out.push(...policyDocumentsOf(resource).map((d) => ({ ...d, ownerId: id })));
  }
  return out;
}

/** The role a function runs as, when it is a template role. */
export function functionRoleId(ctx: RuleContext, fn: CfnResource): string | undefined {
  const target = resolveRef(ctx, prop(fn, 'Role'));
  return target && target.resource.Type === 'AWS::IAM::Role' ? target.id : undefined;
}

// ---------------------------------------------------------------------------
// Buckets

/** Log buckets: named as a log destination by another bucket, a distribution or a load balancer. */
export function isLogBucket(ctx: RuleContext, bucketId: string): boolean {
  for (const [id, r] of Object.entries(ctx.resources)) {
    if (id === bucketId) continue;
    if (r.Type === 'AWS::S3::Bucket' && refersTo(prop(r, 'LoggingConfiguration.DestinationBucketName'), bucketId)) return true;
    if (r.Type === 'AWS::CloudFront::Distribution' && refersTo(prop(r, 'DistributionConfig.Logging.Bucket'), bucketId)) return true;
    if (r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer') {
      for (const { item } of objectsOf(prop(r, 'LoadBalancerAttributes'))) {
        if (item.Key === 'access_logs.s3.bucket' && refersTo(item.Value, bucketId)) return true;
      }
    }
    if (r.Type === 'AWS::Logs::DeliveryDestination' && refersTo(prop(r, 'DestinationResourceArn'), bucketId)) return true;
  }
  return false;
}

/** Policies (AWS::S3::BucketPolicy) that apply to a bucket. */
export function bucketPolicies(ctx: RuleContext, bucketId: string, bucket: CfnResource): { id: string; resource: CfnResource }[] {
  const name = textOf(prop(bucket, 'BucketName'));
  return resourcesOfType(ctx, 'AWS::S3::BucketPolicy').filter(({ resource }) => {
    const target = prop(resource, 'Bucket');
    if (refersTo(target, bucketId)) return true;
    const text = textOf(target);
    return name !== undefined && text !== undefined && text === name;
  });
}

/**
 * True when the policy document denies every request that is not over TLS:
 * Effect Deny, principal `*`, action `*` or `s3:*`/`sqs:*`, and
 * `Bool: {aws:SecureTransport: false}`.
 */
export function deniesInsecureTransport(doc: Json | undefined, service: 's3' | 'sqs'): boolean {
  return statementsOf(doc, '').some(({ statement }) => {
    if (!isDeny(statement) || !isWildcardPrincipal(statement.Principal)) return false;
    const actions = actionsOf(statement);
    if (!actions.some((a) => a === '*' || a.toLowerCase() === `${service}:*`)) return false;
    const values = conditionValues(statement, 'Bool', 'aws:SecureTransport');
    return values.some((v) => v.toLowerCase() === 'false');
  });
}

// ---------------------------------------------------------------------------
// Lambda and its event sources

/** True when `value` (a FunctionName / Function property) points at the function. */
export function pointsAtFunction(value: Json | undefined, fnId: string, fn: CfnResource): boolean {
  if (refersTo(value, fnId)) return true;
  const name = textOf(prop(fn, 'FunctionName'));
  const text = textOf(value);
  return name !== undefined && text !== undefined && (text === name || text.endsWith(`:function:${name}`));
}

export type EventSourceKind = 'sqs' | 'dynamodb' | 'kinesis' | 'kafka' | 'mq' | 'docdb' | 'unknown';

/** What an event source mapping reads from. */
export function eventSourceKind(ctx: RuleContext, esm: CfnResource): EventSourceKind {
  if (isSet(prop(esm, 'SelfManagedEventSource'))) return 'kafka';
  if (isSet(prop(esm, 'Queues'))) return 'mq';
  const arn = prop(esm, 'EventSourceArn');
  const target = resolveRef(ctx, arn);
  if (target) {
    switch (target.resource.Type) {
      case 'AWS::SQS::Queue':
        return 'sqs';
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return 'dynamodb';
      case 'AWS::Kinesis::Stream':
      case 'AWS::Kinesis::StreamConsumer':
        return 'kinesis';
      case 'AWS::MSK::Cluster':
      case 'AWS::MSK::ServerlessCluster':
        return 'kafka';
      case 'AWS::AmazonMQ::Broker':
        return 'mq';
      case 'AWS::DocDB::DBCluster':
        return 'docdb';
      default:
        break;
    }
  }
  const text = textOf(arn) ?? '';
  if (/:sqs:/.test(text)) return 'sqs';
  if (/:dynamodb:/.test(text)) return 'dynamodb';
  if (/:kinesis:/.test(text)) return 'kinesis';
  if (/:kafka:/.test(text)) return 'kafka';
  if (/:mq:/.test(text)) return 'mq';
  if (/:rds:/.test(text)) return 'docdb';
  return 'unknown';
}

export function isStreamKind(kind: EventSourceKind): boolean {
  return kind === 'dynamodb' || kind === 'kinesis';
}

/** The event source mappings that feed a function. */
export function mappingsOf(ctx: RuleContext, fnId: string, fn: CfnResource): { id: string; resource: CfnResource }[] {
  return resourcesOfType(ctx, 'AWS::Lambda::EventSourceMapping').filter(({ resource }) => pointsAtFunction(prop(resource, 'FunctionName'), fnId, fn));
}

/** Buckets whose notifications invoke the function, with the notification entries. */
export function s3TriggersOf(
  ctx: RuleContext,
  fnId: string,
  fn: CfnResource,
): { bucketId: string; bucket: CfnResource; config: JsonObject; index: number }[] {
  const out: { bucketId: string; bucket: CfnResource; config: JsonObject; index: number }[] = [];
  for (const { id, resource } of resourcesOfType(ctx, 'AWS::S3::Bucket')) {
    for (const { item, index } of objectsOf(prop(resource, 'NotificationConfiguration.LambdaConfigurations'))) {
      if (pointsAtFunction(item.Function, fnId, fn)) out.push({ bucketId: id, bucket: resource, config: item, index });
    }
  }
  return out;
}

/** True when S3 may invoke the function (a notification or an invoke permission for s3.amazonaws.com). */
export function isS3Consumer(ctx: RuleContext, fnId: string, fn: CfnResource): boolean {
  if (s3TriggersOf(ctx, fnId, fn).length > 0) return true;
  return resourcesOfType(ctx, 'AWS::Lambda::Permission').some(
    ({ resource }) => textOf(prop(resource, 'Principal')) === 's3.amazonaws.com' && pointsAtFunction(prop(resource, 'FunctionName'), fnId, fn),
  );
}

// ---------------------------------------------------------------------------
// API Gateway stages

/** The stage-like settings of a Stage, or of a Deployment that creates a stage (StageName + StageDescription). */
export interface StageView {
  props: JsonObject;
  /** Path of `props` from the resource root. */
  base: string;
}

export function stageView(resource: CfnResource): StageView | undefined {
  if (resource.Type === 'AWS::ApiGateway::Stage') return { props: props(resource), base: 'Properties' };
  if (resource.Type === 'AWS::ApiGateway::Deployment' && isSet(prop(resource, 'StageName'))) {
    const description = prop(resource, 'StageDescription');
    return { props: isObject(description) ? description : {}, base: 'Properties.StageDescription' };
  }
  return undefined;
}

export const STAGE_TYPES = ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment'] as const;

export interface MethodSettingView {
  setting: JsonObject;
  resourcePath: string;
  httpMethod: string;
  path: string;
}

const STAGE_DESCRIPTION_METHOD_KEYS = [
  'CacheDataEncrypted',
  'CacheTtlInSeconds',
  'CachingEnabled',
  'DataTraceEnabled',
  'LoggingLevel',
  'MetricsEnabled',
  'ThrottlingBurstLimit',
  'ThrottlingRateLimit',
];

/**
 * The method settings of a stage. A Deployment's StageDescription also holds
 * stage-wide method defaults at its top level: they count as `/*` `*`.
 */
export function methodSettings(resource: CfnResource, view: StageView): MethodSettingView[] {
  const out: MethodSettingView[] = [];
  for (const { item, index } of objectsOf(view.props.MethodSettings)) {
    out.push({
      setting: item,
      resourcePath: textOf(item.ResourcePath) ?? '',
      httpMethod: (textOf(item.HttpMethod) ?? '').toUpperCase(),
      path: `${view.base}.MethodSettings${index >= 0 ? `.${index}` : ''}`,
    });
  }
  if (resource.Type === 'AWS::ApiGateway::Deployment') {
    const defaults: JsonObject = {};
    for (const key of STAGE_DESCRIPTION_METHOD_KEYS) {
      const v = view.props[key];
      if (v !== undefined) defaults[key] = v;
    }
    if (Object.keys(defaults).length > 0) out.push({ setting: defaults, resourcePath: '/*', httpMethod: '*', path: view.base });
  }
  return out;
}

/** True for the stage-wide setting (`ResourcePath: /*`, `HttpMethod: *`). */
export function isStageWide(setting: MethodSettingView): boolean {
  return setting.resourcePath === '/*' && setting.httpMethod === '*';
}

/** True when the stage has a cache cluster or any method setting turns caching on. */
export function stageCacheOn(resource: CfnResource, view: StageView): boolean {
  return isTrue(view.props.CacheClusterEnabled) || methodSettings(resource, view).some((m) => isTrue(m.setting.CachingEnabled));
}

/** The RestApi logical id (or text) a Stage / Deployment / Method belongs to. */
export function restApiKey(resource: CfnResource): string | undefined {
  const value = prop(resource, 'RestApiId');
  return refTarget(value) ?? textOf(value);
}

// ---------------------------------------------------------------------------
// VPC: security groups and subnets

export interface IngressRef {
  rule: JsonObject;
  /** The resource holding the rule (the group itself, or an AWS::EC2::SecurityGroupIngress). */
  ownerId: string;
  path: string;
}

/** Ingress rules of a template security group: inline ones and AWS::EC2::SecurityGroupIngress resources. */
export function ingressRulesOf(ctx: RuleContext, groupId: string): IngressRef[] {
  const group = ctx.resources[groupId];
  if (!group) return [];
  const out: IngressRef[] = objectsOf(prop(group, 'SecurityGroupIngress')).map(({ item, index }) => ({
    rule: item,
    ownerId: groupId,
    path: `Properties.SecurityGroupIngress.${index}`,
  }));
  for (const { id, resource } of resourcesOfType(ctx, 'AWS::EC2::SecurityGroupIngress')) {
    if (refersTo(prop(resource, 'GroupId'), groupId)) out.push({ rule: props(resource), ownerId: id, path: 'Properties' });
  }
  return out;
}

/** True when the rule is open to the whole internet (0.0.0.0/0 or ::/0). */
export function isOpenToWorld(rule: JsonObject): boolean {
  return rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0';
}

/** Port range of an ingress rule; undefined bounds when not literal. "-1" protocol means all ports. */
export function portRange(rule: JsonObject): { all: boolean; from?: number; to?: number } {
  const protocol = textOf(rule.IpProtocol);
  if (protocol === '-1' || protocol === 'all') return { all: true };
  const from = asNumber(rule.FromPort);
  const to = asNumber(rule.ToPort);
  const range: { all: boolean; from?: number; to?: number } = { all: from === -1 };
  if (from !== undefined) range.from = from;
  if (to !== undefined) range.to = to;
  return range;
}

/** The template security groups a value (list of Ref/GetAtt GroupId) points at. */
export function securityGroupIds(ctx: RuleContext, value: Json | undefined): string[] {
  return asList(value)
    .map((v) => resolveRef(ctx, v))
    .filter((t): t is { id: string; resource: CfnResource } => t !== undefined && t.resource.Type === 'AWS::EC2::SecurityGroup')
    .map((t) => t.id);
}

/**
 * True when a template subnet is public (MapPublicIpOnLaunch, or its route
 * table routes to an internet gateway); false when it is private; undefined
 * when the subnet is not in the template.
 */
export function isPublicSubnet(ctx: RuleContext, subnetId: string): boolean | undefined {
  const subnet = ctx.resources[subnetId];
  if (!subnet || subnet.Type !== 'AWS::EC2::Subnet') return undefined;
  if (isTrue(prop(subnet, 'MapPublicIpOnLaunch'))) return true;
  const tables = resourcesOfType(ctx, 'AWS::EC2::SubnetRouteTableAssociation')
    .filter(({ resource }) => refersTo(prop(resource, 'SubnetId'), subnetId))
    .map(({ resource }) => refTarget(prop(resource, 'RouteTableId')))
    .filter((t): t is string => t !== undefined);
  return resourcesOfType(ctx, 'AWS::EC2::Route').some(({ resource }) => {
    if (!tables.some((t) => refersTo(prop(resource, 'RouteTableId'), t))) return false;
    const gateway = prop(resource, 'GatewayId');
    const target = resolveRef(ctx, gateway);
    return target?.resource.Type === 'AWS::EC2::InternetGateway' || (textOf(gateway) ?? '').startsWith('igw-');
  });
}

// ---------------------------------------------------------------------------
// Load balancers

/** A LoadBalancerAttributes value by key. */
export function lbAttribute(resource: CfnResource, key: string): Json | undefined {
  return objectsOf(prop(resource, 'LoadBalancerAttributes')).find(({ item }) => item.Key === key)?.item.Value;
}

/** True for an Application Load Balancer (Type application, the default). */
export function isApplicationLb(resource: CfnResource): boolean {
  const type = prop(resource, 'Type');
  return type === undefined || type === 'application';
}

/** Listener rules of a listener that match on an HTTP header (the secret origin header of a locked origin). */
export function headerRulesOf(ctx: RuleContext, listenerId: string): { id: string; resource: CfnResource; headers: string[] }[] {
  const out: { id: string; resource: CfnResource; headers: string[] }[] = [];
  for (const { id, resource } of resourcesOfType(ctx, 'AWS::ElasticLoadBalancingV2::ListenerRule')) {
    if (!refersTo(prop(resource, 'ListenerArn'), listenerId)) continue;
    const headers: string[] = [];
    for (const { item } of objectsOf(prop(resource, 'Conditions'))) {
      const name = textOf(getPath(item, 'HttpHeaderConfig.HttpHeaderName'));
      if (item.Field === 'http-header' || name !== undefined) headers.push(name ?? '');
    }
    if (headers.length > 0) out.push({ id, resource, headers });
  }
  return out;
}

/** Listeners of a load balancer. */
export function listenersOf(ctx: RuleContext, lbId: string): { id: string; resource: CfnResource }[] {
  return resourcesOfType(ctx, 'AWS::ElasticLoadBalancingV2::Listener').filter(({ resource }) => refersTo(prop(resource, 'LoadBalancerArn'), lbId));
}

/** True when every default action of the listener redirects to HTTPS. */
export function redirectsToHttps(listener: CfnResource): boolean {
  const actions = objectsOf(prop(listener, 'DefaultActions'));
  return actions.length > 0 && actions.every(({ item }) => item.Type === 'redirect' && textOf(getPath(item, 'RedirectConfig.Protocol')) === 'HTTPS');
}
