import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  UpdateTerminationProtectionCommand,
  type StackEvent as SdkStackEvent,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { input } from '@inquirer/prompts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { deployStateFile } from '../../src/actions/deploy-state.js';
import { prepareDestroy, runDestroy } from '../../src/actions/destroy.js';
import { isArchctlError } from '../../src/core/errors.js';
import type { StackEvent } from '../../src/core/stack-events.js';
import { awsError, testSession } from '../support/aws.js';
import { runInProcess, type InProcessResult } from '../support/in-process.js';
import { STACK } from '../support/run-cli.js';

vi.mock('@inquirer/prompts', () => ({ input: vi.fn(), confirm: vi.fn() }));

const cfn = mockClient(CloudFormationClient);
afterAll(() => cfn.restore());

const NAME = 'todo-dev';
const REGION = 'eu-west-1';
const STACK_ID = `arn:aws:cloudformation:${REGION}:123456789012:stack/${NAME}/0a1b2c3d`;
// AWS's clock, deliberately far behind this machine's: archctl must follow events by AWS's time, not its own.
const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

const TEMPLATE = {
  Resources: {
    TodoTable: { Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
    UploadBucket: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' },
    ListTodosFunction: { Type: 'AWS::Lambda::Function' },
  },
};

const resource = (logicalId: string, type: string, physicalId: string, status = 'CREATE_COMPLETE', reason?: string): StackResourceSummary => ({
  LogicalResourceId: logicalId,
  PhysicalResourceId: physicalId,
  ResourceType: type,
  ResourceStatus: status as StackResourceSummary['ResourceStatus'],
  LastUpdatedTimestamp: new Date(T0),
  ...(reason ? { ResourceStatusReason: reason } : {}),
});
const TABLE = resource('TodoTable', 'AWS::DynamoDB::Table', 'todo-dev-TodoTable-ABC');
const BUCKET = resource('UploadBucket', 'AWS::S3::Bucket', 'todo-dev-uploadbucket-xyz');
const FUNCTION = resource('ListTodosFunction', 'AWS::Lambda::Function', 'todo-dev-ListTodos');
const NOT_EMPTY = 'The bucket you tried to delete is not empty';

let eventId = 0;
/** An SDK stack event; without a logical id, the stack's own event. */
function event(at: number, status: string, logicalId = NAME, type = 'AWS::CloudFormation::Stack', reason?: string): SdkStackEvent {
  return {
    EventId: `e${++eventId}`,
    StackId: STACK_ID,
    StackName: NAME,
    LogicalResourceId: logicalId,
    PhysicalResourceId: logicalId === NAME ? STACK_ID : `${logicalId}-phys`,
    ResourceType: type,
    ResourceStatus: status as SdkStackEvent['ResourceStatus'],
    Timestamp: new Date(T0 + at * 1000),
    ...(reason ? { ResourceStatusReason: reason } : {}),
  };
}

/** Newest first, as DescribeStackEvents answers. */
const page = (...events: SdkStackEvent[]) => ({ StackEvents: [...events].reverse() });

interface Given {
  status?: string;
  protectedStack?: boolean;
  resources?: StackResourceSummary[];
  /** Events before this destroy, oldest first. */
  before?: SdkStackEvent[];
  /** Successive polls of this destroy's events, each oldest first. */
  polls?: SdkStackEvent[][];
  /** The stack's status once the delete settled (describe by id). */
  final?: string;
  /** Resources after a failed delete. */
  afterFailure?: StackResourceSummary[];
}

/** GIVEN: a stack in CloudFormation as described, and a delete that produces `polls`. */
function givenStack(g: Given = {}): void {
  const before = g.before ?? [event(0, 'CREATE_COMPLETE')];
  const polls = g.polls ?? [
    [event(60, 'DELETE_IN_PROGRESS')],
    [event(61, 'DELETE_IN_PROGRESS', 'ListTodosFunction', 'AWS::Lambda::Function'), event(70, 'DELETE_COMPLETE', 'ListTodosFunction', 'AWS::Lambda::Function')],
    [event(80, 'DELETE_SKIPPED', 'TodoTable', 'AWS::DynamoDB::Table'), event(90, 'DELETE_COMPLETE', 'UploadBucket', 'AWS::S3::Bucket'), event(95, 'DELETE_COMPLETE')],
  ];
  cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({
    Stacks: [{ StackName: NAME, StackId: STACK_ID, StackStatus: (g.status ?? 'CREATE_COMPLETE') as never, CreationTime: new Date(T0), EnableTerminationProtection: g.protectedStack ?? false }],
  });
  cfn.on(DescribeStacksCommand, { StackName: STACK_ID }).resolves({
    Stacks: [{ StackName: NAME, StackId: STACK_ID, StackStatus: (g.final ?? 'DELETE_COMPLETE') as never, CreationTime: new Date(T0) }],
  });
  cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(TEMPLATE) });
  const listing = cfn.on(ListStackResourcesCommand).resolvesOnce({ StackResourceSummaries: g.resources ?? [TABLE, BUCKET, FUNCTION] });
  if (g.afterFailure) listing.resolves({ StackResourceSummaries: g.afterFailure });
  // Every poll answers with all events so far, newest first, as CloudFormation does; this delete's events
  // carry the token DeleteStack was sent. A wait that never ends fails the test instead of hanging it.
  let call = 0;
  // Older pages hold the stack's history, which a poll need not read.
  cfn.on(DescribeStackEventsCommand).callsFake((input: { NextToken?: string }) => {
    if (input.NextToken) return { StackEvents: [{ ...event(-86_400, 'CREATE_IN_PROGRESS'), ClientRequestToken: 'long-ago' }] };
    if (call > polls.length + 20) throw new Error('test: the wait never ended');
    const token = deleteCalls().at(-1)?.ClientRequestToken;
    const ours = polls.slice(0, call++).flat().map((e) => ({ ClientRequestToken: token, ...e }));
    return { ...page(...before.map((e) => ({ ClientRequestToken: 'an-earlier-operation', ...e })), ...ours), NextToken: 'older-history' };
  });
  cfn.on(DeleteStackCommand).resolves({});
}

