// The local API Gateway on the rendered todo template (stage cache on), with
// the REAL todo handlers bundled by esbuild and run in the local Lambda runner
// against dynalite, and tokens signed by a locally generated RSA key.
import { build } from 'esbuild';
import { generateKeyPairSync, randomUUID, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPattern } from '../../src/actions/render.js';
import type { StackValues } from '../../src/core/intrinsics.js';
import type { CfnTemplate } from '../../src/core/types.js';
import { startApi, validateSchema, type LocalApi } from '../../src/local/apigw/index.js';
import { functionConfigFromTemplate, type LambdaFunctionConfig } from '../../src/local/lambda/index.js';
import { REGION, TABLE_NAME, startDynalite, type LocalDynamo } from '../support/dynalite.js';

const root = join(import.meta.dirname, '..', '..');
// Inside the project so the bundles' external packages resolve from node_modules.
const bundleDir = join(root, 'node_modules', '.cache', `archctl-apigw-test-${randomUUID()}`);

const ISSUER = 'http://127.0.0.1:9229/us-east-1_local';
const CLIENT_ID = 'local-client-id';
const KID = 'test-key-1';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...(publicKey.export({ format: 'jwk' }) as JsonWebKey), kid: KID, alg: 'RS256', use: 'sig' } as JsonWebKey;

let clock = Date.now();
const logs: string[] = [];

function token(claims: Record<string, unknown> = {}, key: KeyObject = privateKey): string {
  const nowS = Math.floor(clock / 1000);
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: KID })).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({
      sub: 'user-a',
      iss: ISSUER,
      aud: CLIENT_ID,
      token_use: 'id',
      auth_time: nowS,
      iat: nowS,
      exp: nowS + 3600,
      email: 'a@example.com',
      email_verified: true,
      ...claims,
    }),
  ).toString('base64url');
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), key).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

