import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { readLogs, type LogsEvent, type LogsRequest } from '../../src/actions/logs.js';
import { renderPattern } from '../../src/actions/render.js';
import { shortName } from '../../src/core/function-names.js';
import { awsError, testSession } from '../support/aws.js';
import { runInProcess } from '../support/in-process.js';

const cfn = mockClient(CloudFormationClient);
const logs = mockClient(CloudWatchLogsClient);
const STACK_ID = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/todo-dev/1';
const NOW = Date.UTC(2026, 0, 2, 12, 0, 0);
const LIST_GROUP = 'todo-dev-ListTodosLogGroup-1A2B3C';
const target = { stackName: 'todo-dev', region: 'eu-west-1', stage: 'dev' };
const cli = (...args: string[]) => runInProcess(['logs', ...args, '--stack-name', 'todo-dev', '--region', 'eu-west-1'], { cwd: mkdtempSync(join(tmpdir(), 'archctl-logs-')) });

function request(extra: Partial<LogsRequest> & { seen?: LogsEvent[] } = {}): LogsRequest {
  const seen = extra.seen ?? [];
  return { target, functionName: 'ListTodos', sinceMs: 600_000, follow: false, now: () => NOW, onEvent: (e) => seen.push(e), ...extra };
}

const resource = (LogicalResourceId: string, ResourceType: string, PhysicalResourceId?: string) => ({
  LogicalResourceId,
  ResourceType,
  ...(PhysicalResourceId ? { PhysicalResourceId } : {}),
  ResourceStatus: 'CREATE_COMPLETE',
  LastUpdatedTimestamp: new Date(),
});

/** The todo stack as ListStackResources pages it: two pages, functions and their log groups. */
function givenStack() {
  cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'todo-dev', StackId: STACK_ID, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }] } as never);
  cfn
    .on(ListStackResourcesCommand)
    .resolvesOnce({
      StackResourceSummaries: [
        resource('ListTodosFunction', 'AWS::Lambda::Function', 'todo-dev-ListTodosFunction-AbC'),
        resource('GetTodoFunction', 'AWS::Lambda::Function', 'todo-dev-GetTodoFunction-DeF'),
        resource('GetTodoLogGroup', 'AWS::Logs::LogGroup', 'todo-dev-GetTodoLogGroup-4D5E6F'),
      ],
      NextToken: 'res-2',
    } as never)
    .resolvesOnce({
      StackResourceSummaries: [resource('ListTodosLogGroup', 'AWS::Logs::LogGroup', LIST_GROUP), resource('DeleteTodoFunction', 'AWS::Lambda::Function'), resource('TodoTable', 'AWS::DynamoDB::Table', 'todo-dev-TodoTable-X')],
    } as never);
}

const ev = (id: string, offsetMs: number, message = `message ${id}\n`): FilteredLogEvent => ({ eventId: id, timestamp: NOW + offsetMs, logStreamName: '2026/01/02/[$LATEST]abc', message, ingestionTime: NOW + offsetMs + 100 });
const printed = (seen: LogsEvent[]) => seen.flatMap((e) => (e.type === 'log' ? [e.event.eventId] : []));
const filterInputs = () => logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input);

beforeEach(() => {
  cfn.reset();
  logs.reset();
});

