// deploy against a stateful fake of the AWS control plane (aws-sdk-client-mock
// underneath): every stack state of SECURITY.md's deploy-safety list, the
// no-op and empty change-set paths, refused replacements, prompts, hotswap.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deploy, type DeployEvent, type DeployRequest, type Question } from '../../src/actions/deploy.js';
import { deployStateFile, readDeployState } from '../../src/actions/deploy-state.js';
import { resolveTarget } from '../../src/actions/project.js';
import type { StackTarget } from '../../src/actions/stack-target.js';
import { awsError, testSession } from '../support/aws.js';
import { BOOTSTRAP_BUCKET, FakeAws } from '../support/fake-aws.js';

const repoHandlers = join(import.meta.dirname, '../../handlers');
let fake: FakeAws;
let dir: string;
// Tokens are unique across runs, as the real ones (UUIDs) are: a repeated token would match an older operation's events.
let n = 0;

beforeEach(() => {
  n = 0;
  fake = new FakeAws();
  dir = mkdtempSync(join(tmpdir(), 'archctl-deploy-'));
});
afterEach(() => {
  fake.restore();
  rmSync(dir, { recursive: true, force: true });
});

function target(o: Partial<StackTarget> = {}, sets: string[] = []): StackTarget {
  return { stackName: 'todo-dev', stage: 'dev', production: false, region: 'eu-west-1', target: resolveTarget({ pattern: 'todo', dir, sets }), ...o };
}

interface Run {
  events: DeployEvent[];
  questions: Question[];
}

async function run(o: Partial<DeployRequest> & { answer?: boolean } = {}, session = testSession()) {
  const seen: Run = { events: [], questions: [] };
  const result = await deploy(session, {
    target: target(),
    projectDir: dir,
    mode: 'deploy',
    newToken: () => `token-${++n}`,
    now: () => Date.parse('2026-11-28T12:00:00Z'),
    ...o,
    confirm: async (q) => {
      seen.questions.push(q);
      return o.answer ?? true;
    },
    onEvent: (e) => seen.events.push(e),
  });
  return { result, ...seen, session };
}

const cfnCalls = () => fake.callNames().filter((c) => c.startsWith('CloudFormation:'));
const called = (op: string) => fake.callNames().filter((c) => c === op).length;