const stackValues: StackValues = {
  refs: { TodoTable: TABLE_NAME, PaginationSecret: 'arn:local:secret:pagination', TodoApi: 'localapi01', UserPool: 'us-east-1_local' },
  attributes: {},
  pseudo: { 'AWS::Region': REGION, 'AWS::AccountId': '123456789012', 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com', 'AWS::StackName': 'todo-local' },
};

const HANDLERS: Record<string, string> = {
  ListTodosFunction: 'list-todos',
  GetTodoFunction: 'get-todo',
  CreateTodoFunction: 'create-todo',
  UpdateTodoFunction: 'update-todo',
  DeleteTodoFunction: 'delete-todo',
};

let dynamo: LocalDynamo;
let template: CfnTemplate;
let functions: Record<string, LambdaFunctionConfig>;
let api: LocalApi;
let bare: LocalApi;
let lambda: { baseEnvironment: Record<string, string> };

async function call(path: string, init: { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> } = {}, base = api) {
  const headers: Record<string, string> = { ...init.headers };
  const t = init.token === undefined ? token() : init.token;
  if (t !== null) headers.Authorization = t;
  if (init.body !== undefined) headers['Content-Type'] ??= 'application/json';
  const res = await fetch(`${base.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

beforeAll(async () => {
  dynamo = await startDynalite();
  mkdirSync(bundleDir, { recursive: true });
  await build({
    entryPoints: Object.values(HANDLERS).map((h) => join(root, 'handlers', 'todo', `${h}.ts`)),
    outdir: bundleDir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  });
  // Fixtures for what the real handlers never do: crash, and echo the event.
  writeFileSync(join(bundleDir, 'crash.mjs'), `export async function handler() { process.exit(1); }`);
  writeFileSync(
    join(bundleDir, 'echo.mjs'),
    `export async function handler(event) { return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) }; }`,
  );

  template = renderPattern({ pattern: 'todo', parameters: { cache: 'apigw' } }).template;
  functions = {};
  for (const [id, file] of Object.entries(HANDLERS)) {
    const modulePath = join(bundleDir, id === 'UpdateTodoFunction' ? 'crash.mjs' : id === 'DeleteTodoFunction' ? 'echo.mjs' : `${file}.mjs`);
    functions[id] = functionConfigFromTemplate(template, id, stackValues, {
      modulePath,
      dynamicReference: (service) => (service === 'secretsmanager' ? 'local-pagination-secret-0123456789abcdef' : undefined),
    });
  }
  lambda = {
    baseEnvironment: {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: REGION,
    },
  };
  const authorizers = { TodoAuthorizer: { issuer: ISSUER, jwks: { keys: [jwk] }, clientIds: [CLIENT_ID] } };
  api = await startApi({ template, stackValues, functions, authorizers, now: () => clock, log: (l) => logs.push(l), lambda });

  // The same API without the template's gateway responses: API Gateway's own default bodies.
  const plain: CfnTemplate = {
    ...template,
    Resources: Object.fromEntries(Object.entries(template.Resources).filter(([, r]) => r.Type !== 'AWS::ApiGateway::GatewayResponse')),
  };
  bare = await startApi({ template: plain, stackValues, functions, authorizers, now: () => clock, log: (l) => logs.push(l), lambda });
}, 30_000);

afterAll(async () => {
  await Promise.all([api?.close(), bare?.close()]);
  await dynamo?.close();
  rmSync(bundleDir, { recursive: true, force: true });
});

describe('routing and CORS', () => {
  it('serves the API under the stage name', () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/prod$/);
  });

  it('answers CORS preflights from the MOCK integration without a token', async () => {
    const r = await call('/todos', { method: 'OPTIONS', token: null });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
    expect(r.headers.get('access-control-max-age')).toBe('600');
    const item = await call('/todos/abc', { method: 'OPTIONS', token: null });
    expect(item.headers.get('access-control-allow-methods')).toBe('GET,PUT,DELETE,OPTIONS');
  });

  it('answers 403 Missing Authentication Token for unknown routes, methods and stages', async () => {
    for (const [path, method] of [['/nope', 'GET'], ['/todos/a/b', 'GET'], ['/todos/abc', 'POST'], ['/', 'GET']] as const) {
      const r = await call(path, { method });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.json).toMatchObject({ code: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' });
      expect(r.json.requestId).toBe(r.headers.get('x-amzn-requestid'));
      // The template's DEFAULT_4XX headers, quotes stripped.
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
    const wrongStage = await fetch(api.url.replace(/\/prod$/, '/dev/todos'));
    expect(wrongStage.status).toBe(403);
  });

  it('keeps a request target that starts with // a path: //host/prod/todos is no route, not /prod/todos', async () => {
    const { port } = new URL(api.url);
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end('GET //evil/prod/todos HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      let data = '';
      socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 403 Forbidden');
    expect(head).toContain('Missing Authentication Token');
  });

  it("uses API Gateway's own bodies when the template has no gateway responses", async () => {
    const missing = await call('/nope', {}, bare);
    expect(missing.status).toBe(403);
    expect(missing.json).toEqual({ message: 'Missing Authentication Token' });
    const unauth = await call('/todos', { token: null }, bare);
    expect(unauth.status).toBe(401);
    expect(unauth.json).toEqual({ message: 'Unauthorized' });
    const invalid = await call('/todos', { method: 'POST', body: { title: 'x', extra: 1 } }, bare);
    expect(invalid.status).toBe(400);
    expect(invalid.json).toEqual({ message: 'Invalid request body' });
    const crash = await call('/todos/abc', { method: 'PUT', body: { version: 1, title: 'x' } }, bare);
    expect(crash.status).toBe(502);
    expect(crash.json).toEqual({ message: 'Internal server error' });
  });
});

describe('Cognito authorizer', () => {
  const cases: [string, string | null][] = [
    ['no token', null],
    ['garbage', 'not-a-jwt'],
    ['wrong signature', token({}, other.privateKey)],
    ['expired', token({ exp: Math.floor(clock / 1000) - 10 })],
    ['wrong audience', token({ aud: 'someone-else' })],
    ['access token', token({ token_use: 'access', aud: undefined, client_id: CLIENT_ID })],
    ['wrong issuer', token({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other' })],
  ];
  for (const [name, t] of cases) {
    it(`answers 401 Unauthorized for ${name}`, async () => {
      const before = api.invocations('ListTodosFunction');
      const r = await call('/todos', { token: t });
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ code: 'UNAUTHORIZED', message: 'Unauthorized' });
      expect(api.invocations('ListTodosFunction')).toBe(before);
    });
  }
});

describe('the todo API through the gateway', () => {
  it('creates, gets and lists todos with the real handlers', async () => {
    const auth = token({ sub: 'alice' });
    const created = await call('/todos', { method: 'POST', token: auth, body: { title: 'buy milk' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ title: 'buy milk', done: false });
    const id = created.json.id as string;
    expect(id).toBeTruthy();
    expect(created.headers.get('location')).toBe(`/prod/todos/${id}`);

    const got = await call(`/todos/${id}`, { token: auth });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ id, title: 'buy milk' });

    const list = await call('/todos', { token: auth });
    expect(list.status).toBe(200);
    expect(list.json.items.map((t: { id: string }) => t.id)).toEqual([id]);

    // Another user cannot read it.
    expect((await call(`/todos/${id}`, { token: token({ sub: 'mallory' }) })).status).toBe(404);
  });

  it('rejects a body the model does not allow with 400 before the function runs', async () => {
    const before = api.invocations('CreateTodoFunction');
    for (const body of [{ title: 'x', extra: 1 }, { notes: 'no title' }, { title: '' }, { title: 'x', dueDate: 'tomorrow' }, '{"title":"x","__proto__":{}}', 'not json']) {
      const r = await call('/todos', { method: 'POST', body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json).toMatchObject({ code: 'BAD_REQUEST_BODY', message: 'Invalid request body' });
    }
    expect(api.invocations('CreateTodoFunction')).toBe(before);
  });

  it('builds the proxy event in API Gateway REST shape', async () => {
    const r = await call('/todos/some%20id?x=1&x=2&y=z', { method: 'DELETE', token: token({ sub: 'event-user', 'cognito:groups': ['a', 'b'] }), headers: { 'X-Custom': 'v' } });
    expect(r.status).toBe(200);
    const event = r.json;
    expect(event).toMatchObject({
      resource: '/todos/{id}',
      path: '/todos/some id',
      httpMethod: 'DELETE',
      pathParameters: { id: 'some id' },
      queryStringParameters: { x: '2', y: 'z' },
      multiValueQueryStringParameters: { x: ['1', '2'], y: ['z'] },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: {
        resourcePath: '/todos/{id}',
        httpMethod: 'DELETE',
        path: '/prod/todos/some id',
        stage: 'prod',
        accountId: '123456789012',
        apiId: 'localapi01',
        protocol: 'HTTP/1.1',
        identity: { sourceIp: '127.0.0.1' },
      },
    });
    expect(event.headers['X-Custom']).toBe('v');
    expect(event.multiValueHeaders['X-Custom']).toEqual(['v']);
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof event.requestContext.requestTimeEpoch).toBe('number');
    const claims = event.requestContext.authorizer.claims;
    expect(claims.sub).toBe('event-user');
    expect(claims.email_verified).toBe('true');
    expect(claims['cognito:groups']).toBe('a,b');
    expect(typeof claims.auth_time).toBe('string');
    expect(claims.exp).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
  });

  it('answers 502 Internal server error when the function crashes', async () => {
    const r = await call('/todos/abc', { method: 'PUT', body: { version: 1, title: 'x' } });
    expect(r.status).toBe(502);
    expect(r.json).toMatchObject({ code: 'DEFAULT_5XX', message: 'Internal server error' });
    expect(logs.some((l) => l.includes('UpdateTodoFunction') && l.includes('Crash'))).toBe(true);
  });
});

describe('stage cache', () => {
  it('serves a repeated GET from the cache until the TTL, per user', async () => {
    const carol = token({ sub: 'carol' });
    const count = () => api.invocations('ListTodosFunction');
    const created = await call('/todos', { method: 'POST', token: carol, body: { title: 'first' } });
    expect(created.status).toBe(201);

    const before = count();
    const first = await call('/todos', { token: carol });
    expect(first.json.items).toHaveLength(1);
    expect(count()).toBe(before + 1);
    const second = await call('/todos', { token: carol });
    expect(count()).toBe(before + 1);
    expect(second.text).toBe(first.text);

    // A write does not invalidate the stage cache (as on AWS): still the old list.
    await call('/todos', { method: 'POST', token: carol, body: { title: 'second' } });
    expect((await call('/todos', { token: carol })).json.items).toHaveLength(1);
    expect(count()).toBe(before + 1);

    // Another cache key parameter (limit) is another entry.
    await call('/todos?limit=1', { token: carol });
    expect(count()).toBe(before + 2);

    // Another user never sees carol's cached list.
    const dave = await call('/todos', { token: token({ sub: 'dave' }) });
    expect(dave.json.items).toEqual([]);
    expect(count()).toBe(before + 3);

    // After the TTL (60 s in the template) the function runs again. The
    // token is re-signed: the cache key is the Authorization header.
    clock += 61_000;
    const fresh = await call('/todos', { token: carol });
    expect(count()).toBe(before + 4);
    expect(fresh.json.items).toHaveLength(2);
  });

  it('caches GET /todos/{id} keyed by the path parameter', async () => {
    const erin = token({ sub: 'erin' });
    const a = (await call('/todos', { method: 'POST', token: erin, body: { title: 'a' } })).json.id as string;
    const b = (await call('/todos', { method: 'POST', token: erin, body: { title: 'b' } })).json.id as string;
    const before = api.invocations('GetTodoFunction');
    expect((await call(`/todos/${a}`, { token: erin })).json.title).toBe('a');
    expect((await call(`/todos/${b}`, { token: erin })).json.title).toBe('b');
    expect((await call(`/todos/${a}`, { token: erin })).json.title).toBe('a');
    expect(api.invocations('GetTodoFunction')).toBe(before + 2);
  });

  it('caches nothing when the template has no stage cache (cache=none)', async () => {
    const none = renderPattern({ pattern: 'todo', parameters: { cache: 'none' } }).template;
    const authorizers = { TodoAuthorizer: { issuer: ISSUER, jwks: { keys: [jwk] }, clientIds: [CLIENT_ID] } };
    const uncached = await startApi({ template: none, stackValues, functions, authorizers, now: () => clock, log: (l) => logs.push(l), lambda });
    try {
      const echo = await call('/todos/x', { method: 'DELETE', headers: { 'Cache-Control': 'max-age=0' } }, uncached);
      expect(echo.status).toBe(200);
      await call('/todos/x', { method: 'DELETE' }, uncached);
      expect(uncached.invocations('DeleteTodoFunction')).toBe(2);
      const list = () => call('/todos', { headers: { 'Cache-Control': 'max-age=0' } }, uncached);
      await list();
      await list();
      expect(uncached.invocations('ListTodosFunction')).toBe(2);
    } finally {
      await uncached.close();
    }
    // Closed means closed: nothing listens any more.
    await expect(fetch(`${uncached.url}/todos`)).rejects.toThrow();
  });

  it('refuses Cache-Control: max-age=0 from a caller without invalidation rights with 403', async () => {
    const before = api.invocations('ListTodosFunction');
    const r = await call('/todos', { headers: { 'Cache-Control': 'max-age=0' } });
    expect(r.status).toBe(403);
    expect(api.invocations('ListTodosFunction')).toBe(before);
    // Uncached methods ignore the header.
    const created = await call('/todos', { method: 'POST', body: { title: 'x' }, headers: { 'Cache-Control': 'max-age=0' } });
    expect(created.status).toBe(201);
  });
});

describe('request model validation (draft-04 subset)', () => {
  const schema = {
    type: 'object',
    additionalProperties: false,
    required: ['version'],
    minProperties: 2,
    properties: { title: { type: 'string', minLength: 1, maxLength: 3 }, version: { type: 'integer', minimum: 1 }, kind: { enum: ['a', 'b'] } },
  };
  it.each([
    [{ version: 1, title: 'abc' }, true],
    [{ version: 1 }, false],
    [{ version: 0, title: 'a' }, false],
    [{ version: 1.5, title: 'a' }, false],
    [{ version: 1, title: 'abcd' }, false],
    [{ version: 1, kind: 'c' }, false],
    [{ version: 1, kind: 'a' }, true],
    [[], false],
  ])('%j valid: %s', (value, valid) => {
    expect(validateSchema(value, schema) === undefined).toBe(valid);
  });
});
