/** The value walk: each property value against its spec type, and each intrinsic function in it (see references.ts). */
import { join, report, where, type Ctx } from './context.js';
import { intrinsicOf, isObject, type Obj } from './json.js';
import { closest, didYouMean, show } from './messages.js';
import { checkConditionName, checkGetAtt, checkRefName, checkSub } from './references.js';
import { PRIMITIVE_CODES, TAG_SHAPE, accepts, describe, fixFor, isListType } from './type-codes.js';
import type { SpecShape, SpecType } from './types.js';

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
      walkArgs(checkSub(arg, path, ctx), path, ctx);
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
export function walk(v: unknown, path: string, ctx: Ctx): void {
  checkValue(v, undefined, path, ctx);
}

export function checkShape(obj: Obj, shape: SpecShape, owner: string, path: string, ctx: Ctx): void {
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
export function checkValue(v: unknown, t: SpecType | undefined, path: string, ctx: Ctx): void {
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