describe('readLogs: which function', () => {
  it.each(['ListTodos', 'ListTodosFunction', 'list-todos', 'LISTTODOS'])('GIVEN the argument %j THEN ListTodosFunction and its own log group are read', async (arg) => {
    givenStack();
    logs.on(FilterLogEventsCommand).resolves({ events: [] });
    const seen: LogsEvent[] = [];
    const result = await readLogs(testSession(), request({ functionName: arg, seen }));
    expect(result).toEqual({ logicalId: 'ListTodosFunction', logGroup: LIST_GROUP, events: 0, missing: false, truncated: false });
    expect(seen[0]).toEqual({ type: 'resolved', logicalId: 'ListTodosFunction', functionName: 'todo-dev-ListTodosFunction-AbC', logGroup: LIST_GROUP, startTime: NOW - 600_000 });
    expect(filterInputs()).toEqual([{ logGroupName: LIST_GROUP, startTime: NOW - 600_000 }]);
  });

  it('GIVEN an unknown function THEN a usage error lists the functions, and no logs are read', async () => {
    givenStack();
    await expect(readLogs(testSession(), request({ functionName: 'list-todo' }))).rejects.toMatchObject({
      message: 'no function "list-todo" in todo-dev',
      fix: 'name one of ListTodos, GetTodo, DeleteTodo (the kebab-case form, such as list-todos, works too)',
      exitCode: 2,
    });
    expect(logs.calls()).toHaveLength(0);
  });

  it('GIVEN a function not created yet THEN the error says to deploy', async () => {
    givenStack();
    await expect(readLogs(testSession(), request({ functionName: 'delete-todo' }))).rejects.toMatchObject({
      message: 'DeleteTodoFunction has not been created in todo-dev (the stack is UPDATE_COMPLETE)',
      fix: 'deploy the stack with archctl deploy --stage dev',
    });
  });

  it("GIVEN no stack THEN the no-stack error, before any resource is listed", async () => {
    cfn.on(DescribeStacksCommand).rejects(awsError('ValidationError', 'Stack with id todo-dev does not exist'));
    await expect(readLogs(testSession(), request())).rejects.toMatchObject({ message: 'no stack todo-dev in eu-west-1' });
    expect(cfn.commandCalls(ListStackResourcesCommand)).toHaveLength(0);
  });

  it.each([
    { name: 'default', parameters: {} },
    { name: 'cache-none', parameters: { cache: 'none' } },
    { name: 'cache-both', parameters: { cache: 'both' } },
  ])("every function of the rendered todo template ($name) logs to the <Name>LogGroup logs looks for", ({ parameters }) => {
    const { template } = renderPattern({ pattern: 'todo', parameters });
    const functions = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const [id, fn] of functions) {
      const group = `${shortName(id)}LogGroup`;
      expect((fn.Properties as { LoggingConfig?: { LogGroup?: unknown } }).LoggingConfig?.LogGroup, id).toEqual({ Ref: group });
      expect(template.Resources[group]?.Type, group).toBe('AWS::Logs::LogGroup');
    }
  });
});

