import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ArchctlError } from '../../src/core/errors.js';
import { checkProject } from '../../src/core/project.js';
import { projectJsonSchema } from '../../src/core/project-schema.js';

const good = { $schema: './.archctl/archctl.schema.json', pattern: 'todo', name: 'my-app', region: 'eu-west-1', parameters: { cache: 'dax', daxNodes: 3 } };

const bad: [string, unknown][] = [
  ['not an object', []],
  ['unknown field', { ...good, extra: 1 }],
  ['unknown pattern', { ...good, pattern: 'shop' }],
  ['bad name', { ...good, name: '1app' }],
  ['bad region', { ...good, region: 'Europe' }],
  ['unknown parameter', { ...good, parameters: { cahce: 'dax' } }],
  ['invalid enum', { ...good, parameters: { cache: 'redis' } }],
  ['integer as string', { ...good, parameters: { daxNodes: '3' } }],
  ['integer out of range', { ...good, parameters: { daxNodes: 11 } }],
  ['parameters not an object', { ...good, parameters: [] }],
  ['missing name', { pattern: 'todo', region: 'eu-west-1' }],
];

describe('archctl.json', () => {
  it('accepts a valid project', () => {
    expect(checkProject(good, 'archctl.json')).toEqual(good);
  });

  for (const [what, data] of bad) {
    it(`rejects ${what} with exit code 1 and a fix`, () => {
      try {
        checkProject(data, 'archctl.json');
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(ArchctlError);
        expect((err as ArchctlError).exitCode).toBe(1);
        expect((err as ArchctlError).message).toMatch(/^archctl\.json: /);
        expect((err as ArchctlError).fix.length).toBeGreaterThan(5);
      }
    });
  }

  it('has a JSON Schema that agrees with the validator on every case', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true, strictTypes: false });
    const validate = ajv.compile(projectJsonSchema());
    expect(validate(good)).toBe(true);
    for (const [, data] of bad) expect(validate(data)).toBe(false);
  });
});
