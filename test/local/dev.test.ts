// `archctl dev`: the rendered todo template brought up in-process by
// startLocalStack, exercised end to end with the REAL AWS SDK clients
// (Cognito, Cognito Identity, S3 with identity-pool credentials) and HTTP to
// the emulated API; then the CLI as a process, stopped by SIGTERM.
import { AdminConfirmSignUpCommand, CognitoIdentityProviderClient, InitiateAuthCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, startTemplate, type LocalStack } from '../../src/actions/dev.js';
import { renderPattern } from '../../src/actions/render.js';
import { cliPath } from '../support/run-cli.js';

const ADMIN = { accessKeyId: 'ARCHCTLLOCAL', secretAccessKey: 'archctl-local-secret' };
const work = mkdtempSync(join(tmpdir(), 'archctl-dev-test-'));

/** Whether something accepts TCP connections at the URL's port. */
function portOpen(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface User {
  email: string;
  idToken: string;
  identityId: string;
  s3: S3Client;
}

let stack: LocalStack;
let o: Record<string, string>;
let alice: User;
let bob: User;
const clients: { destroy(): void }[] = [];

async function api(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${o.ApiUrl}${path}`, {
    method,
    headers: { Authorization: token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as any };
}

async function user(email: string): Promise<User> {
  const password = 'Local-cloud-test-1!';
  const idp = new CognitoIdentityProviderClient({ region: o.Region, endpoint: o.CognitoEndpoint, credentials: ADMIN });
  const identity = new CognitoIdentityClient({ region: o.Region, endpoint: o.CognitoIdentityEndpoint, credentials: ADMIN });
  clients.push(idp, identity);
  await idp.send(new SignUpCommand({ ClientId: o.UserPoolClientId, Username: email, Password: password, UserAttributes: [{ Name: 'email', Value: email }] }));
  await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: o.UserPoolId!, Username: email }));
  const auth = await idp.send(new InitiateAuthCommand({ ClientId: o.UserPoolClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } }));
  const idToken = auth.AuthenticationResult!.IdToken!;
  const Logins = { [`cognito-idp.${o.Region}.amazonaws.com/${o.UserPoolId}`]: idToken };
  const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: o.IdentityPoolId, Logins }));
  const { Credentials } = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
  const s3 = new S3Client({
    region: o.Region,
    endpoint: o.S3Endpoint,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretKey!, sessionToken: Credentials!.SessionToken! },
  });
  clients.push(s3);
  return { email, idToken, identityId: IdentityId!, s3 };
}

beforeAll(async () => {
  stack = await startLocalStack({ pattern: 'todo', parameters: {}, dir: work, port: 0 });
  o = stack.outputs;
  [alice, bob] = await Promise.all([user('alice@example.com'), user('bob@example.com')]);
}, 30_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  await stack?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('startLocalStack on the todo template (cache=apigw)', () => {
  it('resolves every output of the template and adds the local endpoints', () => {
    expect(Object.keys(o).sort()).toEqual(
      ['ApiUrl', 'BucketName', 'CognitoEndpoint', 'CognitoIdentityEndpoint', 'DynamoDBEndpoint', 'IdentityPoolId', 'Region', 'S3Endpoint', 'TableName', 'UserPoolClientId', 'UserPoolId'].sort(),
    );
    expect(o.ApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/prod$/);
    expect(o.UserPoolId).toMatch(/^us-east-1_[A-Za-z0-9]+$/);
    expect(o.IdentityPoolId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(o.TableName).toBe('todo-todotable');
    expect(o.BucketName).toBe('todo-userfilesbucket');
    expect(o.Region).toBe('us-east-1');
  });

  it("isolates todos: B neither lists nor gets A's", async () => {
    const created = await api('POST', '/todos', alice.idToken, { title: 'only for alice' });
    expect(created.status).toBe(201);
    const listA = await api('GET', '/todos', alice.idToken);
    expect(listA.json.items.map((t: { id: string }) => t.id)).toContain(created.json.id);
    expect((await api('GET', '/todos', bob.idToken)).json.items).toEqual([]);
    expect((await api('GET', `/todos/${created.json.id}`, bob.idToken)).status).toBe(404);
    expect((await api('GET', `/todos/${created.json.id}`, alice.idToken)).status).toBe(200);
  });

  it("refuses A's pagination token replayed by B with a 400", async () => {
    for (const title of ['page 1', 'page 2', 'page 3']) expect((await api('POST', '/todos', alice.idToken, { title })).status).toBe(201);
    const page = await api('GET', '/todos?limit=1', alice.idToken);
    expect(page.status).toBe(200);
    expect(typeof page.json.nextToken).toBe('string');
    const replay = await api('GET', `/todos?limit=1&nextToken=${encodeURIComponent(page.json.nextToken)}`, bob.idToken);
    expect(replay.status).toBe(400);
    expect(replay.json.code).toBe('InvalidNextToken');
    const next = await api('GET', `/todos?limit=1&nextToken=${encodeURIComponent(page.json.nextToken)}`, alice.idToken);
    expect(next.status).toBe(200);
  });

  it('serves a repeated list from the stage cache, per caller', async () => {
    const before = stack.api.invocations('ListTodosFunction');
    const first = await api('GET', '/todos?limit=7', bob.idToken);
    const second = await api('GET', '/todos?limit=7', bob.idToken);
    expect(second.json).toEqual(first.json);
    expect(stack.api.invocations('ListTodosFunction')).toBe(before + 1);
    // Another caller, same query: its own cache entry, its own answer.
    await api('GET', '/todos?limit=7', alice.idToken);
    expect(stack.api.invocations('ListTodosFunction')).toBe(before + 2);
  });

  it("gives each user their own folder: AccessDenied on the other's", async () => {
    const key = `${alice.identityId}/hello.txt`;
    await alice.s3.send(new PutObjectCommand({ Bucket: o.BucketName, Key: key, Body: 'hello' }));
    const got = await alice.s3.send(new GetObjectCommand({ Bucket: o.BucketName, Key: key }));
    expect(await got.Body!.transformToString()).toBe('hello');
    await expect(bob.s3.send(new GetObjectCommand({ Bucket: o.BucketName, Key: key }))).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(bob.s3.send(new PutObjectCommand({ Bucket: o.BucketName, Key: `${alice.identityId}/x.txt`, Body: 'x' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    await bob.s3.send(new PutObjectCommand({ Bucket: o.BucketName, Key: `${bob.identityId}/mine.txt`, Body: 'bob' }));
  });

  it('refuses a template with resource types it cannot run, naming them', async () => {
    const { template } = renderPattern({ pattern: 'todo', parameters: {} });
    template.Resources.Queue = { Type: 'AWS::SQS::Queue' };
    template.Resources.Topic = { Type: 'AWS::SNS::Topic' };
    await expect(startTemplate('todo', template, { pattern: 'todo', parameters: {}, dir: work })).rejects.toThrow(
      /unsupported resource types AWS::SNS::Topic, AWS::SQS::Queue/,
    );
  });

  it('accepts the other cache settings (DAX runs as plain DynamoDB locally)', async () => {
    const dax = await startLocalStack({ pattern: 'todo', parameters: { cache: 'both' }, dir: work, port: 0 });
    try {
      expect(dax.outputs.ApiUrl).toMatch(/^http:/);
    } finally {
      await dax.close();
    }
  }, 15_000);
});

describe('close()', () => {
  it('leaves no port open', async () => {
    const s = await startLocalStack({ pattern: 'todo', parameters: {}, dir: work, port: 0 });
    const urls = ['ApiUrl', 'CognitoEndpoint', 'CognitoIdentityEndpoint', 'S3Endpoint', 'DynamoDBEndpoint'].map((k) => s.outputs[k]!);
    for (const url of urls) expect(await portOpen(url), url).toBe(true);
    await s.close();
    for (const url of urls) expect(await portOpen(url), url).toBe(false);
  }, 15_000);
});

describe('archctl dev as a process', () => {
  it('writes the outputs file, then stops on SIGTERM with exit code 0 and closes its ports', async () => {
    const outputsFile = join(work, 'cli', 'outputs.json');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
    const child = spawn(process.execPath, [cliPath, 'dev', 'todo', '--dir', work, '--port', '0', '--outputs-file', outputsFile, '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const started = Date.now();
    while (!existsSync(outputsFile) && child.exitCode === null && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(outputsFile), stderr).toBe(true);
    const outputs = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, string>;
    expect(outputs.ApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/prod$/);
    // The API answers (401 without a token) before the stop.
    expect((await fetch(`${outputs.ApiUrl}/todos`)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 50)); // stdout is written just after the file
    expect(JSON.parse(stdout)).toEqual(outputs);
    for (const key of ['ApiUrl', 'CognitoEndpoint', 'S3Endpoint']) expect(stderr).toContain(outputs[key]);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('stopped');
    for (const key of ['ApiUrl', 'CognitoEndpoint', 'CognitoIdentityEndpoint', 'S3Endpoint', 'DynamoDBEndpoint']) expect(await portOpen(outputs[key]!), key).toBe(false);
  }, 20_000);

  it('refuses a bad --port as a usage error', async () => {
    const child = spawn(process.execPath, [cliPath, 'dev', 'todo', '--port', 'http'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--port http is not a port number/);
  });
});
