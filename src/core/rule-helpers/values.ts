/**
 * Reading template values in rules: intrinsic shapes, nested paths, booleans
 * and numbers, Fn::If branches and lists.
 *
 * Templates hold plain values and intrinsic functions side by side. The
 * helpers in this folder never try to evaluate a template: they recognise the
 * shapes that matter (`{Ref: X}`, `{"Fn::GetAtt": [X, A]}`, `Fn::Sub`,
 * `Fn::Join`, `Fn::If`) so that a rule can judge what is certain and stay
 * quiet about what is not.
 */
import type { CfnResource, Json, JsonObject } from '../types.js';

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
