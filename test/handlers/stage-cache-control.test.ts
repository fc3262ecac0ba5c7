// The StageCacheControl custom resource's code (inlined into the template as
// Code.ZipFile): API Gateway mocked with aws-sdk-client-mock (no AWS here),
// CloudFormation's presigned ResponseURL served by a real local HTTP server.
import { APIGatewayClient, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

process.env.RETRY_BASE_MS = '1';
const require = createRequire(import.meta.url);
const { handler } = require('../../handlers/todo/stage-cache-control.cjs') as {
  handler(event: Record<string, unknown>, context: { logStreamName: string }): Promise<void>;
};

const api = mockClient(APIGatewayClient);
let server: Server;
let url = '';
let answers: { method: string; contentType: string | undefined; body: Record<string, string> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      answers.push({ method: req.method ?? '', contentType: req.headers['content-type'], body: JSON.parse(text) as Record<string, string> });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/presigned`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  api.reset();
  answers = [];
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

const patchOperations = [
  { op: 'replace', path: '/*/*/caching/requireAuthorizationForCacheControl', value: 'true' },
  { op: 'replace', path: '/*/*/caching/unauthorizedCacheControlHeaderStrategy', value: 'FAIL_WITH_403' },
];
const event = (RequestType: string, extra: Record<string, unknown> = {}) => ({
  RequestType,
  ResponseURL: url,
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/todo/1',
  RequestId: 'req-1',
  LogicalResourceId: 'StageCacheControl',
  ResourceProperties: { ServiceToken: 'arn:x', RestApiId: 'abc123', StageName: 'prod', PatchOperations: patchOperations },
  ...extra,
});
const context = { logStreamName: '2026/11/28/[$LATEST]x' };

describe('StageCacheControl custom resource', () => {
  it('fits the 4,096 characters CloudFormation has long allowed for inline code (Code.ZipFile)', () => {
    expect(readFileSync(new URL('../../handlers/todo/stage-cache-control.cjs', import.meta.url), 'utf8').length).toBeLessThanOrEqual(4096);
  });

  it('GIVEN Create WHEN API Gateway accepts THEN it patches the stage and answers SUCCESS', async () => {
    api.on(UpdateStageCommand).resolves({});
    await handler(event('Create'), context);
    expect(api.commandCalls(UpdateStageCommand).map((c) => c.args[0].input)).toEqual([{ restApiId: 'abc123', stageName: 'prod', patchOperations }]);
    expect(answers).toEqual([
      {
        method: 'PUT',
        contentType: '',
        body: { Status: 'SUCCESS', Reason: expect.stringContaining('see log stream') as string, PhysicalResourceId: 'abc123/prod/cache-control', StackId: expect.any(String) as string, RequestId: 'req-1', LogicalResourceId: 'StageCacheControl' },
      },
    ]);
  });

  it('GIVEN Update THEN it keeps the physical id and patches again', async () => {
    api.on(UpdateStageCommand).resolves({});
    await handler(event('Update', { PhysicalResourceId: 'abc123/prod/cache-control' }), context);
    expect(api.commandCalls(UpdateStageCommand)).toHaveLength(1);
    expect(answers[0]!.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'abc123/prod/cache-control' });
  });

  it('GIVEN Delete THEN it changes nothing and answers SUCCESS', async () => {
    await handler(event('Delete', { PhysicalResourceId: 'abc123/prod/cache-control' }), context);
    expect(api.commandCalls(UpdateStageCommand)).toHaveLength(0);
    expect(answers[0]!.body.Status).toBe('SUCCESS');
  });

  it('GIVEN the stage is busy THEN it retries conflicts and succeeds', async () => {
    const conflict = Object.assign(new Error('stage is being updated'), { name: 'ConflictException' });
    api.on(UpdateStageCommand).rejectsOnce(conflict).rejectsOnce(conflict).resolves({});
    await handler(event('Create'), context);
    expect(api.commandCalls(UpdateStageCommand)).toHaveLength(3);
    expect(answers[0]!.body.Status).toBe('SUCCESS');
  });

  it('GIVEN API Gateway refuses THEN it answers FAILED with the reason, once', async () => {
    api.on(UpdateStageCommand).rejects(Object.assign(new Error('Invalid patch path'), { name: 'BadRequestException' }));
    await handler(event('Create'), context);
    expect(api.commandCalls(UpdateStageCommand)).toHaveLength(1);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.body).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^BadRequestException: Invalid patch path/) as string });
  });

  it('GIVEN malformed properties THEN it still answers (FAILED), so the stack never hangs', async () => {
    await handler(event('Create', { ResourceProperties: {} }), context);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.body.Status).toBe('FAILED');
  });
});