describe('deploy: a new stack', () => {
  it('GIVEN a bootstrapped account and no stack WHEN deploying THEN it uploads the zips and template, creates a CREATE change set, asks, executes and returns the outputs', async () => {
    fake.bootstrap();
    const { result, questions, events } = await run();

    expect(result.outcome).toBe('deployed');
    expect(result.outputs.ApiUrl).toBeDefined();
    expect(result.outputs).not.toHaveProperty('ArchctlDeployHash');
    // Five zips and the template, each uploaded once, under content-hashed keys.
    const keys = [...fake.objects.keys()];
    expect(keys.filter((k) => /^archctl-bootstrap-artifactbucket-1a2b3c\/assets\/[0-9a-f]{64}\.zip$/.test(k))).toHaveLength(5);
    expect(keys.filter((k) => k.includes('/templates/'))).toHaveLength(1);
    const create = fake.cfn.commandCalls((await import('@aws-sdk/client-cloudformation')).CreateChangeSetCommand)[0]!.args[0].input;
    expect(create.ChangeSetType).toBe('CREATE');
    expect(create.TemplateURL).toMatch(/^https:\/\/archctl-bootstrap-artifactbucket-1a2b3c\.s3\.eu-west-1\.amazonaws\.com\/templates\/[0-9a-f]{32}\.json$/);
    expect(create.ClientToken).toBe('token-1');
    expect(create.Capabilities).toEqual(['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND']);
    expect(Object.fromEntries(create.Parameters!.map((p) => [p.ParameterKey, p.ParameterValue]))).toMatchObject({
      ArtifactBucket: BOOTSTRAP_BUCKET,
      ListTodosCodeKey: expect.stringMatching(/^assets\/[0-9a-f]{64}\.zip$/),
    });
    expect(create.Tags).toEqual([
      { Key: 'archctl:pattern', Value: 'todo' },
      { Key: 'archctl:stage', Value: 'dev' },
    ]);
    const exec = fake.cfn.commandCalls((await import('@aws-sdk/client-cloudformation')).ExecuteChangeSetCommand)[0]!.args[0].input;
    expect(exec.ClientRequestToken).toBe('token-2');
    expect(questions.map((q) => q.kind)).toEqual(['execute']);
    // Progress: the resource events of this operation only, ending with the stack's own.
    const stackEvents = events.flatMap((e) => (e.type === 'stack-event' ? [e.event] : []));
    expect(stackEvents.at(-1)).toMatchObject({ logicalId: 'todo-dev', status: 'CREATE_COMPLETE' });
    expect(stackEvents.some((e) => e.logicalId === 'TodoTable' && e.status === 'CREATE_COMPLETE')).toBe(true);
    // What --hotswap needs next time.
    const state = readDeployState(deployStateFile(dir, 'todo-dev', 'eu-west-1'))!;
    expect(state.functions.ListTodosFunction).toEqual({ functionName: 'todo-dev-ListTodosFunction-PHYS', codeKeyParameter: 'ListTodosCodeKey' });
  });

  it('GIVEN no bootstrap stack WHEN deploying THEN it stops before any upload and says to run archctl bootstrap', async () => {
    await expect(run()).rejects.toMatchObject({ message: 'archctl is not bootstrapped in eu-west-1', fix: expect.stringContaining('archctl bootstrap --region eu-west-1') });
    expect(fake.objects.size).toBe(0);
    expect(called('CloudFormation:CreateChangeSet')).toBe(0);
  });

  it('GIVEN a stack in REVIEW_IN_PROGRESS (only ever reviewed) WHEN deploying THEN it is treated as new: a CREATE change set', async () => {
    fake.bootstrap();
    fake.addStack({ name: 'todo-dev', status: 'REVIEW_IN_PROGRESS' });
    const { result } = await run();
    expect(result.outcome).toBe('deployed');
    expect(fake.cfn.calls().map((c) => c.args[0].input).find((i) => 'ChangeSetType' in i)).toMatchObject({ ChangeSetType: 'CREATE' });
  });
});

describe('deploy: nothing to do', () => {
  it('GIVEN the same template and code deployed WHEN deploying again THEN one call (DescribeStacks), no change set, the outputs', async () => {
    fake.bootstrap();
    await run();
    fake.cfn.resetHistory();
    fake.s3.resetHistory();
    fake.lambda.resetHistory();

    const { result, session } = await run();
    expect(result.outcome).toBe('no-changes');
    expect(fake.callNames()).toEqual(['CloudFormation:DescribeStacks']);
    expect(session.calls).toEqual(['CloudFormation:DescribeStacks']);
    expect(result.outputs.ApiUrl).toBeDefined();
  });

  it('GIVEN a stack without a recorded hash WHEN CloudFormation computes an empty change set THEN "no changes", exit path 0, and the change set is deleted', async () => {
    fake.bootstrap();
    await run();
    fake.find('todo-dev')!.outputs = { ApiUrl: 'https://x' };
    fake.emptyChangeSet = true;
    const { result } = await run();
    expect(result.outcome).toBe('no-changes');
    expect(called('CloudFormation:DeleteChangeSet')).toBe(1);
    expect(called('CloudFormation:ExecuteChangeSet')).toBe(1);
    expect(fake.changeSets.size).toBe(0);
  });

  it('GIVEN a changed template WHEN deploying THEN unchanged zips are not uploaded again (HeadObject only)', async () => {
    fake.bootstrap();
    await run();
    const puts = called('S3:PutObject');
    const { result } = await run({ target: target({}, ['throttleRate=77']) });
    expect(result.outcome).toBe('deployed');
    // Only the new template was put.
    expect(called('S3:PutObject') - puts).toBe(1);
  });
});

