import { ArchctlError } from './errors.js';
import { stampDeployments, type ContentHash } from './logical-ids.js';
import { mergeFragment } from './merge.js';
import type { Params } from './params.js';
import type { PatternDefinition } from './pattern-types.js';
import type { CfnTemplate, Json, JsonObject } from './types.js';

/** The key a template fragment's `!Param name` tag parses to; replaced by the value at render time. */
export const PARAM_KEY = 'archctl::Param';

/** CloudFormation's usual section order, so every rendered template reads the same way. */
const SECTIONS = ['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Mappings', 'Conditions', 'Resources', 'Outputs'];

export type FragmentSource = (pattern: string, fragment: string) => JsonObject;

/**
 * Renders a pattern: merges its fragments in order, then replaces each
 * `!Param` with the parameter's value. Pure: the same inputs give the same
 * template, key order included.
 */
export function render(pattern: PatternDefinition, params: Params, load: FragmentSource, hash: ContentHash): CfnTemplate {
  let merged: JsonObject = {};
  for (const name of pattern.fragments(params)) merged = mergeFragment(merged, load(pattern.name, name));
  const substituted = substitute(merged, params, pattern.name) as JsonObject;
  substituted.Metadata = mergeFragment((substituted.Metadata as JsonObject | undefined) ?? {}, {
    archctl: { pattern: pattern.name, parameters: params },
  });
  const ordered: JsonObject = {};
  for (const section of SECTIONS) if (section in substituted) ordered[section] = substituted[section] as Json;
  for (const key of Object.keys(substituted)) {
    if (!SECTIONS.includes(key)) {
      throw new ArchctlError(`template ${pattern.name} has an unknown top-level section ${key}`, 'fix the fragment under templates/' + pattern.name);
    }
  }
  if (!ordered.Resources) throw new ArchctlError(`template ${pattern.name} has no Resources`, 'fix the base fragment under templates/' + pattern.name);
  return stampDeployments(ordered as unknown as CfnTemplate, hash);
}

/** Replaces each `!Param`; subtrees without one are returned as they are (rendering stays cheap). */
function substitute(node: Json, params: Params, pattern: string): Json {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) {
    let out: Json[] | undefined;
    node.forEach((item, i) => {
      const next = substitute(item, params, pattern);
      if (next !== item) (out ??= [...node])[i] = next;
    });
    return out ?? node;
  }
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === PARAM_KEY) {
    const name = node[PARAM_KEY];
    if (typeof name !== 'string' || !Object.hasOwn(params, name)) {
      throw new ArchctlError(`template ${pattern} uses !Param ${String(name)}, which the pattern does not define`, 'add the parameter to the pattern or fix the fragment');
    }
    return params[name] as Json;
  }
  let out: JsonObject | undefined;
  for (const key of keys) {
    const value = node[key] as Json;
    const next = substitute(value, params, pattern);
    if (next !== value) (out ??= { ...node })[key] = next;
  }
  return out ?? node;
}
