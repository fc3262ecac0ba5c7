/**
 * Check a rendered template against the official CloudFormation resource
 * specification (the compact extract written at build time by
 * scripts/extract-spec.mjs from @aws-cdk/aws-service-spec).
 *
 * Pure: no file system, no clock. The caller supplies the spec lookup
 * (src/actions/load-spec.ts reads it from dist/spec/).
 */
import type { CfnTemplate, Finding } from './types.js';

// ---------------------------------------------------------------------------
// The extract's format (kept in step with scripts/extract-spec.mjs)
// ---------------------------------------------------------------------------

/** Version of the extract format this code reads (index.json "f"). */
export const SPEC_FORMAT = 1;

/**
 * A compact property type:
 * - `"s"` string, `"n"` number, `"i"` integer, `"b"` boolean, `"j"` JSON (anything
 *   goes; inside a union: any object), `"d"` date-time, `"t"` tag `{Key, Value}`,
 *   `"z"` null;
 * - `"[X"` list of X, `"{X"` map of X (X itself a string code);
 * - `{a: X}` / `{m: X}` list / map of a union X;
 * - any other string: the name of a type definition in the resource's `t`;
 * - an array: a union (the value must match one member).
 */
export type SpecType = string | { a: SpecType } | { m: SpecType } | SpecType[];

/** Properties of a resource or of a type definition. */
export interface SpecShape {
  /** Property name -> type. */
  p: Record<string, SpecType>;
  /** Required property names. */
  r?: string[];
}

/** One resource type of the extract. */
export interface SpecResource extends SpecShape {
  /** Attributes accepted by Fn::GetAtt (`"Endpoint.Address"`; `"Outputs.*"` = any `Outputs.` suffix). */
  a?: string[];
  /** Type definitions (nested property types) by name. */
  t?: Record<string, SpecShape>;
}

/** One service file (`dist/spec/AWS_DynamoDB.json`): resource type -> spec. */
export type SpecService = Record<string, SpecResource>;

/** `dist/spec/index.json`. */
export interface SpecIndex {
  /** Extract format, {@link SPEC_FORMAT}. */
  f: number;
  /** Version of @aws-cdk/aws-service-spec it was extracted from. */
  v: string;
  /** Number of resource types. */
  n: number;
  /** Resource type -> service file name without ".json". */
  t: Record<string, string>;
}

/** What checkSpec needs: the spec of a resource type, if the type exists. */
export interface SpecLookup {
  resourceType(type: string): SpecResource | undefined;
  /** Every known resource type, for "did you mean" suggestions (optional). */
  resourceTypes?(): readonly string[];
}

export const PSEUDO_PARAMETERS: readonly string[] = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
];

const isCustomType = (type: string): boolean => type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';

/** `"AWS::DynamoDB::Table"` -> `"AWS_DynamoDB"`: the service file holding a type, or undefined for a malformed name. */
export function serviceFileOf(type: string): string | undefined {
  const m = /^([A-Za-z0-9]+)::([A-Za-z0-9]+)::[A-Za-z0-9]+$/.exec(type);
  return m ? `${m[1]}_${m[2]}` : undefined;
}

