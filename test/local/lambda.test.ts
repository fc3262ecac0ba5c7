import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaRunner, functionConfigFromTemplate, type LambdaFunctionConfig } from '../../src/local/lambda/index.js';
import type { CfnTemplate } from '../../src/core/types.js';

const dir = mkdtempSync(join(tmpdir(), 'archctl-lambda-'));

function fn(name: string, source: string, extra: Partial<LambdaFunctionConfig> = {}): LambdaFunctionConfig {
  const modulePath = join(dir, `${name}.mjs`);
  writeFileSync(modulePath, source);
  return { modulePath, handler: 'index.handler', timeoutSeconds: 5, memorySizeMb: 128, ...extra };
}

let runner: LambdaRunner;
const logs: string[] = [];

beforeAll(() => {
  process.env.ARCHCTL_PARENT_ONLY = 'secret-of-the-parent';
  runner = new LambdaRunner(
    {
      echo: fn(
        'echo',
        `let calls = 0;
         export async function handler(event, context) {
           calls += 1;
           process.env.MUTATED = 'yes';
           return { event, calls, table: process.env.TABLE_NAME, parent: process.env.ARCHCTL_PARENT_ONLY ?? null,
                    base: process.env.BASE_VAR, name: context.functionName, remaining: context.getRemainingTimeInMillis() > 0 };
         }`,
        { environment: { TABLE_NAME: 'todos' } },
      ),
      other: fn('other', `export const handler = async () => ({ table: process.env.TABLE_NAME ?? null, mutated: process.env.MUTATED ?? null });`),
      throws: fn('throws', `export async function handler() { throw new TypeError('boom'); }`),
      exits: fn('exits', `export async function handler(event) { if (event.exit) process.exit(3); return 'alive'; }`),
      uncaught: fn(
        'uncaught',
        `export function handler(event) {
           if (event.crash) { setTimeout(() => { throw new Error('async boom'); }, 1); return new Promise(() => {}); }
           return Promise.resolve('alive');
         }`,
      ),
      slow: fn('slow', `export async function handler(event) { if (event.hang) await new Promise(() => setInterval(() => {}, 1000)); return 'fast'; }`, {
        timeoutSeconds: 1,
      }),
      unserialisable: fn('unserialisable', `export async function handler() { return { n: 1n }; }`),
      missing: fn('missing', `export const other = 1;`),
    },
    { baseEnvironment: { BASE_VAR: 'base' }, log: (line) => logs.push(line) },
  );
});

afterAll(async () => {
  delete process.env.ARCHCTL_PARENT_ONLY;
  await runner.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('LambdaRunner', () => {
  it('returns the handler result with the function environment, and keeps the container warm', async () => {
    const first = await runner.invoke('echo', { a: 1 });
    expect(first).toMatchObject({ ok: true, coldStart: true });
    expect(first.ok && first.value).toEqual({ event: { a: 1 }, calls: 1, table: 'todos', parent: null, base: 'base', name: 'echo', remaining: true });
    const second = await runner.invoke('echo', { a: 2 });
    expect(second).toMatchObject({ ok: true, coldStart: false, value: { calls: 2 } });
    expect(runner.invocations('echo')).toBe(2);
  });

  it('isolates environments: nothing leaks from the parent, another function, or back into process.env', async () => {
    await runner.invoke('echo', {});
    const other = await runner.invoke('other', {});
    expect(other).toMatchObject({ ok: true, value: { table: null, mutated: null } });
    expect(process.env.MUTATED).toBeUndefined();
    expect(process.env.TABLE_NAME === 'todos').toBe(false);
  });

  it('turns a thrown error into an error result', async () => {
    const r = await runner.invoke('throws', {});
    expect(r).toMatchObject({ ok: false, kind: 'Handled', errorType: 'TypeError', errorMessage: 'boom' });
    expect(logs.some((l) => l.includes('boom'))).toBe(true);
  });

  it('turns process.exit into an error result, and the next call starts a new container', async () => {
    const r = await runner.invoke('exits', { exit: true });
    expect(r).toMatchObject({ ok: false, kind: 'Crash', errorType: 'Runtime.ExitError' });
    const next = await runner.invoke('exits', {});
    expect(next).toMatchObject({ ok: true, value: 'alive', coldStart: true });
  });

  it('turns an uncaught exception into an error result, and recovers', async () => {
    const r = await runner.invoke('uncaught', { crash: true });
    expect(r).toMatchObject({ ok: false, kind: 'Crash', errorMessage: 'async boom' });
    expect(await runner.invoke('uncaught', {})).toMatchObject({ ok: true, value: 'alive' });
  });

  it('enforces the timeout by terminating the container', async () => {
    const started = Date.now();
    const r = await runner.invoke('slow', { hang: true });
    expect(r).toMatchObject({ ok: false, kind: 'Timeout', errorMessage: 'Task timed out after 1.00 seconds' });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(await runner.invoke('slow', {})).toMatchObject({ ok: true, value: 'fast', coldStart: true });
  });

  it('reports results JSON cannot carry and missing handlers as errors', async () => {
    expect(await runner.invoke('unserialisable', {})).toMatchObject({ ok: false, errorType: 'Runtime.MalformedResult' });
    expect(await runner.invoke('missing', {})).toMatchObject({ ok: false, errorType: 'Runtime.HandlerNotFound' });
  });

  it('runs concurrent invocations in separate containers', async () => {
    const results = await Promise.all([runner.invoke('echo', { c: 1 }), runner.invoke('echo', { c: 2 })]);
    expect(results.every((r) => r.ok)).toBe(true);
  });
});

describe('functionConfigFromTemplate', () => {
  it('resolves the environment, timeout, memory and dynamic references', () => {
    const template: CfnTemplate = {
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Handler: 'index.handler',
            Timeout: 10,
            MemorySize: 256,
            Environment: {
              Variables: {
                TABLE_NAME: { Ref: 'Table' },
                SECRET: { 'Fn::Sub': '{{resolve:secretsmanager:${Secret}:SecretString}}' },
              },
            },
          },
        },
      },
    };
    const config = functionConfigFromTemplate(
      template,
      'Fn',
      { refs: { Table: 'todo-local', Secret: 'arn:secret' }, attributes: {}, pseudo: {} },
      { modulePath: '/x.mjs', dynamicReference: (service, key) => (service === 'secretsmanager' && key === 'arn:secret:SecretString' ? 's3cr3t' : undefined) },
    );
    expect(config).toEqual({
      modulePath: '/x.mjs',
      handler: 'index.handler',
      environment: { TABLE_NAME: 'todo-local', SECRET: 's3cr3t' },
      timeoutSeconds: 10,
      memorySizeMb: 256,
    });
  });
});
