import { describe, expect, it } from 'vitest';
import { ArchctlError } from '../../src/core/errors.js';
import type { PatternDefinition } from '../../src/core/pattern-types.js';
import { contentHash } from '../../src/actions/content-hash.js';
import { render } from '../../src/core/render.js';
import type { JsonObject } from '../../src/core/types.js';

const fragments: Record<string, JsonObject> = {
  base: {
    Outputs: { Name: { Value: { Ref: 'Table' } } },
    Resources: { Table: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST', Tags: [{ Key: 'ttl', Value: { 'archctl::Param': 'ttl' } }] } } },
    AWSTemplateFormatVersion: '2010-09-09',
  },
  provisioned: { Resources: { Table: { Properties: { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: { 'archctl::Param': 'rcu' } } } } } },
};

const pattern: PatternDefinition = {
  name: 'demo',
  description: 'demo',
  params: [],
  fragments: (p) => ['base', ...(p.mode === 'provisioned' ? ['provisioned'] : [])],
};
const load = (_: string, name: string) => structuredClone(fragments[name]!);

describe('render', () => {
  it('merges fragments in order and substitutes !Param values', () => {
    const t = render(pattern, { mode: 'provisioned', rcu: 5, ttl: 60 }, load, contentHash);
    expect(t.Resources.Table!.Properties).toEqual({
      BillingMode: 'PROVISIONED',
      Tags: [{ Key: 'ttl', Value: 60 }],
      ProvisionedThroughput: { ReadCapacityUnits: 5 },
    });
  });

  it('orders sections the CloudFormation way and records the pattern in Metadata', () => {
    const t = render(pattern, { mode: 'on-demand', rcu: 5, ttl: 60 }, load, contentHash);
    expect(Object.keys(t)).toEqual(['AWSTemplateFormatVersion', 'Metadata', 'Resources', 'Outputs']);
    expect(t.Metadata).toEqual({ archctl: { pattern: 'demo', parameters: { mode: 'on-demand', rcu: 5, ttl: 60 } } });
  });

  it('is deterministic', () => {
    const a = JSON.stringify(render(pattern, { mode: 'provisioned', rcu: 5, ttl: 60 }, load, contentHash));
    const b = JSON.stringify(render(pattern, { mode: 'provisioned', rcu: 5, ttl: 60 }, load, contentHash));
    expect(a).toBe(b);
  });

  it('fails on a !Param the pattern does not define', () => {
    expect(() => render(pattern, { mode: 'provisioned', ttl: 60 }, load, contentHash)).toThrow(ArchctlError);
  });

  it('fails on an unknown top-level section', () => {
    const bad = { ...pattern, fragments: () => ['base', 'odd'] };
    const withOdd = (_: string, n: string) => (n === 'odd' ? { Resource: {} } : structuredClone(fragments.base!));
    expect(() => render(bad, { ttl: 1 }, withOdd, contentHash)).toThrow(/unknown top-level section Resource/);
  });
});