/** The service files (sorted, without ".json") the check of this template needs. */
export function servicesOf(template: CfnTemplate): string[] {
  const files = new Set<string>();
  for (const resource of Object.values(asObject(template.Resources) ?? {})) {
    const type = asObject(resource)?.['Type'];
    if (typeof type !== 'string' || isCustomType(type)) continue;
    const file = serviceFileOf(type);
    if (file) files.add(file);
  }
  return [...files].sort();
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function asObject(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

const isObject = (v: unknown): v is Obj => asObject(v) !== undefined;

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The closest candidate to a misspelt name, if one is close enough. */
function closest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - name.length) > bestDistance) continue;
    const d = c.toLowerCase() === lower ? 0 : levenshtein(lower, c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

const didYouMean = (s: string | undefined): string => (s ? `did you mean "${s}"?` : '');

function show(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  return `the ${typeof v} ${String(v)}`;
}

const PRIMITIVE_CODES = new Set(['s', 'n', 'i', 'b', 'j', 'd', 't', 'z']);
const TAG_SHAPE: SpecShape = { p: { Key: 's', Value: 's' }, r: ['Key', 'Value'] };

function describe(t: SpecType): string {
  if (Array.isArray(t)) return t.map(describe).join(' or ');
  if (typeof t !== 'string') return 'a' in t ? `a list of (${describe(t.a)})` : `a map of (${describe(t.m)})`;
  switch (t) {
    case 's':
      return 'a string';
    case 'n':
      return 'a number';
    case 'i':
      return 'an integer';
    case 'b':
      return 'a boolean';
    case 'j':
      return 'a JSON object';
    case 'd':
      return 'a date-time string';
    case 't':
      return 'a tag {Key, Value}';
    case 'z':
      return 'null';
  }
  if (t.startsWith('[')) return `a list of ${describe(t.slice(1)).replace(/^an? /, '')}s`;
  if (t.startsWith('{')) return `a map (object) of ${describe(t.slice(1)).replace(/^an? /, '')}s`;
  return `an object (${t})`;
}

function fixFor(t: SpecType): string {
  if (Array.isArray(t)) return `Use ${describe(t)}.`;
  if (typeof t !== 'string') return 'a' in t ? 'Use a list: [ ... ].' : 'Use an object of key: value pairs.';
  switch (t) {
    case 's':
    case 'd':
      return 'Use a string (quote the value).';
    case 'n':
      return 'Use a number, such as 5 or 2.5.';
    case 'i':
      return 'Use a whole number, such as 5.';
    case 'b':
      return 'Use true or false.';
    case 't':
      return 'Use an object with Key and Value.';
    case 'z':
      return 'Use null.';
    case 'j':
      return 'Use an object.';
  }
  if (t.startsWith('[')) return `Use a list ([ ... ]) of ${describe(t.slice(1)).replace(/^an? /, '')}s, or an intrinsic function that returns one.`;
  if (t.startsWith('{')) return 'Use an object of key: value pairs.';
  return `Use an object with the properties of ${t}.`;
}

const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const INTEGER_TEXT = /^\s*[-+]?\d+\s*$/;

/** Does `v` have the right outer kind for `t` (not looking inside)? CloudFormation accepts "5" and "true". */
function accepts(v: unknown, t: SpecType): boolean {
  if (Array.isArray(t)) return t.some((m) => accepts(v, m));
  if (typeof t !== 'string') return 'a' in t ? Array.isArray(v) : isObject(v);
  switch (t) {
    case 's':
    case 'd':
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
    case 'n':
      return typeof v === 'number' || (typeof v === 'string' && NUMBER_TEXT.test(v));
    case 'i':
      return (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && INTEGER_TEXT.test(v));
    case 'b':
      return typeof v === 'boolean' || (typeof v === 'string' && /^(true|false)$/i.test(v));
    case 'j':
      return true;
    case 'z':
      return v === null;
  }
  if (t.startsWith('[')) return Array.isArray(v);
  return isObject(v); // "t", "{X", type definitions
}

const isListType = (t: SpecType): boolean => (typeof t === 'string' ? t.startsWith('[') : !Array.isArray(t) && 'a' in t);

// ---------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------

type Section = 'Resources' | 'Outputs' | 'Conditions';

interface TemplateCtx {
  spec: SpecLookup;
  parameters: Set<string>;
  /** Logical id -> resource type ('' when the resource has none). */
  resources: Map<string, string>;
  conditions: Set<string>;
  /** A Transform (SAM, macros) may add resources: do not report references to unknown ones. */
  transformed: boolean;
}

interface Ctx {
  tpl: TemplateCtx;
  out: Finding[];
  logicalId: string;
  /** Finding type: the resource type, or the section name. */
  type: string;
  section: Section;
  defs: Record<string, SpecShape>;
  /** False during a dry run (choosing a union member): only type findings are collected. */
  refs: boolean;
}

function report(ctx: Ctx, ruleId: string, path: string | undefined, message: string, fix: string): void {
  const f: Finding = { source: 'spec', ruleId, level: 'error', logicalId: ctx.logicalId, type: ctx.type, message, fix };
  if (path) f.path = path;
  ctx.out.push(f);
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
/** How a message names the place: "Table.Properties.X", "Output TableArn.Value", "Condition IsProd". */
function where(ctx: Ctx, path: string): string {
  const id = ctx.section === 'Outputs' ? `Output ${ctx.logicalId}` : ctx.section === 'Conditions' ? `Condition ${ctx.logicalId}` : ctx.logicalId;
  return path ? `${id}.${path}` : id;
}

/** The name of the intrinsic function `v` is, if it is one. */
function intrinsicOf(v: unknown, section: Section): string | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const keys = Object.keys(o);
  if (keys.length !== 1) return undefined;
  const k = keys[0] as string;
  if (k === 'Ref' || k.startsWith('Fn::') || (k === 'Condition' && section === 'Conditions')) return k;
  return undefined;
}

function checkRefName(name: string, path: string, ctx: Ctx, how: string): void {
  if (!ctx.refs) return;
  if (ctx.tpl.parameters.has(name) || PSEUDO_PARAMETERS.includes(name)) return;
  if (ctx.tpl.resources.has(name)) {
    if (ctx.section === 'Conditions')
      report(ctx, 'SPEC-BAD-REF', path, `${where(ctx, path)}: ${how} "${name}" is a resource; conditions can only use parameters and pseudo parameters.`, 'Reference a template parameter or a pseudo parameter (AWS::Region...) in Conditions.');
    return;
  }
  if (ctx.tpl.transformed) return;
  const candidates = [...ctx.tpl.parameters, ...PSEUDO_PARAMETERS, ...(ctx.section === 'Conditions' ? [] : ctx.tpl.resources.keys())];
  const hint = didYouMean(closest(name, candidates));
  report(ctx, 'SPEC-BAD-REF', path, `${where(ctx, path)}: ${how} "${name}" is not a parameter, a resource or a pseudo parameter.`, `Reference an existing parameter or resource, or a pseudo parameter such as AWS::Region${hint ? `; ${hint}` : '.'}`);
}

function checkGetAtt(resource: string, attribute: unknown, path: string, ctx: Ctx, how: string): void {
  if (!ctx.refs) return;
  const type = ctx.tpl.resources.get(resource);
  if (type === undefined) {
    if (ctx.tpl.transformed) return;
    const hint = didYouMean(closest(resource, ctx.tpl.resources.keys()));
    report(ctx, 'SPEC-BAD-GETATT', path, `${where(ctx, path)}: ${how} names resource "${resource}", which is not in the template.`, `Use the logical id of a resource in this template${hint ? `; ${hint}` : '.'}`);
    return;
  }
  if (typeof attribute !== 'string') return; // an intrinsic attribute name: not evaluated
  if (!type || isCustomType(type)) return; // custom resources return any attribute
  if (type.startsWith('AWS::Serverless::')) return; // SAM: the attributes are those of the resources the transform generates
  const spec = ctx.tpl.spec.resourceType(type);
  if (!spec) return; // unknown type: reported on the resource itself
  const attrs = spec.a ?? [];
  const ok = attrs.some((a) => a === attribute || (a.endsWith('.*') && attribute.startsWith(a.slice(0, -1)) && attribute.length > a.length - 1));
  if (ok) return;
  const names = attrs.filter((a) => !a.endsWith('.*'));
  const hint = didYouMean(closest(attribute, names));
  report(
    ctx,
    'SPEC-BAD-GETATT',
    path,
    `${where(ctx, path)}: ${how} asks ${type} "${resource}" for attribute "${attribute}", which it does not have.`,
    names.length === 0
      ? `${type} has no Fn::GetAtt attributes; use Ref instead.`
      : `Use one of: ${names.slice(0, 15).join(', ')}${names.length > 15 ? ', ...' : ''}${hint ? ` (${hint})` : ''}.`,
  );
}

function checkSub(arg: unknown, path: string, ctx: Ctx): void {
  let text: unknown = arg;
  let vars: Obj | undefined;
  if (Array.isArray(arg)) {
    text = arg[0];
    vars = asObject(arg[1]);
    if (arg.length !== 2 || !vars) text = undefined;
  }
  if (typeof text !== 'string') {
    if (ctx.refs)
      report(ctx, 'SPEC-WRONG-TYPE', path, `${where(ctx, path)}: Fn::Sub takes a string or [string, {variables}], got ${show(arg)}.`, 'Write Fn::Sub as "text ${Name}" or ["text ${Var}", {Var: value}].');
    walkArgs(arg, path, ctx);
    return;
  }
  if (ctx.refs) {
    for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
      const raw = m[1] ?? '';
      if (raw.startsWith('!')) continue; // ${!Literal} is written as-is
      const name = raw.trim();
      if (vars && Object.hasOwn(vars, name)) continue;
      if (name === '') {
        report(ctx, 'SPEC-BAD-REF', path, `${where(ctx, path)}: Fn::Sub has an empty \${}.`, 'Put a parameter, resource or variable name inside ${}, or write ${!} for a literal "${".');
        continue;
      }
      const dot = name.indexOf('.');
      if (dot > 0) checkGetAtt(name.slice(0, dot), name.slice(dot + 1), path, ctx, `Fn::Sub \${${name}}`);
      else if (!(ctx.tpl.parameters.has(name) || PSEUDO_PARAMETERS.includes(name) || ctx.tpl.resources.has(name)) && !ctx.tpl.transformed) {
        const candidates = [...(vars ? Object.keys(vars) : []), ...ctx.tpl.parameters, ...PSEUDO_PARAMETERS, ...ctx.tpl.resources.keys()];
        const hint = didYouMean(closest(name, candidates));
        report(ctx, 'SPEC-BAD-REF', path, `${where(ctx, path)}: Fn::Sub variable \${${name}} is not a parameter, resource, pseudo parameter or key of the Sub's variable map.`, `Define ${name} in the Fn::Sub variable map, reference an existing name, or write \${!${name}} for a literal${hint ? `; ${hint}` : '.'}`);
      }
    }
  }
  if (vars) walkArgs(vars, path, ctx);
}

