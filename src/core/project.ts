import { ArchctlError } from './errors.js';
import { checkValue, describeAllowed, type Params } from './params.js';
import { getPattern, patterns } from './patterns/index.js';

/** archctl.json: what `init` writes and `render`/`validate`/`deploy` read. */
export interface ProjectConfig {
  $schema?: string;
  pattern: string;
  name: string;
  region: string;
  parameters: Params;
}

export const PROJECT_FILE = 'archctl.json';
export const NAME_PATTERN = '^[a-zA-Z][a-zA-Z0-9-]{0,63}$';
export const REGION_PATTERN = '^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$';
export const DEFAULT_REGION = 'us-east-1';

/**
 * Checks a parsed archctl.json. Every problem is an error (exit 1: the file,
 * not the command line, is wrong) naming the field and what is allowed.
 */
export function checkProject(data: unknown, file: string): ProjectConfig {
  const fail = (what: string, fix: string) => new ArchctlError(`${file}: ${what}`, fix);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw fail('must hold a JSON object', 'run archctl init <pattern> to write a new one');
  const obj = data as Record<string, unknown>;
  const allowed = ['$schema', 'pattern', 'name', 'region', 'parameters'];
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw fail(`unknown field ${JSON.stringify(key)}`, `remove it; allowed fields: ${allowed.join(', ')}`);
  }
  if (typeof obj.pattern !== 'string' || !patterns.some((p) => p.name === obj.pattern)) {
    throw fail(`"pattern" is ${JSON.stringify(obj.pattern)}`, `set it to one of: ${patterns.map((p) => p.name).join(', ')}`);
  }
  const pattern = getPattern(obj.pattern);
  if (typeof obj.name !== 'string' || !new RegExp(NAME_PATTERN).test(obj.name)) {
    throw fail(`"name" is ${JSON.stringify(obj.name)}`, 'use a letter then up to 63 letters, digits or hyphens (it becomes the stack name)');
  }
  if (typeof obj.region !== 'string' || !new RegExp(REGION_PATTERN).test(obj.region)) {
    throw fail(`"region" is ${JSON.stringify(obj.region)}`, 'use an AWS region code such as eu-west-1');
  }
  const given = obj.parameters ?? {};
  if (given === null || typeof given !== 'object' || Array.isArray(given)) throw fail('"parameters" must be an object', 'write "parameters": {} or remove the field');
  const parameters: Params = {};
  for (const [key, value] of Object.entries(given)) {
    const spec = pattern.params.find((s) => s.name === key);
    if (!spec) throw fail(`unknown parameter ${JSON.stringify(key)}`, `use one of: ${pattern.params.map((s) => s.name).join(', ')}`);
    const problem = checkValue(spec, value);
    if (problem) throw fail(problem, `set parameters.${key} to ${describeAllowed(spec)}`);
    parameters[key] = value as Params[string];
  }
  return { ...(typeof obj.$schema === 'string' ? { $schema: obj.$schema } : {}), pattern: pattern.name, name: obj.name, region: obj.region, parameters };
}