const givenMissingStack = () => cfn.on(DescribeStacksCommand).rejects(awsError('ValidationError', `Stack with id ${NAME} does not exist`));

const deleteCalls = () => cfn.commandCalls(DeleteStackCommand).map((c) => c.args[0].input);

const tmp = mkdtempSync(join(tmpdir(), 'archctl-destroy-'));
const destroy = (args: string[], interactive = false): Promise<InProcessResult> =>
  runInProcess(['destroy', '--stack-name', NAME, '--region', REGION, ...args], { interactive, cwd: tmp });

/** The run ended in one error line, with its fix and without a stack trace. */
function expectErrorLine(r: InProcessResult, code: number, text: RegExp): string {
  expect(r.code).toBe(code);
  const errors = r.err.split('\n').filter((l) => l.startsWith('error:'));
  expect(errors).toHaveLength(1);
  expect(r.err.trimEnd().split('\n').at(-1)).toBe(errors[0]);
  expect(errors[0]).toMatch(/^error: .+ \(fix: .+\)$/);
  expect(errors[0]).toMatch(text);
  expect(r.err).not.toMatch(STACK);
  return errors[0]!;
}

beforeEach(() => {
  cfn.reset();
  vi.mocked(input).mockReset();
});

describe('destroy action', () => {
  it('GIVEN no stack WHEN preparing THEN there is nothing to do and nothing else is called', async () => {
    givenMissingStack();
    const s = testSession(REGION);
    expect(await prepareDestroy(s, { stackName: NAME, region: REGION, retain: [] })).toEqual({ kind: 'missing' });
    expect(s.calls).toEqual(['CloudFormation:DescribeStacks']);
  });

  it('GIVEN a stack WHEN preparing THEN the plan comes from the original template and the resources, read by stack id', async () => {
    givenStack();
    const prep = await prepareDestroy(testSession(REGION), { stackName: NAME, region: REGION, retain: [] });
    expect(prep.kind).toBe('ready');
    if (prep.kind !== 'ready') return;
    expect(prep.plan.retained.map((r) => r.logicalId)).toEqual(['TodoTable']);
    expect(prep.plan.deletedWithData.map((r) => r.logicalId)).toEqual(['UploadBucket']);
    expect(prep.plan.deleted).toBe(1);
    expect(cfn.commandCalls(GetTemplateCommand)[0]!.args[0].input).toEqual({ StackName: STACK_ID, TemplateStage: 'Original' });
    expect(cfn.commandCalls(ListStackResourcesCommand)[0]!.args[0].input).toEqual({ StackName: STACK_ID });
    expect(deleteCalls()).toEqual([]);
  });

  it('GIVEN DeleteStack is throttled once WHEN destroying THEN the retry sends the same ClientRequestToken', async () => {
    givenStack();
    cfn.on(DeleteStackCommand).rejectsOnce(awsError('Throttling', 'Rate exceeded')).resolves({});
    const s = testSession(REGION);
    const prep = await prepareDestroy(s, { stackName: NAME, region: REGION, retain: [] });
    if (prep.kind !== 'ready') throw new Error('expected a stack');
    const result = await runDestroy(s, prep);
    expect(result.status).toBe('DELETE_COMPLETE');
    const [first, second] = deleteCalls();
    expect(first).toEqual({ StackName: STACK_ID, ClientRequestToken: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(second).toEqual(first);
  });

  it('GIVEN events older than this machine\'s clock WHEN following the delete THEN each event of this delete (its token) is reported once, earlier and other operations\' never', async () => {
    givenStack({
      polls: [
        [event(60, 'DELETE_IN_PROGRESS'), { ...event(61, 'UPDATE_COMPLETE', 'SomeoneElse', 'AWS::SSM::Parameter'), ClientRequestToken: 'another-operation' }],
        [event(70, 'DELETE_COMPLETE', 'ListTodosFunction', 'AWS::Lambda::Function'), event(95, 'DELETE_COMPLETE')],
      ],
    });
    const s = testSession(REGION);
    const prep = await prepareDestroy(s, { stackName: NAME, region: REGION, retain: [] });
    if (prep.kind !== 'ready') throw new Error('expected a stack');
    const seen: StackEvent[] = [];
    await runDestroy(s, prep, { token: 'tok-1', onEvent: (e) => seen.push(e) });
    expect(seen.map((e) => `${e.logicalId} ${e.status}`)).toEqual([`${NAME} DELETE_IN_PROGRESS`, 'ListTodosFunction DELETE_COMPLETE', `${NAME} DELETE_COMPLETE`]);
    expect(seen.every((e) => e.clientRequestToken === 'tok-1')).toBe(true);
    // Each poll stops at the events that came before the delete: the history's older pages are never read.
    expect(cfn.commandCalls(DescribeStackEventsCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, undefined, undefined]);
    expect(deleteCalls()).toEqual([{ StackName: STACK_ID, ClientRequestToken: 'tok-1' }]);
  });

  it('GIVEN a stack in DELETE_FAILED WHEN the retry starts THEN the last attempt\'s DELETE_FAILED does not end the wait', async () => {
    givenStack({
      status: 'DELETE_FAILED',
      resources: [TABLE, resource('UploadBucket', 'AWS::S3::Bucket', 'todo-dev-uploadbucket-xyz', 'DELETE_FAILED', NOT_EMPTY)],
      before: [event(0, 'DELETE_IN_PROGRESS'), event(5, 'DELETE_FAILED', 'UploadBucket', 'AWS::S3::Bucket', NOT_EMPTY), event(6, 'DELETE_FAILED', NAME, 'AWS::CloudFormation::Stack', 'The following resource(s) failed to delete: [UploadBucket].')],
      polls: [[event(100, 'DELETE_IN_PROGRESS')], [event(110, 'DELETE_COMPLETE', 'UploadBucket', 'AWS::S3::Bucket'), event(120, 'DELETE_COMPLETE')]],
    });
    const s = testSession(REGION);
    const prep = await prepareDestroy(s, { stackName: NAME, region: REGION, retain: [] });
    if (prep.kind !== 'ready') throw new Error('expected a stack');
    const seen: string[] = [];
    const result = await runDestroy(s, prep, { onEvent: (e) => seen.push(`${e.logicalId} ${e.status}`) });
    expect(result).toEqual({ status: 'DELETE_COMPLETE', causes: [], failed: [] });
    expect(seen).toEqual([`${NAME} DELETE_IN_PROGRESS`, 'UploadBucket DELETE_COMPLETE', `${NAME} DELETE_COMPLETE`]);
  });

  it('GIVEN a bucket that is not empty WHEN the delete fails THEN the result has the root cause (not the stack summary) and the failed resources', async () => {
    const failedBucket = resource('UploadBucket', 'AWS::S3::Bucket', 'todo-dev-uploadbucket-xyz', 'DELETE_FAILED', NOT_EMPTY);
    givenStack({
      polls: [[event(60, 'DELETE_IN_PROGRESS'), event(70, 'DELETE_FAILED', 'UploadBucket', 'AWS::S3::Bucket', NOT_EMPTY), event(71, 'DELETE_FAILED', NAME, 'AWS::CloudFormation::Stack', 'The following resource(s) failed to delete: [UploadBucket].')]],
      final: 'DELETE_FAILED',
      afterFailure: [TABLE, failedBucket],
    });
    const s = testSession(REGION);
    const prep = await prepareDestroy(s, { stackName: NAME, region: REGION, retain: [] });
    if (prep.kind !== 'ready') throw new Error('expected a stack');
    const result = await runDestroy(s, prep);
    expect(result.status).toBe('DELETE_FAILED');
    expect(result.causes.map((e) => [e.logicalId, e.reason])).toEqual([['UploadBucket', NOT_EMPTY]]);
    expect(result.failed).toEqual([{ logicalId: 'UploadBucket', type: 'AWS::S3::Bucket', physicalId: 'todo-dev-uploadbucket-xyz', reason: NOT_EMPTY }]);
  });

  it('GIVEN termination protection WHEN preparing THEN it refuses with the command to turn it off, and never turns it off itself', async () => {
    givenStack({ protectedStack: true });
    const err = await prepareDestroy(testSession(REGION, 'prod'), { stackName: NAME, region: REGION, profile: 'prod', retain: [] }).catch((e: unknown) => e);
    expect(isArchctlError(err)).toBe(true);
    expect((err as Error).message).toBe(`stack ${NAME} has termination protection (a production stage)`);
    expect((err as { fix: string }).fix).toBe(
      `if you really mean it: aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name ${NAME} --region ${REGION} --profile prod, then rerun`,
    );
    expect(cfn.commandCalls(UpdateTerminationProtectionCommand)).toHaveLength(0);
  });
});

describe('archctl destroy', () => {
  it('GIVEN --yes WHEN destroying THEN it prints the plan, follows the events to DELETE_COMPLETE and repeats what is left behind', async () => {
    givenStack();
    // What deploy recorded for --hotswap goes with the stack.
    const state = deployStateFile(tmp, NAME, REGION);
    mkdirSync(dirname(state), { recursive: true });
    writeFileSync(state, '{}');
    const r = await destroy(['--yes']);
    expect(existsSync(state)).toBe(false);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    const lines = r.err.split('\n');
    expect(lines[0]).toBe(`destroy ${NAME} in ${REGION} (CREATE_COMPLETE):`);
    const retainedLine = `  TodoTable (AWS::DynamoDB::Table, todo-dev-TodoTable-ABC): retained: stays in the account with its data and keeps costing; when you no longer need it, delete it in the console or with \`aws dynamodb delete-table --table-name todo-dev-TodoTable-ABC --region ${REGION}\``;
    expect(lines).toContain(retainedLine);
    expect(r.err).toContain('UploadBucket (AWS::S3::Bucket, todo-dev-uploadbucket-xyz): deleted only if empty: archctl empties nothing');
    expect(r.err).toMatch(/DELETE_SKIPPED\s+TodoTable/);
    expect(r.err).toMatch(/DELETE_COMPLETE\s+todo-dev AWS::CloudFormation::Stack/);
    const done = lines.indexOf(`✔ destroyed ${NAME} in ${REGION}`);
    expect(done).toBeGreaterThan(0);
    expect(lines.slice(done + 1, done + 3)).toEqual(['left behind (they keep costing until you delete them):', retainedLine]);
    expect(deleteCalls()).toEqual([{ StackName: STACK_ID, ClientRequestToken: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/) }]);
    expect(input).not.toHaveBeenCalled();
  });

  it('GIVEN a terminal WHEN the user types the stack name THEN the stack is deleted', async () => {
    givenStack();
    vi.mocked(input).mockResolvedValue(NAME);
    const r = await destroy([], true);
    expect(r.code).toBe(0);
    expect(vi.mocked(input).mock.calls[0]![0].message).toMatch(new RegExp(`^Delete stack ${NAME} in ${REGION}\\?.* Type ${NAME} to confirm:$`));
    // The plan was shown before the question.
    expect(r.err).toContain('retained (they stay, and keep costing, until you delete them):');
    expect(deleteCalls()).toHaveLength(1);
  });

  it('GIVEN a terminal WHEN the user types another name THEN nothing is deleted and it exits 1', async () => {
    givenStack();
    vi.mocked(input).mockResolvedValue('todo-prod');
    const r = await destroy([], true);
    expectErrorLine(r, 1, /^error: destroy cancelled: the name did not match; nothing was deleted \(fix: rerun and type todo-dev exactly\)$/);
    expect(deleteCalls()).toEqual([]);
  });

  it('GIVEN no terminal and no --yes THEN it stops with exit 2 and no DeleteStack call', async () => {
    givenStack();
    const r = await destroy([]);
    expectErrorLine(r, 2, /destroying todo-dev needs confirmation and there is no terminal to ask on \(fix: review it, then rerun with --yes\)/);
    expect(deleteCalls()).toEqual([]);
    expect(input).not.toHaveBeenCalled();
  });

  it('GIVEN termination protection THEN it refuses, exit 1, and no DeleteStack call', async () => {
    givenStack({ protectedStack: true });
    const r = await destroy(['--yes']);
    expectErrorLine(r, 1, /stack todo-dev has termination protection \(a production stage\) \(fix: if you really mean it: aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name todo-dev --region eu-west-1, then rerun\)/);
    expect(deleteCalls()).toEqual([]);
    expect(cfn.commandCalls(UpdateTerminationProtectionCommand)).toHaveLength(0);
  });

  it('GIVEN a stack being updated THEN it says to wait (archctl status), without deleting', async () => {
    givenStack({ status: 'UPDATE_IN_PROGRESS' });
    const r = await destroy(['--yes']);
    expectErrorLine(r, 1, /stack todo-dev is busy \(UPDATE_IN_PROGRESS\) \(fix: wait for it to finish \(archctl status shows where it is\), then rerun\)/);
    expect(deleteCalls()).toEqual([]);
  });

  it('GIVEN a stack in DELETE_FAILED WHEN --retain names the failed bucket THEN DeleteStack leaves it in place (RetainResources)', async () => {
    givenStack({
      status: 'DELETE_FAILED',
      resources: [TABLE, resource('UploadBucket', 'AWS::S3::Bucket', 'todo-dev-uploadbucket-xyz', 'DELETE_FAILED', NOT_EMPTY)],
      before: [event(0, 'DELETE_FAILED')],
      polls: [[event(100, 'DELETE_IN_PROGRESS'), event(110, 'DELETE_SKIPPED', 'UploadBucket', 'AWS::S3::Bucket'), event(120, 'DELETE_COMPLETE')]],
    });
    const r = await destroy(['--retain', 'UploadBucket', '--yes']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`the last delete failed on:\n  UploadBucket (AWS::S3::Bucket, todo-dev-uploadbucket-xyz): ${NOT_EMPTY}`);
    expect(r.err).toMatch(/UploadBucket \(AWS::S3::Bucket, todo-dev-uploadbucket-xyz\): retained \(--retain\)/);
    expect(deleteCalls()).toEqual([{ StackName: STACK_ID, ClientRequestToken: expect.any(String), RetainResources: ['UploadBucket'] }]);
  });

  it('GIVEN a stack in DELETE_FAILED WHEN --retain names a resource that did not fail THEN exit 2 naming the valid ones', async () => {
    givenStack({ status: 'DELETE_FAILED', resources: [TABLE, resource('UploadBucket', 'AWS::S3::Bucket', 'b', 'DELETE_FAILED', NOT_EMPTY)] });
    const r = await destroy(['--retain', 'TodoTable', '--yes']);
    expectErrorLine(r, 2, /--retain TodoTable: not a resource whose delete failed in todo-dev \(fix: name only resources in DELETE_FAILED: UploadBucket\)/);
    expect(deleteCalls()).toEqual([]);
  });

  it('GIVEN a healthy stack WHEN --retain is given THEN it is a usage error (exit 2) and nothing is deleted', async () => {
    givenStack();
    const r = await destroy(['--retain', 'UploadBucket', '--yes']);
    expectErrorLine(r, 2, /--retain applies only to a stack in DELETE_FAILED; todo-dev is CREATE_COMPLETE/);
    expect(deleteCalls()).toEqual([]);
  });

  it('GIVEN a stack in DELETE_FAILED WHEN retried without --retain and it fails again THEN the fix names --retain with the failed ids', async () => {
    const failedBucket = resource('UploadBucket', 'AWS::S3::Bucket', 'todo-dev-uploadbucket-xyz', 'DELETE_FAILED', NOT_EMPTY);
    givenStack({
      status: 'DELETE_FAILED',
      resources: [TABLE, failedBucket],
      before: [event(0, 'DELETE_FAILED', 'UploadBucket', 'AWS::S3::Bucket', NOT_EMPTY), event(1, 'DELETE_FAILED', NAME, 'AWS::CloudFormation::Stack', 'The following resource(s) failed to delete: [UploadBucket].')],
      polls: [[event(100, 'DELETE_IN_PROGRESS'), event(110, 'DELETE_FAILED', 'UploadBucket', 'AWS::S3::Bucket', NOT_EMPTY), event(111, 'DELETE_FAILED', NAME, 'AWS::CloudFormation::Stack', 'The following resource(s) failed to delete: [UploadBucket].')]],
      final: 'DELETE_FAILED',
      afterFailure: [TABLE, failedBucket],
    });
    const r = await destroy(['--yes']);
    expectErrorLine(
      r,
      1,
      new RegExp(
        `^error: destroying todo-dev failed \\(DELETE_FAILED\\): UploadBucket: ${NOT_EMPTY} \\(fix: fix or empty what failed and rerun archctl destroy --stack-name todo-dev --region eu-west-1, or leave it in place: archctl destroy --stack-name todo-dev --region eu-west-1 --retain UploadBucket\\)$`,
      ),
    );
    // A plain retry: nothing is retained unless asked.
    expect(deleteCalls()).toEqual([{ StackName: STACK_ID, ClientRequestToken: expect.any(String) }]);
    expect(r.err).not.toContain('✔');
  });

  it('GIVEN a delete that fails on a multi-line reason THEN the error stays one line, root cause first', async () => {
    givenStack({
      polls: [[event(60, 'DELETE_IN_PROGRESS'), event(70, 'DELETE_FAILED', 'ListTodosFunction', 'AWS::Lambda::Function', 'Access denied\n  deleting function'), event(71, 'DELETE_FAILED', NAME, 'AWS::CloudFormation::Stack', 'The following resource(s) failed to delete: [ListTodosFunction].')]],
      final: 'DELETE_FAILED',
      afterFailure: [TABLE, BUCKET, resource('ListTodosFunction', 'AWS::Lambda::Function', 'fn', 'DELETE_FAILED', 'Access denied')],
    });
    const r = await destroy(['--yes']);
    expectErrorLine(r, 1, /failed \(DELETE_FAILED\): ListTodosFunction: Access denied deleting function \(fix: .*--retain ListTodosFunction\)$/);
  });

  it('GIVEN no stack THEN "nothing to destroy", exit 0, nothing deleted', async () => {
    givenMissingStack();
    const r = await destroy(['--yes']);
    expect(r).toEqual({ code: 0, out: '', err: `nothing to destroy: no stack ${NAME} in ${REGION}\n` });
    expect(deleteCalls()).toEqual([]);
  });

  it('GIVEN --json THEN the plan and the result are one JSON object on stdout; the plan still goes to stderr', async () => {
    givenStack();
    const r = await destroy(['--yes', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as Record<string, unknown>;
    expect(out).toMatchObject({
      stackName: NAME,
      region: REGION,
      status: 'DELETE_COMPLETE',
      retained: [{ logicalId: 'TodoTable', type: 'AWS::DynamoDB::Table', physicalId: 'todo-dev-TodoTable-ABC', policy: 'Retain', what: expect.stringMatching(/^retained: /) }],
      snapshot: [],
      deletedWithData: [{ logicalId: 'UploadBucket', what: expect.stringMatching(/^deleted only if empty/) }],
      deleted: 1,
      failed: [],
      causes: [],
    });
    expect(r.err).toContain('retained (they stay, and keep costing, until you delete them):');
    const missing = (givenMissingStack(), await destroy(['--yes', '--json']));
    expect(JSON.parse(missing.out)).toMatchObject({ stackName: NAME, region: REGION, status: 'NOT_FOUND', retained: [], deleted: 0 });
  });

  it('GIVEN --retain with no ids THEN a usage error before any call', async () => {
    const r = await destroy(['--retain', ' , ', '--yes']);
    expectErrorLine(r, 2, /--retain names no resource/);
    expect(cfn.calls()).toHaveLength(0);
  });
});
