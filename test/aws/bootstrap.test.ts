// archctl bootstrap on mocked CloudFormation: every stack state it meets, the
// tokens it sends, the errors it gives, and the command in-process.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Stack,
  type StackEvent as SdkStackEvent,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BOOTSTRAP_STACK, BOOTSTRAP_VERSION, bootstrap, bootstrapRegion, findArtifactBucket, type BootstrapEvent } from '../../src/actions/bootstrap.js';
import type { JsonObject } from '../../src/core/types.js';
import { awsError, testSession } from '../support/aws.js';
import { runInProcess } from '../support/in-process.js';

type CfnYamlModule = { parseCfnYaml(text: string, fileName?: string, baseDir?: string): JsonObject };
const { parseCfnYaml } = (await import(new URL('../../scripts/cfn-yaml.mjs', import.meta.url).href)) as CfnYamlModule;

const ARN = 'arn:aws:cloudformation:eu-west-1:123456789012';
const STACK_ID = `${ARN}:stack/archctl-bootstrap/11111111-2222-3333-4444-555555555555`;
const FAILED_ID = `${ARN}:stack/archctl-bootstrap/00000000-dead-beef-0000-000000000000`;
const CHANGE_SET_ID = `${ARN}:changeSet/archctl-bootstrap-v1/66666666-7777-8888-9999-000000000000`;
const BUCKET = 'archctl-bootstrap-artifactbucket-1a2b3c4d5e6f';
const TOKEN = /^archctl-bootstrap-[a-z-]+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** CloudFormation's constraint on client tokens (and its 128-character limit). */
const TOKEN_SHAPE = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;

const cfn = mockClient(CloudFormationClient);
beforeEach(() => cfn.reset());
afterAll(() => cfn.restore());

function stack(status: string, o: { version?: string; bucket?: string; id?: string; parameters?: Record<string, string> } = {}): Stack {
  const outputs = [
    ...(o.bucket !== undefined ? [{ OutputKey: 'ArtifactBucketName', OutputValue: o.bucket }] : []),
    ...(o.version !== undefined ? [{ OutputKey: 'BootstrapVersion', OutputValue: o.version }] : []),
  ];
  return {
    StackName: BOOTSTRAP_STACK,
    StackId: o.id ?? STACK_ID,
    StackStatus: status as Stack['StackStatus'],
    CreationTime: new Date('2025-01-01T00:00:00Z'),
    Outputs: outputs,
    Parameters: Object.entries(o.parameters ?? {}).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
  };
}
const complete = (status = 'CREATE_COMPLETE', version = '1') => stack(status, { version, bucket: BUCKET });

/** GIVEN the stack archctl-bootstrap as DescribeStacks answers by name (undefined: there is none). */
function givenStack(s: Stack | undefined): void {
  const call = cfn.on(DescribeStacksCommand, { StackName: BOOTSTRAP_STACK });
  if (s) call.resolves({ Stacks: [s] });
  else call.rejects(awsError('ValidationError', `Stack with id ${BOOTSTRAP_STACK} does not exist`));
}

/** GIVEN CloudFormation computes the change set as `result` (ready with one change, empty, or failed). */
function givenChangeSet(result: 'ready' | 'empty' | { failed: string } = 'ready'): void {
  cfn.on(CreateChangeSetCommand).resolves({ Id: CHANGE_SET_ID, StackId: STACK_ID });
  if (result === 'ready') {
    cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'CREATE_COMPLETE',
      Changes: [{ Type: 'Resource', ResourceChange: { Action: 'Add', LogicalResourceId: 'ArtifactBucket', ResourceType: 'AWS::S3::Bucket' } }],
    });
  } else {
    const reason = result === 'empty' ? "The submitted information didn't contain changes. Submit different information to create a change set." : result.failed;
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: reason });
  }
  cfn.on(ExecuteChangeSetCommand).resolves({});
  cfn.on(DeleteChangeSetCommand).resolves({});
}

type Step = [logicalId: string, resourceType: string, status: string, reason?: string];
const STACK_TYPE = 'AWS::CloudFormation::Stack';