describe('deploy: artifacts near their expiry', () => {
  it('GIVEN zips uploaded 60 days ago and a 90-day retention WHEN deploying a change THEN they are uploaded again (their expiry restarts); fresh ones are not', async () => {
    fake.bootstrap();
    await run();
    const old = new Date(Date.parse('2026-11-28T12:00:00Z') - 60 * 86_400_000);
    const zips = [...fake.objects.keys()].filter((k) => k.includes('/assets/'));
    fake.uploadedAt.set(zips[0]!, old);
    const puts = called('S3:PutObject');
    const { events } = await run({ target: target({}, ['throttleRate=77']) });
    // The template (new) and the one old zip.
    expect(called('S3:PutObject') - puts).toBe(2);
    expect(events.filter((e) => e.type === 'asset' && e.state === 'refreshed')).toHaveLength(1);
  });
});

describe('deploy: stack states', () => {
  it.each(['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'CREATE_FAILED'])('GIVEN a failed first create (%s) WHEN the user agrees THEN it deletes the stack, then creates it', async (status) => {
    fake.bootstrap();
    fake.addStack({ name: 'todo-dev', status });
    const { result, questions } = await run();
    expect(questions.map((q) => q.kind)).toEqual(['recreate', 'execute']);
    const del = fake.cfn.commandCalls((await import('@aws-sdk/client-cloudformation')).DeleteStackCommand)[0]!.args[0].input;
    expect(del.ClientRequestToken).toBe('token-1');
    expect(result.outcome).toBe('deployed');
    expect(fake.find('todo-dev')!.status).toBe('CREATE_COMPLETE');
  });

  it('GIVEN ROLLBACK_COMPLETE WHEN the user declines THEN nothing is deleted or created', async () => {
    fake.bootstrap();
    fake.addStack({ name: 'todo-dev', status: 'ROLLBACK_COMPLETE' });
    const { result } = await run({ answer: false });
    expect(result.outcome).toBe('cancelled');
    expect(cfnCalls().filter((c) => !c.startsWith('CloudFormation:Describe'))).toEqual([]);
  });

  it('GIVEN UPDATE_ROLLBACK_FAILED WHEN deploying with resources to skip THEN it continues the rollback (skipping them), then updates', async () => {
    fake.bootstrap();
    await run();
    fake.find('todo-dev')!.status = 'UPDATE_ROLLBACK_FAILED';
    const { result, questions } = await run({ target: target({}, ['throttleRate=77']), skipResources: ['StageCacheControl'] });
    expect(questions[0]).toEqual({ kind: 'continue-rollback', skip: ['StageCacheControl'] });
    const cont = fake.cfn.commandCalls((await import('@aws-sdk/client-cloudformation')).ContinueUpdateRollbackCommand)[0]!.args[0].input;
    expect(cont).toMatchObject({ StackName: 'todo-dev', ResourcesToSkip: ['StageCacheControl'], ClientRequestToken: expect.stringMatching(/^token-/) });
    expect(result.outcome).toBe('deployed');
    expect(fake.find('todo-dev')!.status).toBe('UPDATE_COMPLETE');
  });

  it.each(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'])(
    'GIVEN another operation in progress (%s) WHEN deploying THEN it stops, saying to wait, and changes nothing',
    async (status) => {
      fake.bootstrap();
      fake.addStack({ name: 'todo-dev', status });
      await expect(run()).rejects.toMatchObject({ message: `stack todo-dev is busy (${status}): another operation is running` });
      expect(cfnCalls()).toEqual(['CloudFormation:DescribeStacks']);
    },
  );

  it('GIVEN DELETE_FAILED WHEN deploying THEN it stops and points at archctl destroy', async () => {
    fake.bootstrap();
    fake.addStack({ name: 'todo-dev', status: 'DELETE_FAILED' });
    await expect(run()).rejects.toMatchObject({ fix: expect.stringContaining('archctl destroy') });
    expect(cfnCalls()).toEqual(['CloudFormation:DescribeStacks']);
  });

  it('GIVEN a deployed stack WHEN a resource fails THEN the error names the root cause (not the cancellations) and the rolled-back state', async () => {
    fake.bootstrap();
    fake.failNext = { logicalId: 'TodoTable', type: 'AWS::DynamoDB::Table', reason: 'Resource handler returned message: "Subscriber limit exceeded"' };
    await expect(run()).rejects.toMatchObject({
      message: 'the deploy failed; stack todo-dev is ROLLBACK_COMPLETE: TodoTable (AWS::DynamoDB::Table): Resource handler returned message: "Subscriber limit exceeded"',
      fix: expect.stringContaining('offers to delete the failed stack'),
    });
  });
});