function checkConditionName(name: unknown, path: string, ctx: Ctx, how: string): void {
  if (!ctx.refs) return;
  if (typeof name === 'string' && ctx.tpl.conditions.has(name)) return;
  const hint = typeof name === 'string' ? didYouMean(closest(name, ctx.tpl.conditions)) : '';
  const names = [...ctx.tpl.conditions];
  const known = names.length === 0 ? 'the template has no Conditions' : `known: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''}`;
  report(ctx, 'SPEC-BAD-CONDITION', path, `${where(ctx, path)}: ${how} names condition ${JSON.stringify(name)}, which is not defined (${known}).`, `Define it under Conditions or use an existing condition name${hint ? `; ${hint}` : '.'}`);
}

/** Check an intrinsic function call; `expected` is the type its result must have (Fn::If branches are checked against it). */
function checkIntrinsic(fn: string, arg: unknown, path: string, ctx: Ctx, expected: SpecType | undefined): void {
  switch (fn) {
    case 'Ref':
      if (typeof arg === 'string') checkRefName(arg, path, ctx, 'Ref');
      else {
        if (ctx.refs) report(ctx, 'SPEC-BAD-REF', path, `${where(ctx, path)}: Ref takes a parameter or resource name, got ${show(arg)}.`, 'Write Ref: LogicalId (a plain string).');
        walkArgs(arg, path, ctx);
      }
      return;
    case 'Fn::GetAtt': {
      let resource: unknown;
      let attribute: unknown;
      if (typeof arg === 'string') {
        const dot = arg.indexOf('.');
        [resource, attribute] = dot > 0 ? [arg.slice(0, dot), arg.slice(dot + 1)] : [arg, undefined];
      } else if (Array.isArray(arg) && arg.length === 2) [resource, attribute] = arg;
      if (typeof resource !== 'string' || attribute === undefined || (typeof attribute !== 'string' && intrinsicOf(attribute, ctx.section) === undefined)) {
        if (ctx.refs) report(ctx, 'SPEC-BAD-GETATT', path, `${where(ctx, path)}: Fn::GetAtt takes [LogicalId, Attribute] or "LogicalId.Attribute", got ${JSON.stringify(arg)}.`, 'Write Fn::GetAtt: [LogicalId, Attribute].');
        return;
      }
      checkGetAtt(resource, attribute, path, ctx, 'Fn::GetAtt');
      if (typeof attribute !== 'string') walkArgs(attribute, path, ctx);
      return;
    }
    case 'Fn::Sub':
      checkSub(arg, path, ctx);
      return;
    case 'Fn::If':
      if (!Array.isArray(arg) || arg.length !== 3) {
        if (ctx.refs) report(ctx, 'SPEC-BAD-CONDITION', path, `${where(ctx, path)}: Fn::If takes [ConditionName, valueIfTrue, valueIfFalse].`, 'Write Fn::If: [ConditionName, valueIfTrue, valueIfFalse].');
        walkArgs(arg, path, ctx);
        return;
      }
      checkConditionName(arg[0], path, ctx, 'Fn::If');
      checkValue(arg[1], expected, path, ctx);
      checkValue(arg[2], expected, path, ctx);
      return;
    case 'Condition':
      checkConditionName(arg, path, ctx, 'Condition');
      return;
    default:
      walkArgs(arg, path, ctx); // other functions: check the references inside, not the result
  }
}

