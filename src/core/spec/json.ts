/** Reading raw template JSON: objects, and the intrinsic function a value is. */
import type { Section } from './context.js';

export type Obj = Record<string, unknown>;

export function asObject(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

export const isObject = (v: unknown): v is Obj => asObject(v) !== undefined;

/** The name of the intrinsic function `v` is, if it is one. */
export function intrinsicOf(v: unknown, section: Section): string | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const keys = Object.keys(o);
  if (keys.length !== 1) return undefined;
  const k = keys[0] as string;
  if (k === 'Ref' || k.startsWith('Fn::') || (k === 'Condition' && section === 'Conditions')) return k;
  return undefined;
}