describe('deploy: review and safety', () => {
  it('GIVEN changes WHEN the user declines THEN the change set is deleted and nothing executed', async () => {
    fake.bootstrap();
    const { result } = await run({ answer: false });
    expect(result.outcome).toBe('cancelled');
    expect(called('CloudFormation:ExecuteChangeSet')).toBe(0);
    expect(called('CloudFormation:DeleteChangeSet')).toBe(1);
  });

  it('GIVEN a change set replacing the table WHEN deploying THEN it refuses, deletes the change set and executes nothing', async () => {
    fake.bootstrap();
    await run();
    fake.nextChanges = [
      { Type: 'Resource', ResourceChange: { Action: 'Modify', LogicalResourceId: 'TodoTable', ResourceType: 'AWS::DynamoDB::Table', Replacement: 'True', Details: [{ Target: { Attribute: 'Properties', Name: 'KeySchema', RequiresRecreation: 'Always' } }] } },
    ];
    const execs = called('CloudFormation:ExecuteChangeSet');
    await expect(run({ target: target({}, ['throttleRate=77']) })).rejects.toMatchObject({ message: expect.stringContaining('would replace TodoTable (AWS::DynamoDB::Table)'), fix: expect.stringContaining('--allow-replace') });
    expect(called('CloudFormation:ExecuteChangeSet')).toBe(execs);
    expect(fake.changeSets.size).toBe(0);

    const { result, events } = await run({ target: target({}, ['throttleRate=77']), allowReplace: true });
    expect(result.outcome).toBe('deployed');
    expect(events.find((e) => e.type === 'changes')).toMatchObject({ refused: [{ logicalId: 'TodoTable' }] });
  });

  it('GIVEN --no-execute WHEN deploying THEN the change set is created and kept, and never executed', async () => {
    fake.bootstrap();
    const { result, questions } = await run({ mode: 'no-execute' });
    expect(result.outcome).toBe('change-set-created');
    expect(fake.changeSets.has(result.changeSetId!)).toBe(true);
    expect(called('CloudFormation:ExecuteChangeSet')).toBe(0);
    expect(questions).toEqual([]);
  });

  it('GIVEN diff mode WHEN there are changes THEN they are reported and the change set deleted', async () => {
    fake.bootstrap();
    const { result, events } = await run({ mode: 'diff' });
    expect(result.outcome).toBe('diffed');
    expect(result.changes!.length).toBeGreaterThan(40);
    expect(events.find((e) => e.type === 'changes')).toMatchObject({ widening: expect.arrayContaining([expect.objectContaining({ kind: 'iam' })]) });
    expect(fake.changeSets.size).toBe(0);
    expect(called('CloudFormation:ExecuteChangeSet')).toBe(0);
  });

  it('GIVEN a production stage WHEN deployed THEN termination protection is turned on', async () => {
    fake.bootstrap();
    await run({ target: target({ stackName: 'todo-prod', stage: 'prod', production: true }) });
    expect(fake.find('todo-prod')!.terminationProtection).toBe(true);
  });
});

