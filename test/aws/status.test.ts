import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
} from '@aws-sdk/client-cloudformation';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { readStatus, type StatusRequest } from '../../src/actions/status.js';
import { awsError, testSession } from '../support/aws.js';
import { runInProcess } from '../support/in-process.js';

const cfn = mockClient(CloudFormationClient);
const STACK_ID = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/todo-dev/1';
const target = { stackName: 'todo-dev', region: 'eu-west-1', stage: 'dev' };
const request = (extra: Partial<StatusRequest> = {}): StatusRequest => ({ target, events: 10, drift: true, ...extra });
const cli = (...extra: string[]) => runInProcess(['status', '--stack-name', 'todo-dev', '--region', 'eu-west-1', ...extra], { cwd: mkdtempSync(join(tmpdir(), 'archctl-status-')) });

function givenStack(status: string, extra: Record<string, unknown> = {}) {
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'todo-dev',
        StackId: STACK_ID,
        StackStatus: status,
        CreationTime: new Date('2026-01-01T00:00:00Z'),
        LastUpdatedTime: new Date('2026-01-02T03:04:05Z'),
        EnableTerminationProtection: false,
        Outputs: [
          { OutputKey: 'ApiUrl', OutputValue: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev' },
          { OutputKey: 'ArchctlDeployHash', OutputValue: 'sha256-1234' },
        ],
        ...extra,
      },
    ],
  } as never);
}

/** CloudFormation answers newest first. */
function givenEvents() {
  cfn.on(DescribeStackEventsCommand).resolves({
    StackEvents: [
      { EventId: 'e3', StackName: 'todo-dev', Timestamp: new Date('2026-01-02T03:04:05Z'), LogicalResourceId: 'todo-dev', PhysicalResourceId: STACK_ID, ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'UPDATE_COMPLETE' },
      { EventId: 'e2', StackName: 'todo-dev', Timestamp: new Date('2026-01-02T03:04:00Z'), LogicalResourceId: 'ListTodosFunction', ResourceType: 'AWS::Lambda::Function', ResourceStatus: 'UPDATE_COMPLETE' },
      { EventId: 'e1', StackName: 'todo-dev', Timestamp: new Date('2026-01-02T03:03:00Z'), LogicalResourceId: 'ListTodosFunction', ResourceType: 'AWS::Lambda::Function', ResourceStatus: 'UPDATE_IN_PROGRESS', ResourceStatusReason: 'User Initiated' },
    ],
  } as never);
}

function givenDetection(...statuses: Record<string, unknown>[]) {
  cfn.on(DetectStackDriftCommand).resolves({ StackDriftDetectionId: 'det-1' });
  let m = cfn.on(DescribeStackDriftDetectionStatusCommand, { StackDriftDetectionId: 'det-1' });
  for (const st of statuses) m = m.resolvesOnce({ StackId: STACK_ID, StackDriftDetectionId: 'det-1', Timestamp: new Date(), ...st } as never);
}

const inProgress = { DetectionStatus: 'DETECTION_IN_PROGRESS' };
const inSync = { DetectionStatus: 'DETECTION_COMPLETE', StackDriftStatus: 'IN_SYNC', DriftedStackResourceCount: 0 };
const drifted = { DetectionStatus: 'DETECTION_COMPLETE', StackDriftStatus: 'DRIFTED', DriftedStackResourceCount: 2 };

function givenResourceDrifts() {
  const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'dynamodb:Query', Resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/todo-dev-TodoTable-ABCDEFGHIJKL' }], Version: '2012-10-17' });
  cfn
    .on(DescribeStackResourceDriftsCommand)
    .resolvesOnce({
      StackResourceDrifts: [
        {
          StackId: STACK_ID,
          LogicalResourceId: 'ListTodosFunction',
          PhysicalResourceId: 'todo-dev-ListTodosFunction-AbC',
          ResourceType: 'AWS::Lambda::Function',
          StackResourceDriftStatus: 'MODIFIED',
          Timestamp: new Date(),
          PropertyDifferences: [{ PropertyPath: '/MemorySize', ExpectedValue: '256', ActualValue: '1024', DifferenceType: 'NOT_EQUAL' }],
        },
      ],
      NextToken: 'page-2',
    } as never)
    .resolvesOnce({
      StackResourceDrifts: [
        {
          StackId: STACK_ID,
          LogicalResourceId: 'ListTodosRole',
          PhysicalResourceId: 'todo-dev-ListTodosRole-XyZ',
          ResourceType: 'AWS::IAM::Role',
          StackResourceDriftStatus: 'MODIFIED',
          Timestamp: new Date(),
          PropertyDifferences: [
            { PropertyPath: '/Policies/0/PolicyDocument', ExpectedValue: policy + policy, ActualValue: '{\n  "Statement": []\n}', DifferenceType: 'NOT_EQUAL' },
            { PropertyPath: '/Tags/1', ActualValue: '{"Key":"owner","Value":"bob"}', DifferenceType: 'ADD' },
          ],
        },
      ],
    } as never);
}