/** Walk the arguments of an intrinsic function: findings keep the path of the value holding the call. */
function walkArgs(arg: unknown, path: string, ctx: Ctx): void {
  const fn = intrinsicOf(arg, ctx.section);
  if (fn !== undefined) checkIntrinsic(fn, (arg as Obj)[fn], path, ctx, undefined);
  else if (Array.isArray(arg)) for (const e of arg) walkArgs(e, path, ctx);
  else if (isObject(arg)) for (const e of Object.values(arg)) walkArgs(e, path, ctx);
}

/** Walk a value whose type is not known (JSON): only intrinsic functions are checked. */
function walk(v: unknown, path: string, ctx: Ctx): void {
  checkValue(v, undefined, path, ctx);
}

function checkShape(obj: Obj, shape: SpecShape, owner: string, path: string, ctx: Ctx): void {
  for (const [key, value] of Object.entries(obj)) {
    const t = shape.p[key];
    if (t === undefined) {
      const names = Object.keys(shape.p);
      const hint = didYouMean(closest(key, names));
      report(
        ctx,
        'SPEC-UNKNOWN-PROPERTY',
        join(path, key),
        `${where(ctx, path)}: ${owner} has no property ${key}.`,
        hint ? `Rename it: ${hint}` : names.length <= 12 ? `Remove it; ${owner} accepts: ${names.join(', ') || 'no properties'}.` : `Remove it, or check the name against the ${owner} documentation.`,
      );
      walk(value, join(path, key), ctx);
      continue;
    }
    checkValue(value, t, join(path, key), ctx);
  }
  for (const name of shape.r ?? []) {
    if (!Object.hasOwn(obj, name))
      report(ctx, 'SPEC-MISSING-REQUIRED', join(path, name), `${where(ctx, path)}: required property ${name} of ${owner} is missing.`, `Add ${name} (${describe(shape.p[name] ?? 'j')}).`);
  }
}