describe('deploy: AWS trouble', () => {
  it('GIVEN DescribeStacks is throttled twice WHEN deploying THEN it retries with growing backoff and goes on', async () => {
    fake.bootstrap();
    const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
    fake.cfn.on(DescribeStacksCommand, { StackName: 'todo-dev' }).rejectsOnce(awsError('Throttling', 'Rate exceeded')).rejectsOnce(awsError('Throttling', 'Rate exceeded'));
    const session = testSession();
    const { result } = await run({}, session);
    expect(result.outcome).toBe('deployed');
    expect(session.sleeps.slice(0, 2)).toEqual([300, 600]);
  });

  it('GIVEN no credentials WHEN deploying THEN one line with the fix', async () => {
    fake.bootstrap();
    const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
    const err = new Error('Could not load credentials from any providers');
    err.name = 'CredentialsProviderError';
    fake.cfn.on(DescribeStacksCommand).rejects(err);
    await expect(run()).rejects.toMatchObject({ message: 'no AWS credentials found', fix: expect.stringContaining('aws configure') });
  });

  it('GIVEN access denied on CreateChangeSet WHEN deploying THEN the error names the permission', async () => {
    fake.bootstrap();
    const { CreateChangeSetCommand } = await import('@aws-sdk/client-cloudformation');
    fake.cfn.on(CreateChangeSetCommand).rejects(awsError('AccessDenied', 'User: arn:aws:iam::1:user/x is not authorized to perform: cloudformation:CreateChangeSet', 403));
    await expect(run()).rejects.toMatchObject({ message: expect.stringContaining('access denied: CloudFormation:CreateChangeSet in eu-west-1'), fix: expect.stringContaining('cloudformation:CreateChangeSet') });
  });
});

describe('deploy --hotswap', () => {
  function ownHandlers(): string {
    const copy = join(dir, 'handlers');
    cpSync(repoHandlers, copy, { recursive: true });
    return copy;
  }

  it('GIVEN a deployed stack WHEN only one handler changed THEN that function gets the new zip through Lambda, with no CloudFormation call', async () => {
    fake.bootstrap();
    const handlersDir = ownHandlers();
    await run({ handlersDir });
    appendFileSync(join(handlersDir, 'todo/get-todo.ts'), '\nexport const hotswapMarker = 1;\n');
    fake.cfn.resetHistory();
    fake.s3.resetHistory();

    const { result, session } = await run({ handlersDir, hotswap: true });
    expect(result.outcome).toBe('hotswapped');
    expect(result.hotswapped).toEqual(['GetTodoFunction']);
    expect(fake.callNames().filter((c) => !c.startsWith('Lambda:'))).toEqual([]);
    expect(session.calls).toEqual(['Lambda:GetFunction', 'Lambda:UpdateFunctionCode', 'Lambda:GetFunctionConfiguration']);
    expect(fake.functions.get('todo-dev-GetTodoFunction-PHYS')!.code).toBeDefined();
    expect(readDeployState(deployStateFile(dir, 'todo-dev', 'eu-west-1'))!.hotswapped).toBe(true);
  });

  it('GIVEN a template change WHEN --hotswap THEN it says why it cannot and runs a full deploy', async () => {
    fake.bootstrap();
    await run();
    const { result, events } = await run({ hotswap: true, target: target({}, ['throttleRate=77']) });
    expect(result.outcome).toBe('deployed');
    expect(events).toContainEqual({ type: 'note', message: 'hotswap not possible: the template or stack settings changed, not only Lambda code; running a full deploy' });
  });

  it('GIVEN the recorded function now belongs to another stack WHEN --hotswap THEN it does not touch it and deploys in full', async () => {
    fake.bootstrap();
    const handlersDir = ownHandlers();
    await run({ handlersDir });
    fake.functions.set('todo-dev-GetTodoFunction-PHYS', { stackName: 'someone-else', logicalId: 'GetTodoFunction' });
    writeFileSync(join(handlersDir, 'todo/get-todo.ts'), readFileSync(join(handlersDir, 'todo/get-todo.ts'), 'utf8') + '\nexport const m = 2;\n');
    const { result } = await run({ handlersDir, hotswap: true });
    expect(result.outcome).toBe('deployed');
    expect(called('Lambda:UpdateFunctionCode')).toBe(0);
  });
});