describe('readLogs: reading', () => {
  it('GIVEN events on several pages THEN all are read in order, with the filter pattern passed through', async () => {
    givenStack();
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [ev('a', -500_000), ev('b', -400_000)], nextToken: 't2' })
      // The search spans many streams: a page may be empty and still lead on.
      .resolvesOnce({ events: [], nextToken: 't3' })
      .resolvesOnce({ events: [ev('c', -1_000)] });
    const seen: LogsEvent[] = [];
    const result = await readLogs(testSession(), request({ sinceMs: 3_600_000, filterPattern: '?ERROR ?WARN', seen }));
    expect(printed(seen)).toEqual(['a', 'b', 'c']);
    expect(result.events).toBe(3);
    const base = { logGroupName: LIST_GROUP, startTime: NOW - 3_600_000, filterPattern: '?ERROR ?WARN' };
    expect(filterInputs()).toEqual([base, { ...base, nextToken: 't2' }, { ...base, nextToken: 't3' }]);
  });

  it('GIVEN more events than the limit THEN the read stops there and says so', async () => {
    givenStack();
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [ev('a', 1), ev('b', 2)], nextToken: 't2' })
      .resolvesOnce({ events: [ev('c', 3), ev('d', 4)], nextToken: 't3' });
    const seen: LogsEvent[] = [];
    const result = await readLogs(testSession(), request({ limit: 3, seen }));
    expect(printed(seen)).toEqual(['a', 'b', 'c']);
    expect(result).toMatchObject({ events: 3, truncated: true });
    expect(logs.calls()).toHaveLength(2);
  });

  it('GIVEN exactly the limit and no more pages THEN nothing is truncated', async () => {
    givenStack();
    logs.on(FilterLogEventsCommand).resolves({ events: [ev('a', 1), ev('b', 2)] });
    const result = await readLogs(testSession(), request({ limit: 2 }));
    expect(result).toMatchObject({ events: 2, truncated: false });
  });

  it('GIVEN no log group THEN "no logs yet", missing, and no error', async () => {
    givenStack();
    logs.on(FilterLogEventsCommand).rejects(awsError('ResourceNotFoundException', 'The specified log group does not exist.'));
    const seen: LogsEvent[] = [];
    const result = await readLogs(testSession(), request({ seen }));
    expect(result).toMatchObject({ missing: true, events: 0 });
    expect(seen.at(-1)).toEqual({ type: 'no-log-group', logicalId: 'ListTodos', logGroup: LIST_GROUP, following: false });
  });

  it("GIVEN a function THEN its own log group is read, else Lambda's default group", async () => {
    givenStack();
    logs.on(FilterLogEventsCommand).resolves({ events: [] });
    const result = await readLogs(testSession(), request({ functionName: 'GetTodo' }));
    expect(result.logGroup).toBe('todo-dev-GetTodoLogGroup-4D5E6F');
    cfn.reset();
    logs.reset();
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'todo-dev', StackId: STACK_ID, StackStatus: 'CREATE_COMPLETE', CreationTime: new Date() }] } as never);
    cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [resource('WorkerFunction', 'AWS::Lambda::Function', 'todo-dev-WorkerFunction-Q')] } as never);
    logs.on(FilterLogEventsCommand).resolves({ events: [] });
    expect((await readLogs(testSession(), request({ functionName: 'worker' }))).logGroup).toBe('/aws/lambda/todo-dev-WorkerFunction-Q');
  });
});

describe('readLogs: --follow', () => {
  it('GIVEN new events while following THEN each is printed once, polls every 2 s from just before the newest, and an abort after two polls ends it', async () => {
    givenStack();
    const stop = new AbortController();
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [ev('a', -60_000), ev('b', -1_000)] })
      // A poll reads again from 10 s before the newest event: b comes back and must not print twice.
      .resolvesOnce({ events: [ev('b', -1_000), ev('c', 1_000)] })
      .callsFakeOnce(() => {
        stop.abort();
        return { events: [ev('c', 1_000), ev('d', 3_000)] };
      });
    const s = testSession();
    const seen: LogsEvent[] = [];
    const result = await readLogs(s, request({ follow: true, signal: stop.signal, seen }));
    expect(printed(seen)).toEqual(['a', 'b', 'c', 'd']);
    expect(seen.filter((e) => e.type === 'following')).toHaveLength(1);
    expect(result).toMatchObject({ events: 4, missing: false });
    expect(s.sleeps).toEqual([2000, 2000]);
    expect(filterInputs().map((i) => i.startTime)).toEqual([NOW - 600_000, NOW - 1_000 - 10_000, NOW + 1_000 - 10_000]);
    expect(logs.calls()).toHaveLength(3);
  });

  it('GIVEN no log group yet THEN following waits for it, saying so once, and prints its first events', async () => {
    givenStack();
    const stop = new AbortController();
    const missing = awsError('ResourceNotFoundException', 'The specified log group does not exist.');
    logs
      .on(FilterLogEventsCommand)
      .rejectsOnce(missing)
      .rejectsOnce(missing)
      .callsFakeOnce(() => {
        stop.abort();
        return { events: [ev('first', 5_000)] };
      });
    const seen: LogsEvent[] = [];
    const result = await readLogs(testSession(), request({ follow: true, signal: stop.signal, seen }));
    expect(seen.filter((e) => e.type === 'no-log-group')).toEqual([{ type: 'no-log-group', logicalId: 'ListTodos', logGroup: LIST_GROUP, following: true }]);
    expect(printed(seen)).toEqual(['first']);
    expect(result.missing).toBe(false);
    // Before any event, each poll reads from the start of the window.
    expect(filterInputs().map((i) => i.startTime)).toEqual([NOW - 600_000, NOW - 600_000, NOW - 600_000]);
  });

  it('GIVEN a call cut short by the abort THEN following ends without an error', async () => {
    givenStack();
    const stop = new AbortController();
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [] })
      .callsFakeOnce(() => {
        stop.abort();
        const err = new Error('The operation was aborted');
        err.name = 'AbortError';
        throw err;
      });
    const result = await readLogs(testSession(), request({ follow: true, signal: stop.signal }));
    expect(result.events).toBe(0);
  });
});