/**
 * GIVEN the operation started by `command` (ExecuteChangeSet or DeleteStack) on `stackId` goes through `steps`
 * (oldest first), seen over two polls, and then DescribeStacks on the id
 * answers `final`. Every event carries the token the command was sent with;
 * an event of an earlier operation (another token, a minute old: within the
 * clock-skew margin) sits below them and must never be reported.
 */
function givenOperation(command: 'execute' | 'delete', stackId: string, steps: Step[], final: Stack): void {
  let polls = 0;
  cfn.on(DescribeStackEventsCommand, { StackName: stackId }).callsFake(() => {
    const token =
      command === 'execute'
        ? cfn.commandCalls(ExecuteChangeSetCommand).at(-1)?.args[0].input.ClientRequestToken
        : cfn.commandCalls(DeleteStackCommand).at(-1)?.args[0].input.ClientRequestToken;
    polls += 1;
    const shown = polls === 1 ? steps.slice(0, Math.ceil(steps.length / 2)) : steps;
    const now = Date.now();
    const events: SdkStackEvent[] = shown.map(([logicalId, type, status, reason], i) => ({
      EventId: `${stackId}-event-${i}`,
      StackId: stackId,
      StackName: BOOTSTRAP_STACK,
      LogicalResourceId: logicalId,
      PhysicalResourceId: type === STACK_TYPE ? stackId : `${logicalId.toLowerCase()}-physical`,
      ResourceType: type,
      ResourceStatus: status as SdkStackEvent['ResourceStatus'],
      ...(reason ? { ResourceStatusReason: reason } : {}),
      Timestamp: new Date(now - 1000 + i),
      ClientRequestToken: token,
    }));
    const earlier: SdkStackEvent = {
      EventId: `${stackId}-earlier`,
      StackId: stackId,
      StackName: BOOTSTRAP_STACK,
      LogicalResourceId: BOOTSTRAP_STACK,
      PhysicalResourceId: stackId,
      ResourceType: STACK_TYPE,
      ResourceStatus: 'UPDATE_COMPLETE',
      Timestamp: new Date(now - 60_000),
      ClientRequestToken: 'archctl-earlier-operation',
    };
    return { StackEvents: [...events.reverse(), earlier] };
  });
  cfn.on(DescribeStacksCommand, { StackName: stackId }).resolves({ Stacks: [final] });
}

const createSteps: Step[] = [
  [BOOTSTRAP_STACK, STACK_TYPE, 'CREATE_IN_PROGRESS', 'User Initiated'],
  ['ArtifactBucket', 'AWS::S3::Bucket', 'CREATE_IN_PROGRESS'],
  ['ArtifactBucket', 'AWS::S3::Bucket', 'CREATE_COMPLETE'],
  ['ArtifactBucketPolicy', 'AWS::S3::BucketPolicy', 'CREATE_IN_PROGRESS'],
  ['ArtifactBucketPolicy', 'AWS::S3::BucketPolicy', 'CREATE_COMPLETE'],
  [BOOTSTRAP_STACK, STACK_TYPE, 'CREATE_COMPLETE'],
];

function compiledTemplate(): JsonObject {
  const file = new URL('../../templates/bootstrap/bootstrap.yaml', import.meta.url);
  return parseCfnYaml(readFileSync(file, 'utf8'), file.pathname, new URL('../..', import.meta.url).pathname);
}

function collect(): { events: BootstrapEvent[]; onEvent: (e: BootstrapEvent) => void } {
  const events: BootstrapEvent[] = [];
  return { events, onEvent: (e) => events.push(e) };
}

const stackEvents = (events: BootstrapEvent[]) => events.flatMap((e) => (e.type === 'stack-event' ? [`${e.event.logicalId} ${e.event.status}`] : []));