describe('deploy: what the review found', () => {
  it('GIVEN only the outputs differ WHEN deploying THEN the (resource-less) change set is executed, not dropped as "no changes"', async () => {
    fake.bootstrap();
    await run();
    const stack = fake.find('todo-dev')!;
    const old = JSON.parse(stack.templateBody!) as { Outputs: Record<string, unknown> };
    delete old.Outputs.Region;
    stack.templateBody = JSON.stringify(old);
    stack.outputs = { ApiUrl: 'https://x', ArchctlDeployHash: 'an-older-hash' };
    const { result } = await run();
    expect(result.outcome).toBe('deployed');
    expect(result.changes).toEqual([]);
    expect(called('CloudFormation:ExecuteChangeSet')).toBe(2);
    expect(fake.find('todo-dev')!.outputs).toHaveProperty('Region');
  });

  it('GIVEN RetainExceptOnCreate WHEN executing THEN it is sent, so a failed create leaves no retained orphans', async () => {
    fake.bootstrap();
    await run();
    const { ExecuteChangeSetCommand } = await import('@aws-sdk/client-cloudformation');
    expect(fake.cfn.commandCalls(ExecuteChangeSetCommand)[0]!.args[0].input.RetainExceptOnCreate).toBe(true);
  });

  it('GIVEN a production stack whose protection was turned off WHEN an unchanged deploy runs THEN protection is turned back on', async () => {
    fake.bootstrap();
    const prod = target({ stackName: 'todo-prod', stage: 'prod', production: true });
    await run({ target: prod });
    fake.find('todo-prod')!.terminationProtection = false;
    fake.cfn.resetHistory();
    fake.s3.resetHistory();
    const { result } = await run({ target: prod });
    expect(result.outcome).toBe('no-changes');
    expect(fake.callNames()).toEqual(['CloudFormation:DescribeStacks', 'CloudFormation:UpdateTerminationProtection']);
    expect(fake.find('todo-prod')!.terminationProtection).toBe(true);
  });

  it('GIVEN no terminal to confirm on a first deploy THEN the change set and the empty review stack are both removed', async () => {
    fake.bootstrap();
    const session = testSession();
    await expect(
      deploy(session, {
        target: target(),
        projectDir: dir,
        mode: 'deploy',
        confirm: async () => {
          throw new Error('no terminal');
        },
      }),
    ).rejects.toThrow('no terminal');
    expect(fake.changeSets.size).toBe(0);
    expect(fake.find('todo-dev')).toBeUndefined();
  });

  it.each(['declined', 'diff'])('GIVEN a new stack WHEN the first deploy is %s THEN no REVIEW_IN_PROGRESS stack is left behind', async (how) => {
    fake.bootstrap();
    await run(how === 'diff' ? { mode: 'diff' } : { answer: false });
    expect(fake.find('todo-dev')).toBeUndefined();
  });

  it('GIVEN a change set removing a stateful resource whose policy is Delete THEN it is refused; a retained one may go', async () => {
    fake.bootstrap();
    await run();
    fake.nextChanges = [{ Type: 'Resource', ResourceChange: { Action: 'Remove', LogicalResourceId: 'PaginationSecret', ResourceType: 'AWS::SecretsManager::Secret' } }];
    await expect(run({ target: target({}, ['throttleRate=77']) })).rejects.toMatchObject({ message: expect.stringContaining('would replace or delete PaginationSecret') });
    fake.nextChanges = [{ Type: 'Resource', ResourceChange: { Action: 'Remove', LogicalResourceId: 'TodoTable', ResourceType: 'AWS::DynamoDB::Table' } }];
    const { result } = await run({ target: target({}, ['throttleRate=77']) });
    expect(result.outcome).toBe('deployed');
  });
});