function wrongType(v: unknown, t: SpecType, path: string, ctx: Ctx): void {
  report(ctx, 'SPEC-WRONG-TYPE', path, `${where(ctx, path)} must be ${describe(t)}, got ${show(v)}.`, fixFor(t));
}

/** Check `v` against type `t` (undefined: anything goes), and every intrinsic function in it. */
function checkValue(v: unknown, t: SpecType | undefined, path: string, ctx: Ctx): void {
  const fn = intrinsicOf(v, ctx.section);
  if (fn !== undefined) {
    checkIntrinsic(fn, (v as Obj)[fn], path, ctx, t);
    return;
  }
  if (t === undefined || t === 'j') {
    if (Array.isArray(v)) v.forEach((e, i) => checkValue(e, undefined, `${path}[${i}]`, ctx));
    else if (isObject(v)) for (const [k, e] of Object.entries(v)) checkValue(e, undefined, join(path, k), ctx);
    return;
  }
  if (Array.isArray(t)) {
    checkUnion(v, t, path, ctx);
    return;
  }
  if (!accepts(v, t)) {
    wrongType(v, t, path, ctx);
    walk(v, path, ctx);
    return;
  }
  if (typeof t !== 'string') {
    if ('a' in t) (v as unknown[]).forEach((e, i) => checkValue(e, t.a, `${path}[${i}]`, ctx));
    else for (const [k, e] of Object.entries(v as Obj)) checkValue(e, t.m, join(path, k), ctx);
    return;
  }
  if (PRIMITIVE_CODES.has(t)) {
    if (t === 't') checkShape(v as Obj, TAG_SHAPE, 'Tag', path, ctx);
    return; // a scalar of the right kind
  }
  if (t.startsWith('[')) {
    const element = t.slice(1);
    (v as unknown[]).forEach((e, i) => checkValue(e, element, `${path}[${i}]`, ctx));
    return;
  }
  if (t.startsWith('{')) {
    const element = t.slice(1);
    for (const [k, e] of Object.entries(v as Obj)) checkValue(e, element, join(path, k), ctx);
    return;
  }
  const def = ctx.defs[t];
  if (!def || Object.keys(def.p).length === 0) {
    walk(v, path, ctx); // an open object in the spec: any properties
    return;
  }
  checkShape(v as Obj, def, t, path, ctx);
}