describe('bootstrap', () => {
  it('GIVEN no stack WHEN bootstrap THEN a CREATE change set with the template body is executed, followed to the end, and the bucket read from the outputs', async () => {
    givenStack(undefined);
    givenChangeSet();
    givenOperation('execute', STACK_ID, createSteps, complete());
    const session = testSession();
    const { events, onEvent } = collect();

    const result = await bootstrap(session, { onEvent });

    expect(result).toEqual({ status: 'created', bucket: BUCKET, version: BOOTSTRAP_VERSION, stackName: BOOTSTRAP_STACK });
    const create = cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input;
    expect(create).toMatchObject({ StackName: BOOTSTRAP_STACK, ChangeSetType: 'CREATE', Parameters: [], Tags: [{ Key: 'archctl:bootstrap-version', Value: '1' }] });
    expect(create.TemplateURL).toBeUndefined();
    // The body is the compiled templates/bootstrap/bootstrap.yaml (the build's dist copy is what ships).
    expect(JSON.parse(create.TemplateBody!)).toEqual(compiledTemplate());
    expect(cfn.commandCalls(ExecuteChangeSetCommand)[0]!.args[0].input.ChangeSetName).toBe(CHANGE_SET_ID);
    expect(session.calls).toEqual([
      'CloudFormation:DescribeStacks',
      'CloudFormation:CreateChangeSet',
      'CloudFormation:DescribeChangeSet',
      'CloudFormation:ExecuteChangeSet',
      'CloudFormation:DescribeStackEvents',
      'CloudFormation:DescribeStackEvents',
      'CloudFormation:DescribeStacks',
    ]);
    // Every event of this operation, once, in order; none of the earlier operation's.
    expect(events[0]).toEqual({ type: 'plan', action: 'create', toVersion: BOOTSTRAP_VERSION });
    expect(stackEvents(events)).toEqual(createSteps.map(([id, , status]) => `${id} ${status}`));
  });

  it('GIVEN the stack at this version WHEN bootstrap THEN exactly one call (DescribeStacks) and unchanged', async () => {
    givenStack(complete('UPDATE_COMPLETE'));
    const session = testSession();

    const result = await bootstrap(session);

    expect(result).toEqual({ status: 'unchanged', bucket: BUCKET, version: 1, stackName: BOOTSTRAP_STACK });
    expect(session.calls).toEqual(['CloudFormation:DescribeStacks']);
    expect(cfn.calls()).toHaveLength(1);
  });

  it('GIVEN a stack made by a newer archctl WHEN bootstrap THEN it is left alone and said so', async () => {
    givenStack(complete('UPDATE_COMPLETE', String(BOOTSTRAP_VERSION + 1)));
    const session = testSession();
    const { events, onEvent } = collect();

    const result = await bootstrap(session, { onEvent });

    expect(result).toMatchObject({ status: 'unchanged', version: BOOTSTRAP_VERSION + 1 });
    expect(events).toEqual([{ type: 'newer', version: BOOTSTRAP_VERSION + 1 }]);
    expect(session.calls).toEqual(['CloudFormation:DescribeStacks']);
  });

  it('GIVEN the stack at version 0 WHEN bootstrap THEN an UPDATE change set keeps the chosen retention and the result is updated', async () => {
    givenStack(stack('CREATE_COMPLETE', { version: '0', bucket: BUCKET, parameters: { ArtifactRetentionDays: '30' } }));
    givenChangeSet();
    givenOperation(
      'execute',
      STACK_ID,
      [
        [BOOTSTRAP_STACK, STACK_TYPE, 'UPDATE_IN_PROGRESS', 'User Initiated'],
        ['ArtifactBucket', 'AWS::S3::Bucket', 'UPDATE_COMPLETE'],
        [BOOTSTRAP_STACK, STACK_TYPE, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'],
        [BOOTSTRAP_STACK, STACK_TYPE, 'UPDATE_COMPLETE'],
      ],
      complete('UPDATE_COMPLETE'),
    );
    const session = testSession();
    const { events, onEvent } = collect();

    const result = await bootstrap(session, { onEvent });

    expect(result).toEqual({ status: 'updated', bucket: BUCKET, version: 1, stackName: BOOTSTRAP_STACK });
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input).toMatchObject({
      ChangeSetType: 'UPDATE',
      Parameters: [{ ParameterKey: 'ArtifactRetentionDays', ParameterValue: '30' }],
    });
    expect(events[0]).toEqual({ type: 'plan', action: 'update', fromVersion: 0, toVersion: 1 });
    expect(stackEvents(events).at(-1)).toBe(`${BOOTSTRAP_STACK} UPDATE_COMPLETE`);
  });

  it('GIVEN ROLLBACK_COMPLETE from a failed first create WHEN bootstrap THEN the failed stack is deleted (and said so), then created again', async () => {
    givenStack(stack('ROLLBACK_COMPLETE', { id: FAILED_ID }));
    cfn.on(DeleteStackCommand).resolves({});
    givenOperation('delete', FAILED_ID, [[BOOTSTRAP_STACK, STACK_TYPE, 'DELETE_IN_PROGRESS', 'User Initiated'], [BOOTSTRAP_STACK, STACK_TYPE, 'DELETE_COMPLETE']], stack('DELETE_COMPLETE', { id: FAILED_ID }));
    givenChangeSet();
    givenOperation('execute', STACK_ID, createSteps, complete());
    const session = testSession();
    const { events, onEvent } = collect();

    const result = await bootstrap(session, { onEvent });

    expect(result.status).toBe('created');
    expect(cfn.commandCalls(DeleteStackCommand)[0]!.args[0].input.StackName).toBe(FAILED_ID);
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input.ChangeSetType).toBe('CREATE');
    expect(session.calls.indexOf('CloudFormation:DeleteStack')).toBeLessThan(session.calls.indexOf('CloudFormation:CreateChangeSet'));
    expect(events[0]).toEqual({ type: 'recreate', status: 'ROLLBACK_COMPLETE', reason: expect.stringContaining('first create failed') });
    expect(stackEvents(events).slice(0, 2)).toEqual([`${BOOTSTRAP_STACK} DELETE_IN_PROGRESS`, `${BOOTSTRAP_STACK} DELETE_COMPLETE`]);
  });

  it('GIVEN the failed stack cannot be deleted WHEN bootstrap THEN it stops with the cause and nothing is created', async () => {
    givenStack(stack('ROLLBACK_FAILED', { id: FAILED_ID }));
    cfn.on(DeleteStackCommand).resolves({});
    givenOperation(
      'delete',
      FAILED_ID,
      [
        [BOOTSTRAP_STACK, STACK_TYPE, 'DELETE_IN_PROGRESS', 'User Initiated'],
        ['ArtifactBucket', 'AWS::S3::Bucket', 'DELETE_FAILED', 'The bucket you tried to delete is not empty'],
        [BOOTSTRAP_STACK, STACK_TYPE, 'DELETE_FAILED', 'The following resource(s) failed to delete: [ArtifactBucket].'],
      ],
      stack('DELETE_FAILED', { id: FAILED_ID }),
    );
    const session = testSession();

    const err = await bootstrap(session).catch((e: unknown) => e);

    expect(err).toMatchObject({ message: expect.stringContaining('DELETE_FAILED): ArtifactBucket DELETE_FAILED: The bucket you tried to delete is not empty'), exitCode: 1 });
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it.each([['UPDATE_IN_PROGRESS'], ['CREATE_IN_PROGRESS'], ['UPDATE_ROLLBACK_IN_PROGRESS']])(
    'GIVEN a busy stack (%s) WHEN bootstrap THEN an error says to wait, and nothing is changed',
    async (status) => {
      givenStack(complete(status, '0'));
      const session = testSession();

      const err = await bootstrap(session).catch((e: unknown) => e);

      expect(err).toMatchObject({ name: 'ArchctlError', message: `archctl-bootstrap in eu-west-1 is busy (${status}): another operation on it is still running`, exitCode: 1 });
      expect((err as { fix: string }).fix).toMatch(/^wait until it finishes .*then rerun archctl bootstrap --region eu-west-1$/);
      expect(session.calls).toEqual(['CloudFormation:DescribeStacks']);
    },
  );

  it.each([
    ['UPDATE_ROLLBACK_FAILED', /continue-update-rollback/],
    ['DELETE_FAILED', /delete-stack/],
    ['UPDATE_FAILED', /CloudFormation console/],
  ])('GIVEN a stack in %s WHEN bootstrap THEN a clear error with a fix, and nothing is changed', async (status, fix) => {
    givenStack(complete(status, '0'));
    const session = testSession();

    const err = await bootstrap(session).catch((e: unknown) => e);

    expect(err).toMatchObject({ message: expect.stringContaining(`archctl-bootstrap in eu-west-1 is ${status}`), fix: expect.stringMatching(fix) });
    expect(session.calls).toEqual(['CloudFormation:DescribeStacks']);
  });

  it('GIVEN the create fails WHEN bootstrap THEN the error names the root cause and the status, not the cancellations', async () => {
    givenStack(undefined);
    givenChangeSet();
    givenOperation(
      'execute',
      STACK_ID,
      [
        [BOOTSTRAP_STACK, STACK_TYPE, 'CREATE_IN_PROGRESS', 'User Initiated'],
        ['ArtifactBucket', 'AWS::S3::Bucket', 'CREATE_IN_PROGRESS'],
        ['ArtifactBucket', 'AWS::S3::Bucket', 'CREATE_FAILED', 'Resource handler returned message: "API: s3:CreateBucket Access Denied"\n(RequestToken: abc)'],
        ['ArtifactBucketPolicy', 'AWS::S3::BucketPolicy', 'CREATE_FAILED', 'Resource creation cancelled'],
        [BOOTSTRAP_STACK, STACK_TYPE, 'ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to create: [ArtifactBucket]. Rollback requested by user.'],
        ['ArtifactBucket', 'AWS::S3::Bucket', 'DELETE_COMPLETE'],
        [BOOTSTRAP_STACK, STACK_TYPE, 'ROLLBACK_COMPLETE'],
      ],
      stack('ROLLBACK_COMPLETE'),
    );
    const session = testSession();

    const err = await bootstrap(session).catch((e: unknown) => e);

    expect(err).toMatchObject({
      name: 'ArchctlError',
      message:
        'creating archctl-bootstrap in eu-west-1 failed (ROLLBACK_COMPLETE): ArtifactBucket CREATE_FAILED: Resource handler returned message: "API: s3:CreateBucket Access Denied" (RequestToken: abc)',
      exitCode: 1,
    });
    expect((err as { fix: string }).fix).toMatch(/^give the caller the permission named above .*rerun archctl bootstrap --region eu-west-1: it deletes the failed stack/);
  });

  it('GIVEN an empty change set WHEN bootstrap THEN it is deleted, nothing is executed, and the result is unchanged', async () => {
    givenStack(stack('UPDATE_ROLLBACK_COMPLETE', { version: '0', bucket: BUCKET }));
    givenChangeSet('empty');
    const session = testSession();

    const result = await bootstrap(session);

    expect(result).toEqual({ status: 'unchanged', bucket: BUCKET, version: 0, stackName: BOOTSTRAP_STACK });
    expect(cfn.commandCalls(DeleteChangeSetCommand)[0]!.args[0].input.ChangeSetName).toBe(CHANGE_SET_ID);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
  });

  it('GIVEN the change set fails WHEN bootstrap THEN it is deleted and the error gives CloudFormation\'s reason', async () => {
    givenStack(undefined);
    givenChangeSet({ failed: 'Template format error: Unrecognized resource types: [AWS::S3::Bukket]' });
    const session = testSession();

    const err = await bootstrap(session).catch((e: unknown) => e);

    expect(err).toMatchObject({ message: expect.stringContaining('Unrecognized resource types: [AWS::S3::Bukket]') });
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
  });

  it('sends a token on every mutation, and a retried call resends the same one', async () => {
    givenStack(stack('ROLLBACK_COMPLETE', { id: FAILED_ID }));
    cfn.on(DeleteStackCommand).rejectsOnce(awsError('Throttling', 'Rate exceeded')).resolves({});
    givenOperation('delete', FAILED_ID, [[BOOTSTRAP_STACK, STACK_TYPE, 'DELETE_COMPLETE']], stack('DELETE_COMPLETE', { id: FAILED_ID }));
    givenChangeSet();
    cfn.on(CreateChangeSetCommand).rejectsOnce(awsError('Throttling', 'Rate exceeded')).resolves({ Id: CHANGE_SET_ID, StackId: STACK_ID });
    cfn.on(ExecuteChangeSetCommand).rejectsOnce(awsError('InternalFailure', 'try again', 500)).resolves({});
    givenOperation('execute', STACK_ID, createSteps, complete());
    const session = testSession();

    await bootstrap(session);

    const tokens = {
      changeSet: cfn.commandCalls(CreateChangeSetCommand).map((c) => c.args[0].input.ClientToken),
      execute: cfn.commandCalls(ExecuteChangeSetCommand).map((c) => c.args[0].input.ClientRequestToken),
      delete: cfn.commandCalls(DeleteStackCommand).map((c) => c.args[0].input.ClientRequestToken),
    };
    for (const sent of Object.values(tokens)) {
      expect(sent).toHaveLength(2);
      expect(sent[0]).toMatch(TOKEN);
      expect(sent[0]).toMatch(TOKEN_SHAPE);
      expect(sent[1]).toBe(sent[0]);
    }
    expect(new Set([tokens.changeSet[0], tokens.execute[0], tokens.delete[0]]).size).toBe(3);
    expect(session.sleeps.length).toBeGreaterThanOrEqual(3);

    // A new run is a new request: its tokens are new.
    cfn.resetHistory();
    givenStack(undefined);
    await bootstrap(testSession());
    expect(cfn.commandCalls(ExecuteChangeSetCommand)[0]!.args[0].input.ClientRequestToken).not.toBe(tokens.execute[0]);
  });
});

describe('findArtifactBucket', () => {
  it('GIVEN the stack at this version THEN its bucket, version and artifact retention (90 days by default)', async () => {
    givenStack(complete());
    expect(await findArtifactBucket(testSession())).toEqual({ bucket: BUCKET, version: 1, retentionDays: 90 });
  });

  it('GIVEN a stack bootstrapped with a 30-day retention THEN deploy learns it from the stack parameter', async () => {
    givenStack(stack('UPDATE_COMPLETE', { version: '1', bucket: BUCKET, parameters: { ArtifactRetentionDays: '30' } }));
    expect(await findArtifactBucket(testSession())).toMatchObject({ retentionDays: 30 });
  });

  it('GIVEN no stack THEN "not bootstrapped" with the command to run', async () => {
    givenStack(undefined);
    await expect(findArtifactBucket(testSession())).rejects.toMatchObject({
      message: 'archctl is not bootstrapped in eu-west-1',
      fix: 'run archctl bootstrap --region eu-west-1',
      exitCode: 1,
    });
  });

  it('GIVEN no stack and a profile THEN the fix names the profile too', async () => {
    givenStack(undefined);
    await expect(findArtifactBucket(testSession('eu-west-1', 'dev'))).rejects.toMatchObject({ fix: 'run archctl bootstrap --region eu-west-1 --profile dev' });
  });

  it('GIVEN a failed first create (ROLLBACK_COMPLETE, no outputs) THEN not bootstrapped, saying the status', async () => {
    givenStack(stack('ROLLBACK_COMPLETE'));
    await expect(findArtifactBucket(testSession())).rejects.toMatchObject({
      message: 'archctl is not bootstrapped in eu-west-1: stack archctl-bootstrap is ROLLBACK_COMPLETE and has no artifact bucket',
      fix: 'run archctl bootstrap --region eu-west-1',
    });
  });

  it('GIVEN an older version THEN an error saying to run bootstrap to upgrade', async () => {
    givenStack(complete('UPDATE_COMPLETE', '0'));
    await expect(findArtifactBucket(testSession())).rejects.toMatchObject({
      message: "archctl's bootstrap stack in eu-west-1 is version 0; this archctl needs version 1",
      fix: 'run archctl bootstrap --region eu-west-1 to upgrade it',
    });
  });
});

describe('bootstrapRegion', () => {
  const dir = mkdtempSync(join(tmpdir(), 'archctl-bootstrap-region-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes --region, else the project\'s archctl.json, else AWS_REGION', async () => {
    const empty = join(dir, 'empty');
    const project = join(dir, 'project');
    mkdirSync(empty, { recursive: true });
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'archctl.json'), JSON.stringify({ pattern: 'todo', name: 'notes', region: 'eu-central-1', parameters: {} }));

    expect(await bootstrapRegion({ region: 'us-west-2', dir: project }, { AWS_REGION: 'eu-west-2' })).toBe('us-west-2');
    expect(await bootstrapRegion({ dir: project }, { AWS_REGION: 'eu-west-2' })).toBe('eu-central-1');
    expect(await bootstrapRegion({ dir: empty }, { AWS_REGION: 'eu-west-2' })).toBe('eu-west-2');
  });

  it('does not read archctl.json when --region is given (a broken one does not matter then)', async () => {
    const broken = join(dir, 'broken');
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, 'archctl.json'), '{ not json');
    expect(await bootstrapRegion({ region: 'eu-west-1', dir: broken }, {})).toBe('eu-west-1');
    await expect(bootstrapRegion({ dir: broken }, {})).rejects.toMatchObject({ message: expect.stringContaining('is not valid JSON') });
  });
});