describe('archctl logs', () => {
  it('prints "<ISO time> <message>" lines on stdout from --since ago, with --filter passed through', async () => {
    givenStack();
    logs.on(FilterLogEventsCommand).resolves({ events: [ev('a', -2_000, 'START RequestId: 1\n'), ev('b', -1_000, 'ERROR boom\n  at handler\n')] });
    const before = Date.now();
    const r = await cli('list-todos', '--since', '1h', '--filter', 'ERROR');
    const after = Date.now();
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${new Date(NOW - 2_000).toISOString()} START RequestId: 1\n${new Date(NOW - 1_000).toISOString()} ERROR boom\n  at handler\n`);
    const input = filterInputs()[0]!;
    expect(input.filterPattern).toBe('ERROR');
    expect(input.startTime).toBeGreaterThanOrEqual(before - 3_600_000);
    expect(input.startTime).toBeLessThanOrEqual(after - 3_600_000);
    expect(r.err).toContain(`ListTodosFunction (todo-dev-ListTodosFunction-AbC): ${LIST_GROUP}, since 1h, matching ERROR`);
  });

  it('--json prints one object per line', async () => {
    givenStack();
    logs.on(FilterLogEventsCommand).resolves({ events: [ev('a', -2_000, 'one\n'), ev('b', -1_000, '{"level":"info"}')] });
    const r = await cli('ListTodos', '--json');
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { timestamp: new Date(NOW - 2_000).toISOString(), logStream: '2026/01/02/[$LATEST]abc', message: 'one' },
      { timestamp: new Date(NOW - 1_000).toISOString(), logStream: '2026/01/02/[$LATEST]abc', message: '{"level":"info"}' },
    ]);
  });

  it('a function that never ran: the note on stderr, exit 0', async () => {
    givenStack();
    logs.on(FilterLogEventsCommand).rejects(awsError('ResourceNotFoundException', 'The specified log group does not exist.'));
    const r = await cli('ListTodos');
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toContain('no logs yet for ListTodos: it has not run since it was deployed\n');
  });

  it('an unknown function: exit 2, one line listing the names', async () => {
    givenStack();
    const r = await cli('nope');
    expect(r).toEqual({ code: 2, out: '', err: 'error: no function "nope" in todo-dev (fix: name one of ListTodos, GetTodo, DeleteTodo (the kebab-case form, such as list-todos, works too))\n' });
  });

  it('a --since without a unit: exit 2 before any call', async () => {
    const r = await cli('ListTodos', '--since', '10');
    expect(r).toEqual({ code: 2, out: '', err: 'error: --since 10 has no unit (fix: add one, such as 10m for minutes or 10s for seconds)\n' });
    expect(cfn.calls()).toHaveLength(0);
  });

  it('--follow stops on SIGINT with exit 0 and leaves no signal handler behind', async () => {
    givenStack();
    const listeners = process.listenerCount('SIGINT');
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [ev('a', -1_000, 'one\n')] })
      .callsFakeOnce(() => {
        process.emit('SIGINT', 'SIGINT');
        return { events: [ev('b', 0, 'two\n')] };
      });
    const r = await cli('ListTodos', '--follow');
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split('\n').map((l) => l.split(' ')[1])).toEqual(['one', 'two']);
    expect(r.err).toContain('following new events (Ctrl-C stops)');
    expect(logs.calls()).toHaveLength(2);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });
});
