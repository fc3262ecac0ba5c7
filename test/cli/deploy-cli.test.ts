// archctl deploy and diff as a user runs them (in-process, so the mocked SDK
// clients apply): prompts, exit codes, stdout vs stderr, --outputs-file.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeAws } from '../support/fake-aws.js';
import { runInProcess } from '../support/in-process.js';
import { STACK } from '../support/run-cli.js';

const answers: boolean[] = [];
vi.mock('@inquirer/prompts', () => ({
  confirm: async () => answers.shift() ?? false,
  input: async () => '',
  select: async () => '',
}));

let fake: FakeAws;
let dir: string;
const env = { AWS_REGION: 'eu-west-1' };

beforeEach(() => {
  fake = new FakeAws();
  dir = mkdtempSync(join(tmpdir(), 'archctl-deploy-cli-'));
  answers.length = 0;
});
afterEach(() => {
  fake.restore();
  rmSync(dir, { recursive: true, force: true });
});

const deployArgs = (...extra: string[]) => ['deploy', 'todo', '--dir', dir, ...extra];

describe('archctl deploy', () => {
  it('GIVEN no terminal and no --yes WHEN deploying THEN exit 2 with a one-line error, and nothing executed', async () => {
    fake.bootstrap();
    const r = await runInProcess(deployArgs(), { env });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/error: deploying \d+ changes to todo-dev needs confirmation and there is no terminal to ask on \(fix: review it, then rerun with --yes\)/);
    expect(r.err).not.toMatch(STACK);
    expect(fake.callNames()).not.toContain('CloudFormation:ExecuteChangeSet');
  });

  it('GIVEN a terminal WHEN the user declines THEN exit 1, the change set deleted, nothing executed', async () => {
    fake.bootstrap();
    answers.push(false);
    const r = await runInProcess(deployArgs(), { env, interactive: true });
    expect(r.code).toBe(1);
    expect(r.err).toContain('deploy cancelled: nothing was changed (the change set was deleted)');
    expect(fake.callNames()).toContain('CloudFormation:DeleteChangeSet');
    expect(fake.callNames()).not.toContain('CloudFormation:ExecuteChangeSet');
  });

  it('GIVEN --yes WHEN deploying THEN the diff and progress go to stderr, the outputs to stdout and --outputs-file', async () => {
    fake.bootstrap();
    const file = join(dir, 'out', 'outputs.json');
    const r = await runInProcess([...deployArgs('--outputs-file', file), '--yes'], { env });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ApiUrl +\S+\n/m);
    expect(r.out).not.toContain('TodoTable');
    expect(r.err).toMatch(/\+ TodoTable +AWS::DynamoDB::Table/);
    expect(r.err).toMatch(/CREATE_COMPLETE +TodoTable/);
    expect(r.err).toContain('✔ deployed todo-dev in eu-west-1');
    expect(r.err).toContain('next: archctl smoke');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('ApiUrl');
  });

  it('GIVEN an unchanged stack WHEN deploying with --json THEN "no-changes" as data and exit 0', async () => {
    fake.bootstrap();
    expect((await runInProcess([...deployArgs(), '--yes'], { env })).code).toBe(0);
    const r = await runInProcess([...deployArgs(), '--json'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ outcome: 'no-changes', stackName: 'todo-dev', region: 'eu-west-1', outputs: { ApiUrl: expect.any(String) } });
    expect(r.err).toContain('no changes: todo-dev in eu-west-1 is up to date');
  });

  it('GIVEN a refused replacement WHEN deploying THEN exit 1 with the fix naming --allow-replace', async () => {
    fake.bootstrap();
    fake.nextChanges = [{ Type: 'Resource', ResourceChange: { Action: 'Modify', LogicalResourceId: 'UserPool', ResourceType: 'AWS::Cognito::UserPool', Replacement: 'True', Details: [] } }];
    const r = await runInProcess([...deployArgs(), '--yes'], { env });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: the change set would replace UserPool \(AWS::Cognito::UserPool\).*\(fix: .*--allow-replace.*\)$/m);
  });

  it('GIVEN an unknown region WHEN deploying THEN exit 1 before any call', async () => {
    const r = await runInProcess([...deployArgs(), '--region', 'eu-west-9', '--yes'], { env });
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: unknown AWS region "eu-west-9" (from --region) (fix: use a region code such as eu-west-1)\n');
    expect(fake.callNames()).toEqual([]);
  });

  it('GIVEN --no-execute WHEN deploying THEN the change set is kept and its id printed with how to run it', async () => {
    fake.bootstrap();
    const r = await runInProcess([...deployArgs('--no-execute')], { env });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/change set created, not executed: arn:aws:cloudformation:.*changeSet/);
    expect(fake.changeSets.size).toBe(1);
    expect(existsSync(join(dir, '.archctl', 'build', 'manifest.json'))).toBe(true);
  });
});

describe('archctl diff', () => {
  it('GIVEN a deployed stack and a parameter change WHEN diffing THEN the changes on stdout, nothing executed, the change set deleted', async () => {
    fake.bootstrap();
    expect((await runInProcess([...deployArgs(), '--yes'], { env })).code).toBe(0);
    const r = await runInProcess(['diff', 'todo', '--dir', dir, '--set', 'throttleRate=77'], { env });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^~ ListTodosFunction +AWS::Lambda::Function +\(Code\)$/m);
    expect(r.out).toMatch(/to modify/);
    expect(fake.changeSets.size).toBe(0);
  });
});
