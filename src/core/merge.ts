import type { Json, JsonObject } from './types.js';

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Structural merge of a template fragment onto a template: objects merge key
 * by key, lists are appended (a fragment adds statements, subnets, methods),
 * scalars are replaced, and `null` removes the key. Returns a new object;
 * neither input is changed.
 */
export function mergeFragment(base: JsonObject, fragment: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(fragment)) {
    const current = out[key];
    if (value === null) delete out[key];
    else if (isObject(current) && isObject(value)) out[key] = mergeFragment(current, value);
    else if (Array.isArray(current) && Array.isArray(value)) out[key] = [...current, ...value];
    else out[key] = value;
  }
  return out;
}
