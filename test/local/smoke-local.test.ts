// `archctl smoke` against the real local cloud (startLocalStack / startTemplate,
// as test/local/dev.test.ts runs it): the same SDK calls and HTTP requests it
// makes on AWS, with the endpoints pointed at the emulators. The local user
// pool has no AdminDeleteUser, so a small proxy in front of it answers that
// one operation (recording it) and forwards everything else.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalStack, startTemplate, type LocalStack } from '../../src/actions/dev.js';
import { renderPattern } from '../../src/actions/render.js';
import { runSmoke, SMOKE_OUTPUTS, type SmokeEvent, type SmokeOutputs } from '../../src/actions/smoke.js';
import { foreignIdentityId, OBJECT_NAME } from '../../src/actions/smoke-steps.js';
import type { JsonObject } from '../../src/core/types.js';
import { testSession } from '../support/aws.js';

// What the local services accept from archctl's own (deployer) calls.
const ADMIN = { accessKeyId: 'ARCHCTLLOCAL', secretAccessKey: 'archctl-local-secret' };
const work = mkdtempSync(join(tmpdir(), 'archctl-smoke-local-'));

interface CognitoCall {
  operation: string;
  input: Record<string, unknown>;
}

/** Forwards AWSCognitoIdentityProviderService calls to the local pool, answering AdminDeleteUser itself. */
async function cognitoProxy(target: string): Promise<{ url: string; calls: CognitoCall[]; server: Server }> {
  const calls: CognitoCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      calls.push({ operation, input: JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown> });
      if (operation === 'AdminDeleteUser') {
        res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
        res.end('{}');
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      fetch(target, { method: req.method ?? 'POST', headers, body })
        .then(async (r) => {
          const text = Buffer.from(await r.arrayBuffer());
          res.writeHead(r.status, { 'Content-Type': r.headers.get('content-type') ?? 'application/x-amz-json-1.1' });
          res.end(text);
        })
        .catch((err: unknown) => {
          res.writeHead(502);
          res.end(String(err));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, server };
}

interface Running {
  stack: LocalStack;
  outputs: SmokeOutputs;
  endpoints: { cognito: string; cognitoIdentity: string; s3: string };
  calls: CognitoCall[];
  server: Server;
}

async function running(stack: LocalStack): Promise<Running> {
  const o = stack.outputs;
  const proxy = await cognitoProxy(o.CognitoEndpoint!);
  const outputs = Object.fromEntries(SMOKE_OUTPUTS.map((k) => [k, o[k]!])) as SmokeOutputs;
  return { stack, outputs, endpoints: { cognito: proxy.url, cognitoIdentity: o.CognitoIdentityEndpoint!, s3: o.S3Endpoint! }, calls: proxy.calls, server: proxy.server };
}

/** The todo template with the identity pool role's S3 grant widened to the whole bucket: folder isolation broken. */
function brokenIsolationTemplate() {
  const { template } = renderPattern({ pattern: 'todo', parameters: {} });
  const role = template.Resources.AuthenticatedUserRole!;
  const statements = ((role.Properties!.Policies as JsonObject[])[0]!.PolicyDocument as JsonObject).Statement as JsonObject[];
  const own = statements.find((s) => s.Sid === 'OwnObjects')!;
  expect(JSON.stringify(own.Resource)).toContain('cognito-identity.amazonaws.com:sub');
  own.Resource = { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${UserFilesBucket}/*' };
  return template;
}

let good: Running;
let broken: Running;

beforeAll(async () => {
  // The deployer's calls (confirm, delete, S3 cleanup) sign with the SDK's default chain: the local admin key.
  vi.stubEnv('AWS_ACCESS_KEY_ID', ADMIN.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', ADMIN.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
  const [a, b] = await Promise.all([
    startLocalStack({ pattern: 'todo', parameters: {}, dir: join(work, 'good'), port: 0 }),
    startTemplate('todo', brokenIsolationTemplate(), { pattern: 'todo', parameters: {}, dir: join(work, 'broken'), port: 0 }),
  ]);
  [good, broken] = await Promise.all([running(a), running(b)]);
}, 30_000);

afterAll(async () => {
  for (const r of [good, broken]) {
    r?.server.close();
    await r?.stack.close();
  }
  vi.unstubAllEnvs();
  rmSync(work, { recursive: true, force: true });
});

describe('smoke on the local todo stack', () => {
  it('passes every step, in order, and deletes the temporary user by its sub', async () => {
    const events: SmokeEvent[] = [];
    const result = await runSmoke(testSession('us-east-1'), good.outputs, { endpoints: good.endpoints, onEvent: (e) => events.push(e) });
    expect(result.steps.filter((s) => !s.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => s.name)).toEqual([
      'signed up a temporary user',
      'signed in with USER_PASSWORD_AUTH',
      'API: POST /todos created a todo',
      'API: GET /todos listed it',
      'API: GET /todos/{id} returned it',
      'API: DELETE /todos/{id} deleted it',
      'API: a request without a token was refused',
      'identity pool gave the user temporary credentials',
      "S3: wrote and read the user's own folder",
      "S3: another identity's folder was denied",
      "S3: deleted the user's own object",
      'cleanup: deleted the temporary user',
    ]);
    expect(events.map((e) => e.name)).toEqual(result.steps.map((s) => s.name));
    expect(events.every((e) => e.type === 'step' && e.ms >= 0)).toBe(true);

    const username = result.steps[0]!.detail!;
    expect(username).toMatch(/^archctl-smoke-[0-9a-f]{12}@example\.invalid$/);
    // The user is confirmed and deleted by its sub (its permanent username in an email pool), the same one.
    const ops = good.calls.map((c) => c.operation);
    expect(ops).toEqual(['SignUp', 'AdminConfirmSignUp', 'InitiateAuth', 'AdminDeleteUser']);
    const [signUp, confirm, , remove] = good.calls;
    expect(signUp!.input.Username).toBe(username);
    expect(String(signUp!.input.Password)).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])(?=.*[^A-Za-z0-9]).{16,}$/);
    expect(confirm!.input.Username).toMatch(/^[0-9a-f-]{36}$/);
    expect(remove!.input).toEqual({ UserPoolId: good.outputs.UserPoolId, Username: confirm!.input.Username });
    expect(result.steps.find((s) => s.name.startsWith('identity pool'))!.detail).toMatch(/^identity us-east-1:[0-9a-f-]{36}$/);
  });

  it("fails when a user can write another identity's folder, and still removes what it wrote", async () => {
    const result = await runSmoke(testSession('us-east-1'), broken.outputs, { endpoints: broken.endpoints });
    expect(result.ok).toBe(false);
    const failed = result.steps.filter((s) => !s.ok);
    expect(failed.map((s) => s.name)).toEqual(["S3: another identity's folder was denied"]);
    expect(failed[0]!.detail).toMatch(/outside its own folder: folder isolation is broken/);
    // Cleanup ran: both objects (own and the foreign one) removed, then the user.
    const cleanup = result.steps.filter((s) => s.name.startsWith('cleanup:'));
    expect(cleanup.map((s) => [s.name, s.ok])).toEqual([
      ['cleanup: removed the test objects from S3', true],
      ['cleanup: deleted the temporary user', true],
    ]);
    expect(broken.calls.at(-1)!.operation).toBe('AdminDeleteUser');
    const foreignKey = `${foreignIdentityId(broken.outputs.IdentityPoolId)}/${OBJECT_NAME}`;
    expect(cleanup[0]!.detail).toContain(foreignKey);
    const admin = new S3Client({ region: 'us-east-1', endpoint: broken.endpoints.s3, forcePathStyle: true, credentials: ADMIN, maxAttempts: 1 });
    try {
      for (const key of [foreignKey, cleanup[0]!.detail!.split(', ')[0]!]) {
        expect(key).toMatch(new RegExp(`^us-east-1:[0-9a-f-]{36}/${OBJECT_NAME}$`));
        await expect(admin.send(new GetObjectCommand({ Bucket: broken.outputs.BucketName, Key: key }))).rejects.toMatchObject({ name: 'NoSuchKey' });
      }
    } finally {
      admin.destroy();
    }
  });

  it('fails at the identity pool step when IdentityPoolId names no pool, and still deletes the user', async () => {
    const outputs = { ...good.outputs, IdentityPoolId: 'us-east-1:11111111-2222-4333-8444-555555555555' };
    const result = await runSmoke(testSession('us-east-1'), outputs, { endpoints: good.endpoints });
    expect(result.ok).toBe(false);
    const failed = result.steps.filter((s) => !s.ok);
    expect(failed.map((s) => s.name)).toEqual(['identity pool gave the user temporary credentials']);
    expect(failed[0]!.detail).toMatch(/GetId/);
    expect(result.steps.at(-1)).toMatchObject({ name: 'cleanup: deleted the temporary user', ok: true });
  });
});