/** Findings `v` would get against `t`, without reporting them (type findings only). */
function dryRun(v: unknown, t: SpecType, path: string, ctx: Ctx): number {
  const probe: Ctx = { ...ctx, out: [], refs: false };
  checkValue(v, t, path, probe);
  return probe.out.length;
}

function checkUnion(v: unknown, members: SpecType[], path: string, ctx: Ctx): void {
  // "j" in a union is the registry schema's {"type": "object"} alternative: it
  // takes any object, and anything that no other member could take.
  const hasJson = members.includes('j');
  const candidates = members.filter((m) => m !== 'j' && accepts(v, m));
  if (candidates.length === 0) {
    if (hasJson && !(Array.isArray(v) && members.some(isListType))) walk(v, path, ctx);
    else {
      wrongType(v, members, path, ctx);
      walk(v, path, ctx);
    }
    return;
  }
  const openObject = hasJson && isObject(v);
  if (candidates.length === 1 && !openObject) {
    checkValue(v, candidates[0], path, ctx);
    return;
  }
  const fit = candidates.find((m) => dryRun(v, m, path, ctx) === 0);
  if (fit !== undefined) checkValue(v, fit, path, ctx);
  else if (openObject) walk(v, path, ctx);
  else checkValue(v, candidates[0] as SpecType, path, ctx);
}

