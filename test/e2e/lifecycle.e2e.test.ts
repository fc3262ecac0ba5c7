// The whole lifecycle on a real AWS account: opt-in, skipped by default.
//
//   ARCHCTL_E2E=1 AWS_PROFILE=sandbox AWS_REGION=eu-west-1 npx vitest run test/e2e
//
// It creates (and always destroys) a todo stack named archctl-e2e-<random>
// and bootstraps the region if needed (the bootstrap stack is kept: it is
// shared). Costs a few cents; takes 10 to 20 minutes (the stage cache is the
// slow part). The account needs the permissions listed in the README.
import { GetStageCommand, APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, type CliResult } from '../support/run-cli.js';

const enabled = process.env.ARCHCTL_E2E === '1';
const region = process.env.AWS_REGION ?? 'eu-west-1';
const name = `archctl-e2e-${randomBytes(3).toString('hex')}`;
const LONG = 60 * 60_000;

/** The caller's AWS settings pass through (runCli strips them for the offline tests). */
const awsEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('AWS_')));
let dir = '';
const cli = (...args: string[]): CliResult => {
  const r = runCli([...args], { cwd: dir, env: { ...awsEnv, AWS_REGION: region }, timeoutMs: LONG });
  if (r.code !== 0) console.error(`archctl ${args.join(' ')} -> ${r.code}\n${r.stderr}`);
  return r;
};

describe.skipIf(!enabled)('real AWS: init, bootstrap, deploy, smoke, hotswap, status, destroy', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'archctl-e2e-'));
    expect(cli('init', 'todo', '.', '--name', name, '--region', region, '--yes').code).toBe(0);
  });

  afterAll(() => {
    // Always, even after a failure: a left-over stack costs money.
    if (dir) {
      cli('destroy', '--yes');
      rmSync(dir, { recursive: true, force: true });
    }
  }, LONG);

  it('bootstraps the region (idempotent)', () => {
    expect(cli('bootstrap').code).toBe(0);
    const again = cli('bootstrap', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'unchanged' });
  }, LONG);

  it('deploys the stack and writes the outputs', () => {
    const r = cli('deploy', '--yes', '--outputs-file', 'outputs.json');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'outputs.json'), 'utf8')).ApiUrl).toMatch(/^https:\/\/.+execute-api/);
  }, LONG);

  it('finds nothing to do on a second deploy', () => {
    const r = cli('deploy', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).outcome).toBe('no-changes');
  }, LONG);

  it('passes the smoke test', () => {
    expect(cli('smoke').code).toBe(0);
  }, LONG);

  it('keeps the stage cache settings (FAIL_WITH_403) across a stage update', async () => {
    expect(cli('deploy', '--yes', '--set', 'throttleRate=40').code).toBe(0);
    const outputs = JSON.parse(cli('outputs', '--json').stdout) as Record<string, string>;
    const [, apiId, , stage] = /^https:\/\/([^.]+)\.execute-api\.([^.]+)\.[^/]+\/(.+)$/.exec(outputs.ApiUrl!) ?? [];
    const apigw = new APIGatewayClient({ region });
    const got = await apigw.send(new GetStageCommand({ restApiId: apiId!, stageName: stage! }));
    expect(got.methodSettings?.['*/*']?.unauthorizedCacheControlHeaderStrategy).toBe('FAIL_WITH_403');
    expect(got.methodSettings?.['*/*']?.requireAuthorizationForCacheControl).toBe(true);
  }, LONG);

  it('hotswaps a code-only change, and the stack still passes smoke', () => {
    const handlers = join(dir, 'handlers');
    cpSync(join(repoRoot, 'handlers'), handlers, { recursive: true });
    expect(cli('deploy', '--yes', '--handlers', handlers).code).toBe(0);
    appendFileSync(join(handlers, 'todo/get-todo.ts'), '\nexport const e2eMarker = 1;\n');
    const r = cli('deploy', '--hotswap', '--handlers', handlers);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('hotswapped GetTodoFunction');
    expect(cli('smoke').code).toBe(0);
    // The drift hotswap leaves is reported by status (exit 1), then cleared by a full deploy.
    expect(cli('status', '--json').code).toBe(1);
    expect(cli('deploy', '--yes', '--handlers', handlers).code).toBe(0);
  }, LONG);

  it('reports state, events and no drift', () => {
    const r = cli('status', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: expect.stringMatching(/_COMPLETE$/), drift: { status: 'IN_SYNC' } });
  }, LONG);

  it('prints the logs of a function that ran', () => {
    expect(cli('logs', 'ListTodos', '--since', '1h').code).toBe(0);
  }, LONG);

  it('destroys the stack, listing what it keeps', () => {
    const r = cli('destroy', '--yes');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/TodoTable.*retained/s);
  }, LONG);
});