beforeEach(() => cfn.reset());

describe('readStatus', () => {
  it('GIVEN a settled stack in sync WHEN its status is read THEN state, outputs without the hash, events oldest first and IN_SYNC come back', async () => {
    givenStack('UPDATE_COMPLETE');
    givenEvents();
    givenDetection(inProgress, inSync);
    const s = testSession();
    const progress: string[] = [];
    const report = await readStatus(s, request({ onEvent: (e) => progress.push(e.type) }));
    expect(report).toEqual({
      stackName: 'todo-dev',
      region: 'eu-west-1',
      status: 'UPDATE_COMPLETE',
      statusReason: null,
      lastUpdated: '2026-01-02T03:04:05.000Z',
      terminationProtection: false,
      outputs: { ApiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev' },
      events: [
        { timestamp: '2026-01-02T03:03:00.000Z', logicalId: 'ListTodosFunction', resourceType: 'AWS::Lambda::Function', status: 'UPDATE_IN_PROGRESS', reason: 'User Initiated' },
        { timestamp: '2026-01-02T03:04:00.000Z', logicalId: 'ListTodosFunction', resourceType: 'AWS::Lambda::Function', status: 'UPDATE_COMPLETE', reason: null },
        { timestamp: '2026-01-02T03:04:05.000Z', logicalId: 'todo-dev', resourceType: 'AWS::CloudFormation::Stack', status: 'UPDATE_COMPLETE', reason: null },
      ],
      drift: { status: 'IN_SYNC', resources: [] },
    });
    // Two polls two seconds apart; an in-sync stack needs no resource drift read.
    expect(s.sleeps).toEqual([2000, 2000]);
    expect(progress).toEqual(['drift-started', 'drift-poll', 'drift-poll']);
    expect(s.calls).toEqual([
      'CloudFormation:DescribeStacks',
      'CloudFormation:DescribeStackEvents',
      'CloudFormation:DetectStackDrift',
      'CloudFormation:DescribeStackDriftDetectionStatus',
      'CloudFormation:DescribeStackDriftDetectionStatus',
    ]);
    expect(cfn.commandCalls(DetectStackDriftCommand)[0]!.args[0].input).toEqual({ StackName: STACK_ID });
  });

  it('GIVEN drifted resources on two pages THEN each is listed with its differing properties, values on one line and trimmed', async () => {
    givenStack('UPDATE_COMPLETE');
    givenEvents();
    givenDetection(drifted);
    givenResourceDrifts();
    const report = await readStatus(testSession(), request());
    expect(report.drift.status).toBe('DRIFTED');
    expect(report.drift.resources.map((r) => r.logicalId)).toEqual(['ListTodosFunction', 'ListTodosRole']);
    expect(report.drift.resources[0]).toEqual({
      logicalId: 'ListTodosFunction',
      physicalId: 'todo-dev-ListTodosFunction-AbC',
      resourceType: 'AWS::Lambda::Function',
      status: 'MODIFIED',
      properties: [{ path: '/MemorySize', difference: 'NOT_EQUAL', expected: '256', actual: '1024' }],
    });
    const [policy, tag] = report.drift.resources[1]!.properties;
    expect(policy!.expected).toHaveLength(120);
    expect(policy!.expected!.endsWith('…')).toBe(true);
    expect(policy!.actual).toBe('{ "Statement": [] }');
    expect(tag).toEqual({ path: '/Tags/1', difference: 'ADD', expected: undefined, actual: '{"Key":"owner","Value":"bob"}' });
    const pages = cfn.commandCalls(DescribeStackResourceDriftsCommand).map((c) => c.args[0].input);
    expect(pages).toEqual([
      { StackName: STACK_ID, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'] },
      { StackName: STACK_ID, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'], NextToken: 'page-2' },
    ]);
  });

  it('GIVEN a stack being updated THEN drift is skipped with a note and never started', async () => {
    givenStack('UPDATE_IN_PROGRESS');
    givenEvents();
    const report = await readStatus(testSession(), request());
    expect(report.drift).toEqual({
      status: 'SKIPPED',
      resources: [],
      note: 'the stack is UPDATE_IN_PROGRESS: drift is detected only on a stack no operation is changing; rerun when it settles',
    });
    expect(cfn.commandCalls(DetectStackDriftCommand)).toHaveLength(0);
  });

  it('GIVEN --no-drift and --events 0 THEN one call, and drift is SKIPPED', async () => {
    givenStack('CREATE_COMPLETE', { StackStatusReason: 'all good', EnableTerminationProtection: true });
    const s = testSession();
    const report = await readStatus(s, request({ drift: false, events: 0 }));
    expect(report).toMatchObject({ statusReason: 'all good', terminationProtection: true, events: [], drift: { status: 'SKIPPED', note: 'not checked: --no-drift' } });
    expect(s.calls).toEqual(['CloudFormation:DescribeStacks']);
  });

  it('GIVEN a detection that never finishes THEN status gives up after the timeout with drift UNKNOWN', async () => {
    givenStack('UPDATE_COMPLETE');
    givenEvents();
    cfn.on(DetectStackDriftCommand).resolves({ StackDriftDetectionId: 'det-1' });
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolves({ StackId: STACK_ID, StackDriftDetectionId: 'det-1', DetectionStatus: 'DETECTION_IN_PROGRESS', Timestamp: new Date() });
    const s = testSession();
    const report = await readStatus(s, request());
    expect(report.drift).toEqual({ status: 'UNKNOWN', resources: [], note: 'drift detection det-1 was still running after 120 s; rerun archctl status in a minute' });
    expect(cfn.commandCalls(DescribeStackDriftDetectionStatusCommand)).toHaveLength(60);
    expect(s.sleeps.reduce((a, b) => a + b, 0)).toBe(120_000);
  });

  it('GIVEN a detection that failed on some resources THEN the drift found elsewhere is still reported, with the reason', async () => {
    givenStack('UPDATE_COMPLETE');
    givenEvents();
    givenDetection({ DetectionStatus: 'DETECTION_FAILED', StackDriftStatus: 'DRIFTED', DetectionStatusReason: 'Failed to detect drift on resource [TodoApiStage]' });
    givenResourceDrifts();
    const report = await readStatus(testSession(), request());
    expect(report.drift).toMatchObject({ status: 'DRIFTED', note: 'Failed to detect drift on resource [TodoApiStage]' });
    expect(report.drift.resources).toHaveLength(2);
  });

  it('GIVEN a failed detection that found nothing THEN drift is UNKNOWN, never IN_SYNC', async () => {
    givenStack('UPDATE_COMPLETE');
    givenEvents();
    givenDetection({ DetectionStatus: 'DETECTION_FAILED', StackDriftStatus: 'IN_SYNC', DetectionStatusReason: 'Failed to detect drift on resource [X]' });
    const report = await readStatus(testSession(), request());
    expect(report.drift).toEqual({ status: 'UNKNOWN', resources: [], note: 'Failed to detect drift on resource [X]' });
  });

  it('GIVEN DetectStackDrift is denied THEN the state is still reported and drift is UNKNOWN with the fix', async () => {
    givenStack('UPDATE_COMPLETE');
    givenEvents();
    cfn.on(DetectStackDriftCommand).rejects(awsError('AccessDenied', 'User is not authorized to perform: cloudformation:DetectStackDrift', 403));
    const report = await readStatus(testSession(), request());
    expect(report.status).toBe('UPDATE_COMPLETE');
    expect(report.drift.status).toBe('UNKNOWN');
    expect(report.drift.note).toMatch(/^access denied: CloudFormation:DetectStackDrift in eu-west-1 .*\(fix: grant the caller cloudformation:DetectStackDrift.*, or pass --no-drift\)$/);
  });

  it('GIVEN no stack THEN the one-line no-stack error', async () => {
    cfn.on(DescribeStacksCommand).rejects(awsError('ValidationError', 'Stack with id todo-dev does not exist'));
    await expect(readStatus(testSession(), request())).rejects.toMatchObject({ message: 'no stack todo-dev in eu-west-1', exitCode: 1 });
  });
});

describe('archctl status', () => {
  it('in sync: sections on stdout, exit 0', async () => {
    givenStack('UPDATE_COMPLETE');
    givenEvents();
    givenDetection(inSync);
    const r = await cli();
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'stack       todo-dev (eu-west-1)',
        'status      UPDATE_COMPLETE',
        'updated     2026-01-02T03:04:05.000Z',
        'protection  off',
        '',
        'outputs',
        '  ApiUrl  https://abc.execute-api.eu-west-1.amazonaws.com/dev',
        '',
        'recent events',
        '  2026-01-02T03:03:00.000Z  UPDATE_IN_PROGRESS  ListTodosFunction AWS::Lambda::Function  User Initiated',
        '  2026-01-02T03:04:00.000Z  UPDATE_COMPLETE     ListTodosFunction AWS::Lambda::Function',
        '  2026-01-02T03:04:05.000Z  UPDATE_COMPLETE     todo-dev AWS::CloudFormation::Stack',
        '',
        'drift IN_SYNC',
        '',
      ].join('\n'),
    );
    expect(r.err).toContain('✔ todo-dev: UPDATE_COMPLETE, in sync with its template');
  });

  it('drifted: the resources and property paths on stdout, exit 1 with the fix on stderr', async () => {
    givenStack('UPDATE_COMPLETE');
    givenEvents();
    givenDetection(inProgress, drifted);
    givenResourceDrifts();
    const r = await cli('--events', '1');
    expect(r.code).toBe(1);
    expect(r.out).toContain('drift DRIFTED\n  ListTodosFunction AWS::Lambda::Function MODIFIED todo-dev-ListTodosFunction-AbC\n    /MemorySize NOT_EQUAL: expected 256, actual 1024\n');
    expect(r.out).toContain('    /Tags/1 ADD: actual {"Key":"owner","Value":"bob"}\n');
    expect(r.err.trimEnd().split('\n').at(-1)).toBe('✖ drifted: 2 resources (fix: redeploy with archctl deploy, or check who changed them)');
    expect(cfn.commandCalls(DescribeStackEventsCommand)).toHaveLength(1);
    expect(r.out.match(/^ {2}2026-/gm)).toHaveLength(1);
  });

  it('--json: one object with the documented keys; drifted still exits 1', async () => {
    givenStack('UPDATE_COMPLETE');
    givenEvents();
    givenDetection(drifted);
    givenResourceDrifts();
    const r = await cli('--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['stackName', 'region', 'status', 'statusReason', 'lastUpdated', 'terminationProtection', 'outputs', 'events', 'drift']);
    expect(report).toMatchObject({ stackName: 'todo-dev', status: 'UPDATE_COMPLETE', drift: { status: 'DRIFTED' } });
  });

  it('--no-drift makes no drift call and exits 0', async () => {
    givenStack('UPDATE_COMPLETE');
    givenEvents();
    const r = await cli('--no-drift', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).drift).toEqual({ status: 'SKIPPED', resources: [], note: 'not checked: --no-drift' });
    expect(cfn.commandCalls(DetectStackDriftCommand)).toHaveLength(0);
    expect(cfn.commandCalls(DescribeStackDriftDetectionStatusCommand)).toHaveLength(0);
  });

  it('a stack in progress: drift skipped, exit 0', async () => {
    givenStack('UPDATE_IN_PROGRESS');
    givenEvents();
    const r = await cli();
    expect(r.code).toBe(0);
    expect(r.out).toContain('drift SKIPPED (the stack is UPDATE_IN_PROGRESS');
    expect(cfn.commandCalls(DetectStackDriftCommand)).toHaveLength(0);
  });

  it('--events that is not a count is a usage error before any call', async () => {
    const r = await cli('--events', 'ten');
    expect(r).toEqual({ code: 2, out: '', err: 'error: --events ten is not a number of events (fix: pass a whole number from 0 to 100)\n' });
    expect(cfn.calls()).toHaveLength(0);
  });

  it('a missing stack: exit 1, one line', async () => {
    cfn.on(DescribeStacksCommand).rejects(awsError('ValidationError', 'Stack with id todo-dev does not exist'));
    const r = await cli();
    expect(r).toEqual({ code: 1, out: '', err: 'error: no stack todo-dev in eu-west-1 (fix: deploy it with archctl deploy --stage dev (or check --stack-name/--region))\n' });
  });
});