describe('deploy --hotswap: what the review found', () => {
  function ownHandlers(): string {
    const copy = join(dir, 'handlers');
    cpSync(repoHandlers, copy, { recursive: true });
    return copy;
  }

  it('GIVEN a production stage WHEN --hotswap THEN it is refused (exit 2) before any call', async () => {
    fake.bootstrap();
    await expect(run({ hotswap: true, target: target({ stackName: 'todo-prod', stage: 'prod', production: true }) })).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('--hotswap is refused on the production stage prod') });
    expect(fake.callNames()).toEqual([]);
  });

  it('GIVEN nothing changed WHEN --hotswap THEN the stack is asked (one call) and its outputs returned', async () => {
    fake.bootstrap();
    await run();
    fake.cfn.resetHistory();
    fake.s3.resetHistory();
    const { result } = await run({ hotswap: true });
    expect(result.outcome).toBe('no-changes');
    expect(result.outputs.ApiUrl).toBeDefined();
    expect(fake.callNames()).toEqual(['CloudFormation:DescribeStacks']);
  });

  it('GIVEN a hotswap WHEN it succeeds THEN the outputs of the last deploy are returned (for --outputs-file)', async () => {
    fake.bootstrap();
    const handlersDir = ownHandlers();
    await run({ handlersDir });
    appendFileSync(join(handlersDir, 'todo/get-todo.ts'), '\nexport const m = 3;\n');
    const { result } = await run({ handlersDir, hotswap: true });
    expect(result.outcome).toBe('hotswapped');
    expect(result.outputs.ApiUrl).toBeDefined();
  });

  it('GIVEN a hotswapped function and the change reverted WHEN a full deploy finds nothing to change THEN it still puts the shipped code back', async () => {
    fake.bootstrap();
    const handlersDir = ownHandlers();
    await run({ handlersDir });
    const original = readFileSync(join(handlersDir, 'todo/get-todo.ts'), 'utf8');
    const shipped = fake.functions.get('todo-dev-GetTodoFunction-PHYS')!.code!;
    appendFileSync(join(handlersDir, 'todo/get-todo.ts'), '\nexport const m = 4;\n');
    await run({ handlersDir, hotswap: true });
    expect(Buffer.compare(Buffer.from(fake.functions.get('todo-dev-GetTodoFunction-PHYS')!.code!), Buffer.from(shipped))).not.toBe(0);

    writeFileSync(join(handlersDir, 'todo/get-todo.ts'), original);
    const { result, events } = await run({ handlersDir });
    expect(result.outcome).toBe('no-changes');
    expect(Buffer.compare(Buffer.from(fake.functions.get('todo-dev-GetTodoFunction-PHYS')!.code!), Buffer.from(shipped))).toBe(0);
    expect(events.some((e) => e.type === 'note' && e.message.startsWith('GetTodoFunction: putting back the code'))).toBe(true);
    expect(readDeployState(deployStateFile(dir, 'todo-dev', 'eu-west-1'))!.hotswapped).toBe(false);
  });

  it('GIVEN GetFunction cannot return tags (no lambda:ListTags) WHEN --hotswap THEN it says so and deploys in full', async () => {
    fake.bootstrap();
    const handlersDir = ownHandlers();
    await run({ handlersDir });
    fake.hideTags = true;
    appendFileSync(join(handlersDir, 'todo/get-todo.ts'), '\nexport const m = 5;\n');
    const { result, events } = await run({ handlersDir, hotswap: true });
    expect(result.outcome).toBe('deployed');
    expect(events.find((e) => e.type === 'note')).toMatchObject({ message: expect.stringContaining('allow lambda:ListTags') });
  });
});

describe('following a stack operation', () => {
  it('GIVEN events revealed one per poll and pages of two WHEN deploying THEN every event of the operation is reported once, in order', async () => {
    fake.bootstrap();
    fake.revealPerPoll = 1;
    fake.pageSize = 2;
    const { events, session } = await run();
    const seen = events.flatMap((e) => (e.type === 'stack-event' ? [e.event] : []));
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(seen.length);
    expect(seen[0]).toMatchObject({ logicalId: 'todo-dev', status: 'CREATE_IN_PROGRESS' });
    expect(seen.at(-1)).toMatchObject({ logicalId: 'todo-dev', status: 'CREATE_COMPLETE' });
    expect(seen.map((e) => e.timestamp)).toEqual([...seen.map((e) => e.timestamp)].sort((a, b) => a - b));
    // At least one poll per event (each poll reads back only to the last event seen).
    expect(session.calls.filter((c) => c === 'CloudFormation:DescribeStackEvents').length).toBeGreaterThanOrEqual(seen.length);
    expect(session.sleeps.filter((ms) => ms === 5000).length).toBe(seen.length - 1);
  });
});