describe('archctl bootstrap (in-process)', () => {
  it('GIVEN no stack WHEN archctl bootstrap --region eu-west-1 --json THEN the result as JSON on stdout, progress and next step on stderr, exit 0', async () => {
    givenStack(undefined);
    givenChangeSet();
    givenOperation('execute', STACK_ID, createSteps, complete());

    const { code, out, err } = await runInProcess(['bootstrap', '--region', 'eu-west-1', '--json']);

    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ stackName: BOOTSTRAP_STACK, region: 'eu-west-1', status: 'created', bucket: BUCKET, version: 1 });
    expect(err).toContain('creating archctl-bootstrap (version 1)');
    expect(err).toMatch(/CREATE_COMPLETE\s+ArtifactBucket AWS::S3::Bucket/);
    expect(err).toContain(`✔ archctl-bootstrap in eu-west-1: created (version 1), artifact bucket ${BUCKET}\n`);
    expect(err.trimEnd().split('\n').at(-1)).toBe('next: archctl deploy --region eu-west-1');
  });

  it('GIVEN the stack at this version WHEN archctl bootstrap THEN unchanged, nothing on stdout without --json', async () => {
    givenStack(complete());

    const { code, out, err } = await runInProcess(['bootstrap', '--profile', 'dev'], { env: { AWS_REGION: 'eu-west-1' } });

    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toContain(`✔ archctl-bootstrap in eu-west-1: unchanged (version 1), artifact bucket ${BUCKET}\n`);
    expect(err).toContain('next: archctl deploy --region eu-west-1 --profile dev\n');
    expect(cfn.calls()).toHaveLength(1);
  });

  it('WHEN --region eu-west-9 THEN exit 1 with a one-line error, and no AWS call', async () => {
    const { code, out, err } = await runInProcess(['bootstrap', '--region', 'eu-west-9']);

    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^error: unknown AWS region "eu-west-9" \(from --region\) \(fix: use a region code such as [a-z-]+-\d\)\n$/);
    expect(cfn.calls()).toHaveLength(0);
  });

  it('WHEN --stack-name is given THEN exit 2 (an unknown option): the bootstrap stack has a fixed name', async () => {
    const { code, err } = await runInProcess(['bootstrap', '--region', 'eu-west-1', '--stack-name', 'mine']);

    expect(code).toBe(2);
    expect(err).toBe("error: unknown option '--stack-name' (fix: see archctl --help)\n");
    expect(cfn.calls()).toHaveLength(0);
  });

  it('GIVEN the create fails WHEN archctl bootstrap THEN exit 1 with the root cause on one line', async () => {
    givenStack(undefined);
    givenChangeSet();
    givenOperation(
      'execute',
      STACK_ID,
      [
        [BOOTSTRAP_STACK, STACK_TYPE, 'CREATE_IN_PROGRESS'],
        ['ArtifactBucket', 'AWS::S3::Bucket', 'CREATE_FAILED', 'API: s3:CreateBucket Access Denied'],
        [BOOTSTRAP_STACK, STACK_TYPE, 'ROLLBACK_COMPLETE'],
      ],
      stack('ROLLBACK_COMPLETE'),
    );

    const { code, out, err } = await runInProcess(['bootstrap', '--region', 'eu-west-1', '--json']);

    expect(code).toBe(1);
    expect(out).toBe('');
    const last = err.trimEnd().split('\n').at(-1)!;
    expect(last).toMatch(/^error: creating archctl-bootstrap in eu-west-1 failed \(ROLLBACK_COMPLETE\): ArtifactBucket CREATE_FAILED: API: s3:CreateBucket Access Denied \(fix: give the caller/);
  });
});