const RESOURCE_KEYS = new Set(['Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'UpdatePolicy', 'CreationPolicy', 'Metadata']);
const OUTPUT_KEYS = new Set(['Description', 'Value', 'Export', 'Condition']);

function checkResource(logicalId: string, raw: unknown, tpl: TemplateCtx, out: Finding[]): void {
  const resource = asObject(raw);
  const type = typeof resource?.['Type'] === 'string' ? (resource['Type'] as string) : '';
  const ctx: Ctx = { tpl, out, logicalId, type: type || 'Resources', section: 'Resources', defs: {}, refs: true };
  if (!resource || !type) {
    report(ctx, 'SPEC-UNKNOWN-TYPE', 'Type', `${logicalId}: resource has no Type.`, 'Give the resource a Type such as AWS::S3::Bucket.');
    if (resource?.['Properties'] !== undefined) walk(resource['Properties'], 'Properties', ctx);
    return;
  }

  for (const key of Object.keys(resource)) {
    if (!RESOURCE_KEYS.has(key)) {
      const hint = didYouMean(closest(key, RESOURCE_KEYS));
      report(ctx, 'SPEC-UNKNOWN-PROPERTY', key, `${logicalId}: ${key} is not a resource attribute CloudFormation knows.`, hint ? `Rename it: ${hint}` : 'Remove it, or move it under Properties.');
    }
  }
  if (resource['Condition'] !== undefined) checkConditionName(resource['Condition'], 'Condition', ctx, 'Condition');
  const dependsOn = resource['DependsOn'];
  if (dependsOn !== undefined) {
    const names = Array.isArray(dependsOn) ? dependsOn : [dependsOn];
    for (const name of names) {
      if (typeof name !== 'string') {
        report(ctx, 'SPEC-BAD-DEPENDSON', 'DependsOn', `${logicalId}: DependsOn must be a logical id or a list of them, got ${show(name)}.`, 'Write DependsOn: LogicalId or DependsOn: [LogicalId, ...].');
      } else if (name === logicalId) {
        report(ctx, 'SPEC-BAD-DEPENDSON', 'DependsOn', `${logicalId}: DependsOn names the resource itself.`, `Remove ${name} from DependsOn.`);
      } else if (!tpl.resources.has(name) && !tpl.transformed) {
        const hint = didYouMean(closest(name, tpl.resources.keys()));
        report(ctx, 'SPEC-BAD-DEPENDSON', 'DependsOn', `${logicalId}: DependsOn names "${name}", which is not a resource in the template.`, `Name an existing resource${hint ? `; ${hint}` : ', or remove it.'}`);
      }
    }
  }

  const properties = resource['Properties'];
  if (properties !== undefined && !isObject(properties) && intrinsicOf(properties, 'Resources') === undefined) {
    report(ctx, 'SPEC-WRONG-TYPE', 'Properties', `${logicalId}.Properties must be an object, got ${show(properties)}.`, 'Write Properties as an object of name: value pairs.');
    return;
  }

  if (isCustomType(type)) {
    // Custom resources take any properties; CloudFormation only needs the ServiceToken.
    if (!isObject(properties) || !Object.hasOwn(properties, 'ServiceToken'))
      report(ctx, 'SPEC-MISSING-REQUIRED', 'Properties.ServiceToken', `${logicalId}: custom resource ${type} has no ServiceToken.`, 'Add Properties.ServiceToken: the ARN of the Lambda function or SNS topic that handles it.');
    if (properties !== undefined) walk(properties, 'Properties', ctx);
    return;
  }

  const spec = tpl.spec.resourceType(type);
  if (!spec) {
    const all = tpl.spec.resourceTypes?.() ?? [];
    const hint = didYouMean(closest(type, all));
    report(ctx, 'SPEC-UNKNOWN-TYPE', 'Type', `${logicalId}: resource type ${type} does not exist in the CloudFormation specification.`, hint ? `Fix the type name: ${hint}` : 'Use a resource type from the CloudFormation resource reference, or Custom::Name for a custom resource.');
    if (properties !== undefined) walk(properties, 'Properties', ctx);
    return;
  }
  ctx.defs = spec.t ?? {};
  if (isObject(properties)) checkShape(properties, spec, type, 'Properties', ctx);
  else if (properties !== undefined) checkValue(properties, undefined, 'Properties', ctx);
  else
    for (const name of spec.r ?? [])
      report(ctx, 'SPEC-MISSING-REQUIRED', `Properties.${name}`, `${logicalId}: required property ${name} of ${type} is missing.`, `Add Properties.${name} (${describe(spec.p[name] ?? 'j')}).`);
}

function checkOutput(name: string, raw: unknown, tpl: TemplateCtx, out: Finding[]): void {
  const ctx: Ctx = { tpl, out, logicalId: name, type: 'Outputs', section: 'Outputs', defs: {}, refs: true };
  const output = asObject(raw);
  if (!output) {
    report(ctx, 'SPEC-WRONG-TYPE', undefined, `${where(ctx, '')} must be an object with a Value, got ${show(raw)}.`, 'Write the output as {Value: ..., Description: ...}.');
    return;
  }
  for (const key of Object.keys(output)) {
    if (!OUTPUT_KEYS.has(key)) {
      const hint = didYouMean(closest(key, OUTPUT_KEYS));
      report(ctx, 'SPEC-UNKNOWN-PROPERTY', key, `${where(ctx, '')}: ${key} is not an output field.`, hint ? `Rename it: ${hint}` : 'Remove it; outputs accept Description, Value, Export and Condition.');
    }
  }
  if (output['Condition'] !== undefined) checkConditionName(output['Condition'], 'Condition', ctx, 'Condition');
  if (!Object.hasOwn(output, 'Value')) report(ctx, 'SPEC-MISSING-REQUIRED', 'Value', `${where(ctx, '')} has no Value.`, 'Add Value to the output.');
  else walk(output['Value'], 'Value', ctx);
  const exp = output['Export'];
  if (exp !== undefined) {
    const e = asObject(exp);
    if (!e || !Object.hasOwn(e, 'Name')) report(ctx, 'SPEC-MISSING-REQUIRED', 'Export.Name', `${where(ctx, '')}: Export has no Name.`, 'Write Export: {Name: ...}.');
    else walk(e['Name'], 'Export.Name', ctx);
  }
}

/**
 * Check a template against the CloudFormation specification: resource types,
 * property names (nested too), required properties, value types, and every
 * reference (Ref, Fn::GetAtt, Fn::Sub, Fn::If, Condition, DependsOn).
 * Findings come in template order: Conditions, Resources, Outputs.
 */
export function checkSpec(template: CfnTemplate, spec: SpecLookup): Finding[] {
  const resources = asObject(template.Resources) ?? {};
  const conditions = asObject(template.Conditions) ?? {};
  const outputs = asObject(template.Outputs) ?? {};
  const tpl: TemplateCtx = {
    spec,
    parameters: new Set(Object.keys(asObject(template.Parameters) ?? {})),
    resources: new Map(Object.entries(resources).map(([id, r]) => [id, typeof asObject(r)?.['Type'] === 'string' ? (asObject(r)?.['Type'] as string) : ''])),
    conditions: new Set(Object.keys(conditions)),
    transformed: (template as { Transform?: unknown }).Transform !== undefined,
  };
  const out: Finding[] = [];

  for (const [name, condition] of Object.entries(conditions)) {
    const ctx: Ctx = { tpl, out, logicalId: name, type: 'Conditions', section: 'Conditions', defs: {}, refs: true };
    walk(condition, '', ctx);
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (tpl.transformed && logicalId.startsWith('Fn::ForEach::')) continue; // AWS::LanguageExtensions loop
    checkResource(logicalId, resource, tpl, out);
  }
  for (const [name, output] of Object.entries(outputs)) checkOutput(name, output, tpl, out);
  return out;
}
