import { describe, expect, it } from 'vitest';
import { ArchctlError } from '../../src/core/errors.js';
import { checkValue, parseSets, resolveParams, type ParamSpec } from '../../src/core/params.js';
import { todo } from '../../src/core/patterns/todo.js';

const specs = todo.params;

function usage(fn: () => unknown): ArchctlError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ArchctlError);
    expect((err as ArchctlError).exitCode).toBe(2);
    return err as ArchctlError;
  }
  throw new Error('expected a usage error');
}

describe('parameters', () => {
  it('fills defaults', () => {
    const p = resolveParams(specs, {}, 'todo');
    expect(p.cache).toBe('apigw');
    expect(p.logRetentionDays).toBe(30);
    expect(Object.keys(p)).toEqual(specs.map((s) => s.name));
  });

  it('coerces --set text to the parameter type', () => {
    expect(parseSets(specs, ['cache=dax', 'daxNodes=5', 'cacheTtlSeconds=300'], 'todo')).toEqual({ cache: 'dax', daxNodes: 5, cacheTtlSeconds: 300 });
  });

  it('rejects an unknown key, listing the allowed ones', () => {
    const err = usage(() => parseSets(specs, ['cahce=dax'], 'todo'));
    expect(err.message).toContain('unknown parameter "cahce"');
    expect(err.fix).toContain('cache');
    expect(err.fix).toContain('logRetentionDays');
  });

  it('rejects a pair without =', () => {
    expect(usage(() => parseSets(specs, ['cache'], 'todo')).fix).toContain('--set cache=value');
  });

  it('rejects invalid values, saying what is allowed', () => {
    const bad: [string, string][] = [
      ['cache', 'redis'],
      ['daxNodes', '0'],
      ['daxNodes', 'three'],
      ['cacheTtlSeconds', '3601'],
      ['logRetentionDays', '31'],
      ['corsOrigin', 'http://insecure.example.com'],
      ['stageName', 'a/b'],
    ];
    for (const [key, value] of bad) {
      const err = usage(() => resolveParams(specs, parseSets(specs, [`${key}=${value}`], 'todo'), 'todo'));
      expect(err.message).toContain(`for ${key}`);
      expect(err.message).toContain('expected');
    }
    expect(usage(() => resolveParams(specs, { cache: 'redis' }, 'todo')).message).toContain('apigw | dax | both | none');
  });

  it('checks each type', () => {
    const bool: ParamSpec = { name: 'b', type: 'boolean', default: false, description: 'x' };
    expect(checkValue(bool, true)).toBeUndefined();
    expect(checkValue(bool, 'true')).toMatch(/true \| false/);
    const int: ParamSpec = { name: 'i', type: 'integer', min: 1, max: 3, default: 1, description: 'x' };
    expect(checkValue(int, 2)).toBeUndefined();
    expect(checkValue(int, 2.5)).toBeDefined();
  });
});
