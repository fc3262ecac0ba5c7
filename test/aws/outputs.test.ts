import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { readOutputs } from '../../src/actions/outputs.js';
import { awsError, testSession } from '../support/aws.js';
import { runInProcess } from '../support/in-process.js';

const cfn = mockClient(CloudFormationClient);
const target = { stackName: 'todo-dev', region: 'eu-west-1', stage: 'dev' };
const STACK_ID = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/todo-dev/1';
const cli = (...extra: string[]) => runInProcess(['outputs', '--stack-name', 'todo-dev', '--region', 'eu-west-1', ...extra], { cwd: mkdtempSync(join(tmpdir(), 'archctl-outputs-')) });

function stack(status: string, outputs: Record<string, string>) {
  return {
    Stacks: [
      {
        StackName: 'todo-dev',
        StackId: STACK_ID,
        StackStatus: status,
        CreationTime: new Date('2026-01-02T03:04:05Z'),
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  } as never;
}

const deployed = {
  UserPoolId: 'eu-west-1_AbCdEf',
  ApiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev',
  ArchctlDeployHash: 'sha256-1234',
};

beforeEach(() => cfn.reset());

describe('readOutputs', () => {
  it('GIVEN a deployed stack WHEN its outputs are read THEN they come without the deploy hash, in one call', async () => {
    cfn.on(DescribeStacksCommand, { StackName: 'todo-dev' }).resolves(stack('UPDATE_COMPLETE', deployed));
    const s = testSession();
    const report = await readOutputs(s, target);
    expect(report).toEqual({
      stackName: 'todo-dev',
      region: 'eu-west-1',
      status: 'UPDATE_COMPLETE',
      settled: true,
      stable: true,
      outputs: { ApiUrl: deployed.ApiUrl, UserPoolId: deployed.UserPoolId },
    });
    expect(s.calls).toEqual(['CloudFormation:DescribeStacks']);
  });

  it('GIVEN a stack being updated THEN the outputs there are still come back, marked unsettled', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_IN_PROGRESS', { ApiUrl: deployed.ApiUrl }));
    const report = await readOutputs(testSession(), target);
    expect(report).toMatchObject({ settled: false, stable: false, outputs: { ApiUrl: deployed.ApiUrl } });
  });

  it('GIVEN no stack THEN the error names the stack, the region and how to deploy it', async () => {
    cfn.on(DescribeStacksCommand).rejects(awsError('ValidationError', 'Stack with id todo-dev does not exist'));
    await expect(readOutputs(testSession(), target)).rejects.toMatchObject({
      message: 'no stack todo-dev in eu-west-1',
      fix: 'deploy it with archctl deploy --stage dev (or check --stack-name/--region)',
      exitCode: 1,
    });
  });
});

describe('archctl outputs', () => {
  it('prints aligned Key  Value lines on stdout, without the deploy hash', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('CREATE_COMPLETE', deployed));
    const r = await cli();
    expect(r).toEqual({
      code: 0,
      out: `ApiUrl      ${deployed.ApiUrl}\nUserPoolId  ${deployed.UserPoolId}\n`,
      err: '',
    });
    expect(cfn.calls()).toHaveLength(1);
  });

  it('--json prints one flat object', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('CREATE_COMPLETE', deployed));
    const r = await cli('--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ ApiUrl: deployed.ApiUrl, UserPoolId: deployed.UserPoolId });
    expect(r.out).not.toContain('ArchctlDeployHash');
    expect(cfn.calls()).toHaveLength(1);
  });

  it('a stack in progress: the outputs on stdout, a warning naming the status on stderr', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_IN_PROGRESS', deployed));
    const r = await cli('--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ ApiUrl: deployed.ApiUrl, UserPoolId: deployed.UserPoolId });
    expect(r.err).toBe('warning: todo-dev is UPDATE_IN_PROGRESS: these outputs may change when the operation ends\n');
  });

  it('a stack whose last operation failed: a warning that outputs may be missing', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('ROLLBACK_COMPLETE', {}));
    const r = await cli();
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toBe('warning: todo-dev is ROLLBACK_COMPLETE: its last operation failed, so some outputs may be missing or stale\ntodo-dev has no outputs\n');
  });

  it('a missing stack: exit 1, one line on stderr, nothing on stdout', async () => {
    cfn.on(DescribeStacksCommand).rejects(awsError('ValidationError', 'Stack with id todo-dev does not exist'));
    const r = await cli();
    expect(r).toEqual({
      code: 1,
      out: '',
      err: 'error: no stack todo-dev in eu-west-1 (fix: deploy it with archctl deploy --stage dev (or check --stack-name/--region))\n',
    });
    expect(cfn.calls()).toHaveLength(1);
  });
});
