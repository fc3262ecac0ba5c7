import { usageError } from './errors.js';

/** One parameter a pattern takes; the same definition drives validation, `--set`, prompts and the JSON Schema. */
export type ParamSpec =
  | { name: string; type: 'enum'; values: readonly string[]; default: string; description: string }
  | { name: string; type: 'integer'; min: number; max: number; allowed?: readonly number[]; default: number; description: string }
  | { name: string; type: 'boolean'; default: boolean; description: string }
  | { name: string; type: 'string'; pattern: string; example: string; default: string; description: string };

export type ParamValue = string | number | boolean;
export type Params = Record<string, ParamValue>;

export function describeAllowed(spec: ParamSpec): string {
  switch (spec.type) {
    case 'enum':
      return spec.values.join(' | ');
    case 'integer':
      return spec.allowed ? `one of ${spec.allowed.join(', ')}` : `an integer from ${spec.min} to ${spec.max}`;
    case 'boolean':
      return 'true | false';
    case 'string':
      return `a string matching ${spec.pattern} (for example ${spec.example})`;
  }
}

/** Returns an error message when `value` is not valid for `spec`, else undefined. */
export function checkValue(spec: ParamSpec, value: unknown): string | undefined {
  const bad = `invalid value ${JSON.stringify(value)} for ${spec.name}: expected ${describeAllowed(spec)}`;
  switch (spec.type) {
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value) ? undefined : bad;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.min || value > spec.max) return bad;
      return spec.allowed && !spec.allowed.includes(value) ? bad : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : bad;
    case 'string':
      return typeof value === 'string' && new RegExp(spec.pattern).test(value) ? undefined : bad;
  }
}

/** Turns the text of `--set key=value` into the parameter's type (the value is then checked). */
export function coerce(spec: ParamSpec, text: string): ParamValue {
  if (spec.type === 'integer') return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
  if (spec.type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

/** Parses `key=value` pairs from `--set`; a malformed pair or an unknown key is a usage error. */
export function parseSets(specs: readonly ParamSpec[], sets: readonly string[], pattern: string): Params {
  const out: Params = {};
  for (const pair of sets) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`--set ${JSON.stringify(pair)} is not key=value`, `write it as --set ${pair.includes('=') ? 'key' : pair}=value`);
    const key = pair.slice(0, eq);
    const spec = specs.find((s) => s.name === key);
    if (!spec) throw unknownParam(specs, key, pattern);
    out[key] = coerce(spec, pair.slice(eq + 1));
  }
  return out;
}

export function unknownParam(specs: readonly ParamSpec[], key: string, pattern: string) {
  return usageError(
    `unknown parameter ${JSON.stringify(key)} for pattern ${pattern}`,
    `use one of: ${specs.map((s) => s.name).join(', ')} (see: archctl patterns)`,
  );
}

/**
 * Merges defaults, then `given`, then checks every value. Unknown keys and
 * invalid values are usage errors naming what is allowed.
 */
export function resolveParams(specs: readonly ParamSpec[], given: Record<string, unknown>, pattern: string): Params {
  const out: Params = {};
  for (const key of Object.keys(given)) {
    if (!specs.some((s) => s.name === key)) throw unknownParam(specs, key, pattern);
  }
  for (const spec of specs) {
    const value = Object.hasOwn(given, spec.name) ? given[spec.name] : spec.default;
    const problem = checkValue(spec, value);
    if (problem) throw usageError(problem, `pass --set ${spec.name}=<${describeAllowed(spec)}>`);
    out[spec.name] = value as ParamValue;
  }
  return out;
}

/** The JSON Schema of one parameter, as shipped in schemas/archctl.schema.json. */
export function paramJsonSchema(spec: ParamSpec): Record<string, unknown> {
  const base = { description: spec.description, default: spec.default };
  switch (spec.type) {
    case 'enum':
      return { ...base, type: 'string', enum: [...spec.values] };
    case 'integer':
      return spec.allowed
        ? { ...base, type: 'integer', enum: [...spec.allowed] }
        : { ...base, type: 'integer', minimum: spec.min, maximum: spec.max };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'string':
      return { ...base, type: 'string', pattern: spec.pattern, examples: [spec.example] };
  }
}
