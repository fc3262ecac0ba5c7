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
  { pattern: 'offload', name: 'default', parameters: {} },
  {
    pattern: 'offload',
    name: 'https-nat3',
    parameters: {
      certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab',
      originDomainName: 'origin.example.com',
      originHostedZoneId: 'Z0123456789ABCDEFGHIJ',
      natGateways: 3,
    },
  },
  {
    pattern: 'offload',
    name: 'paths-graviton-prefix-list',
    parameters: {
      updatePaths: '/updates/*,/downloads/*,*.msi',
      instanceType: 'm7g.large',
      cloudFrontPrefixListId: 'pl-0123abcd4567ef890',
      deletionProtection: true,
      minPerAz: 2,
      desiredPerAz: 2,
      maxPerAz: 4,
      ttlSeconds: 604800,
      priceClass: 'PriceClass_All',
      logRetentionDays: 90,
    },
  },
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
