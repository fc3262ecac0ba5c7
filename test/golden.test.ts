// Golden templates: each pattern and parameter set renders to the bytes kept in
// test/golden/, so any change to a rendered template shows up in review as a
// diff of that file. UPDATE_GOLDEN=1 npm test rewrites them after a deliberate change.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPattern } from '../src/actions/render.js';
import { validatePattern } from '../src/actions/validate.js';
import { toYaml } from '../src/core/yaml-emit.js';
import type { Json } from '../src/core/types.js';

const dir = join(import.meta.dirname, 'golden');

export const goldenCases: { pattern: string; name: string; parameters: Record<string, unknown> }[] = [
  { pattern: 'todo', name: 'default', parameters: {} },
  { pattern: 'todo', name: 'cache-none', parameters: { cache: 'none' } },
  { pattern: 'todo', name: 'cache-dax', parameters: { cache: 'dax' } },
  { pattern: 'todo', name: 'cache-both-provisioned-mfa', parameters: { cache: 'both', billing: 'provisioned', mfa: 'on', daxNodes: 1, cacheTtlSeconds: 300 } },
];

describe.each(goldenCases)('$pattern/$name', ({ pattern, name, parameters }) => {
  const file = join(dir, `${pattern}-${name}.yaml`);

  it('renders to its golden file', () => {
    const text = toYaml(renderPattern({ pattern, parameters }).template as unknown as Json);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, text);
    }
    expect(existsSync(file), `${file} is missing: UPDATE_GOLDEN=1 npm test writes it`).toBe(true);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });

  it('passes the spec check and the security rules with no unsuppressed finding', async () => {
    const report = await validatePattern({ pattern, parameters });
    expect(report.findings.filter((f) => !f.suppressed)).toEqual([]);
    expect(report.summary.errors).toBe(0);
  });
});
