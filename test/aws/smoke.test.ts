// `archctl smoke` on mocked AWS: Cognito, Cognito Identity and S3 through
// aws-sdk-client-mock (S3 plays IAM: the user's credentials reach only their
// own folder), the todo API as a stubbed global fetch.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runSmoke, SMOKE_COGNITO_ACTIONS, smokeStack, temporaryPassword, temporaryUsername, type SmokeOutputs } from '../../src/actions/smoke.js';
import { awsError, testSession } from '../support/aws.js';
import { runInProcess } from '../support/in-process.js';

const cfn = mockClient(CloudFormationClient);
const idp = mockClient(CognitoIdentityProviderClient);
const identity = mockClient(CognitoIdentityClient);
const s3 = mockClient(S3Client);

const OUTPUTS: SmokeOutputs = {
  ApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
  UserPoolId: 'eu-west-1_AbCdEf123',
  UserPoolClientId: 'client0000000000000000001',
  IdentityPoolId: 'eu-west-1:11111111-2222-4333-8444-555555555555',
  BucketName: 'todo-dev-userfilesbucket-1a2b3c',
  TableName: 'todo-dev-TodoTable-XYZ',
};
const SUB = '9f0c5a4e-0000-4000-8000-000000000001';
const ID_TOKEN = 'eyJ.id-token.sig';
const IDENTITY_ID = 'eu-west-1:aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const DEPLOYER = { accessKeyId: 'AKIADEPLOYER', secretAccessKey: 'deployer-secret' };
const USER_CREDENTIALS = { AccessKeyId: 'ASIAUSERKEY', SecretKey: 'user-secret', SessionToken: 'user-session-token', Expiration: new Date('2030-01-01T00:00:00Z') };

interface ApiCall {
  method: string;
  path: string;
  auth: string | null;
}

/** The todo API as API Gateway with a Cognito authorizer answers it; `override` changes one route's answer. */
function givenApi(override?: (method: string, path: string) => Response | undefined) {
  const todos = new Map<string, { id: string; title: string; done: boolean }>();
  const calls: ApiCall[] = [];
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    const u = new URL(url);
    expect(u.origin + u.pathname.slice(0, 5)).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com/prod');
    expect(init.signal).toBeInstanceOf(AbortSignal);
    const path = u.pathname.slice('/prod'.length);
    const method = init.method ?? 'GET';
    const auth = new Headers(init.headers).get('authorization');
    calls.push({ method, path, auth });
    const special = override?.(method, path);
    if (special) return special;
    if (auth !== ID_TOKEN) return json(401, { message: 'Unauthorized' });
    const id = /^\/todos\/([^/]+)$/.exec(path)?.[1];
    if (method === 'POST' && path === '/todos') {
      const todo = { id: '01JTODO0000000000000000001', title: JSON.parse(String(init.body)).title as string, done: false };
      todos.set(todo.id, todo);
      return json(201, todo);
    }
    if (method === 'GET' && path === '/todos') return json(200, { items: [...todos.values()], nextToken: null });
    if (method === 'GET' && id) return todos.has(id) ? json(200, todos.get(id)) : json(404, { code: 'NotFound' });
    if (method === 'DELETE' && id) return todos.delete(id) ? new Response(null, { status: 204 }) : json(404, { code: 'NotFound' });
    return json(403, { message: 'Missing Authentication Token' });
  });
  vi.stubGlobal('fetch', fetch);
  return { calls, todos, fetch };
}

interface S3Call {
  op: 'put' | 'get' | 'delete';
  key: string;
  versionId?: string | undefined;
  /** The access key the request was signed with: the user's, or undefined for the deployer's. */
  user: string | undefined;
}

/**
 * S3 on a versioned bucket, with IAM's answer for the identity pool role: the
 * user's credentials reach only `<identity id>/`, unless `isolation` is broken.
 */
function givenS3(o: { isolation?: 'broken'; deployerDelete?: Error } = {}) {
  const objects = new Map<string, string>();
  const calls: S3Call[] = [];
  let version = 0;
  // Who signed: the identity pool's credentials, or the deployer's (the SDK's default chain: DEPLOYER below).
  const caller = async (getClient: () => unknown): Promise<string | undefined> => {
    const creds = await ((getClient() as S3Client).config.credentials as () => Promise<{ accessKeyId: string; sessionToken?: string }>)();
    if (creds.accessKeyId === DEPLOYER.accessKeyId) return undefined;
    expect(creds).toMatchObject({ accessKeyId: USER_CREDENTIALS.AccessKeyId, secretAccessKey: USER_CREDENTIALS.SecretKey, sessionToken: USER_CREDENTIALS.SessionToken });
    return creds.accessKeyId;
  };
  const allowed = (user: string | undefined, key: string) => user === undefined || key.startsWith(`${IDENTITY_ID}/`) || o.isolation === 'broken';
  s3.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput, getClient) => {
    const user = await caller(getClient);
    calls.push({ op: 'put', key: input.Key!, user });
    expect(input.Bucket).toBe(OUTPUTS.BucketName);
    if (!allowed(user, input.Key!)) throw awsError('AccessDenied', 'Access Denied', 403);
    objects.set(input.Key!, String(input.Body));
    return { VersionId: `v${++version}` };
  });
  s3.on(GetObjectCommand).callsFake(async (input, getClient) => {
    const user = await caller(getClient);
    calls.push({ op: 'get', key: input.Key!, user });
    const body = objects.get(input.Key!);
    if (body === undefined) throw awsError('NoSuchKey', 'The specified key does not exist.', 404);
    return { Body: { transformToString: async () => body } } as never;
  });
  s3.on(DeleteObjectCommand).callsFake(async (input, getClient) => {
    const user = await caller(getClient);
    calls.push({ op: 'delete', key: input.Key!, versionId: input.VersionId, user });
    if (user === undefined && o.deployerDelete) throw o.deployerDelete;
    if (!allowed(user, input.Key!)) throw awsError('AccessDenied', 'Access Denied', 403);
    objects.delete(input.Key!);
    return input.VersionId ? { VersionId: input.VersionId } : { VersionId: `v${++version}`, DeleteMarker: true };
  });
  return { objects, calls };
}

/** A todo pool that signs users in with a password (mfa=optional); AdminCreateUser answers as AWS does in a pool that signs in by email. */
function givenCognito(signIn: 'tokens' | 'mfa' = 'tokens') {
  idp.on(AdminCreateUserCommand).callsFake((input: { Username: string }) => ({
    User: {
      Username: SUB,
      Attributes: [
        { Name: 'sub', Value: SUB },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'email', Value: input.Username },
      ],
      UserCreateDate: new Date(),
      UserLastModifiedDate: new Date(),
      Enabled: true,
      UserStatus: 'FORCE_CHANGE_PASSWORD',
    },
  }));
  idp.on(AdminSetUserPasswordCommand).resolves({});
  idp.on(InitiateAuthCommand).resolves(
    signIn === 'tokens'
      ? { AuthenticationResult: { IdToken: ID_TOKEN, AccessToken: 'access', RefreshToken: 'refresh', ExpiresIn: 3600, TokenType: 'Bearer' }, ChallengeParameters: {} }
      : { ChallengeName: 'MFA_SETUP', Session: 'session', ChallengeParameters: {} },
  );
  idp.on(AdminDeleteUserCommand).resolves({});
  identity.on(GetIdCommand).resolves({ IdentityId: IDENTITY_ID });
  identity.on(GetCredentialsForIdentityCommand).resolves({ IdentityId: IDENTITY_ID, Credentials: USER_CREDENTIALS });
}

const names = (r: { steps: { name: string; ok: boolean }[] }) => r.steps.map((s) => `${s.ok ? 'ok' : 'FAILED'} ${s.name}`);

beforeEach(() => {
  for (const m of [cfn, idp, identity, s3]) m.reset();
  // The deployer's credentials, as the SDK's default chain finds them first.
  vi.stubEnv('AWS_ACCESS_KEY_ID', DEPLOYER.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', DEPLOYER.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe('the temporary user', () => {
  it('has an email username on .invalid and a password with every character class, different each time', () => {
    const [a, b] = [temporaryUsername(), temporaryUsername()];
    expect(a).toMatch(/^archctl-smoke-[0-9a-f]{12}@example\.invalid$/);
    expect(a).not.toBe(b);
    const p = temporaryPassword();
    expect(p.length).toBeGreaterThanOrEqual(16);
    for (const cls of [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/]) expect(p).toMatch(cls);
    expect(temporaryPassword()).not.toBe(p);
  });
});

describe('runSmoke', () => {
  it('GIVEN a healthy stack WHEN smoke runs THEN every check passes, S3 is called with the identity pool credentials, and nothing is left', async () => {
    givenCognito();
    const api = givenApi();
    const bucket = givenS3();

    const result = await runSmoke(testSession(), OUTPUTS);

    expect(names(result)).toEqual([
      'ok created a temporary user (no email sent)',
      'ok signed in with USER_PASSWORD_AUTH',
      'ok API: POST /todos created a todo',
      'ok API: GET /todos listed it',
      'ok API: GET /todos/{id} returned it',
      'ok API: DELETE /todos/{id} deleted it',
      'ok API: a request without a token was refused',
      'ok identity pool gave the user temporary credentials',
      "ok S3: wrote and read the user's own folder",
      "ok S3: another identity's folder was denied",
      "ok S3: deleted the user's own object",
      'ok cleanup: removed the test objects from S3',
      'ok cleanup: deleted the temporary user',
    ]);
    expect(result.ok).toBe(true);
    // Cognito: only admin calls make the user (no SignUp, so no email); the email is the username, verified, and no message
    // is sent; later admin calls name the user by its sub; the permanent password is the one it signs in with.
    expect(idp.calls().map((c) => c.args[0].constructor.name)).toEqual(['AdminCreateUserCommand', 'AdminSetUserPasswordCommand', 'InitiateAuthCommand', 'AdminDeleteUserCommand']);
    const created = idp.commandCalls(AdminCreateUserCommand)[0]!.args[0].input;
    expect(created.Username).toMatch(/^archctl-smoke-[0-9a-f]{12}@example\.invalid$/);
    expect(created).toEqual({
      UserPoolId: OUTPUTS.UserPoolId,
      Username: created.Username,
      UserAttributes: [
        { Name: 'email', Value: created.Username },
        { Name: 'email_verified', Value: 'true' },
      ],
      MessageAction: 'SUPPRESS',
    });
    const password = idp.commandCalls(AdminSetUserPasswordCommand)[0]!.args[0].input;
    expect(password).toEqual({ UserPoolId: OUTPUTS.UserPoolId, Username: SUB, Password: expect.stringMatching(/^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])(?=.*[^A-Za-z0-9]).{16,}$/), Permanent: true });
    expect(idp.commandCalls(InitiateAuthCommand)[0]!.args[0].input).toEqual({
      ClientId: OUTPUTS.UserPoolClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: created.Username, PASSWORD: password.Password },
    });
    expect(idp.commandCalls(AdminDeleteUserCommand).map((c) => c.args[0].input)).toEqual([{ UserPoolId: OUTPUTS.UserPoolId, Username: SUB }]);
    // Identity pool: the user pool's provider name as the login.
    const logins = { [`cognito-idp.eu-west-1.amazonaws.com/${OUTPUTS.UserPoolId}`]: ID_TOKEN };
    expect(identity.commandCalls(GetIdCommand)[0]!.args[0].input).toEqual({ IdentityPoolId: OUTPUTS.IdentityPoolId, Logins: logins });
    expect(identity.commandCalls(GetCredentialsForIdentityCommand)[0]!.args[0].input).toEqual({ IdentityId: IDENTITY_ID, Logins: logins });
    // API: the ID token on every call but the one checking the authorizer.
    expect(api.calls.map((c) => `${c.method} ${c.path} ${c.auth === ID_TOKEN ? 'token' : 'none'}`)).toEqual([
      'POST /todos token',
      'GET /todos token',
      'GET /todos/01JTODO0000000000000000001 token',
      'DELETE /todos/01JTODO0000000000000000001 token',
      'GET /todos none',
    ]);
    // S3: the checks as the user; the versions (the put and the delete marker) purged by the deployer.
    const own = `${IDENTITY_ID}/archctl-smoke.txt`;
    const foreign = 'eu-west-1:00000000-0000-0000-0000-000000000000/archctl-smoke.txt';
    expect(bucket.calls).toEqual([
      { op: 'put', key: own, user: 'ASIAUSERKEY' },
      { op: 'get', key: own, user: 'ASIAUSERKEY' },
      { op: 'put', key: foreign, user: 'ASIAUSERKEY' },
      { op: 'delete', key: own, versionId: undefined, user: 'ASIAUSERKEY' },
      { op: 'delete', key: own, versionId: 'v1', user: undefined },
      { op: 'delete', key: own, versionId: 'v2', user: undefined },
    ]);
    expect(bucket.objects.size).toBe(0);
    expect(api.todos.size).toBe(0);
  });

  it('GIVEN a pool that requires MFA WHEN smoke signs in THEN that step fails plainly, nothing else runs, and the user is still deleted', async () => {
    givenCognito('mfa');
    const api = givenApi();
    givenS3();

    const result = await runSmoke(testSession(), OUTPUTS);

    expect(result.ok).toBe(false);
    expect(names(result)).toEqual(['ok created a temporary user (no email sent)', 'FAILED signed in with USER_PASSWORD_AUTH', 'ok cleanup: deleted the temporary user']);
    expect(result.steps[1]!.detail).toBe('the pool requires MFA; smoke cannot sign in (Cognito asked for MFA_SETUP)');
    expect(idp.commandCalls(AdminDeleteUserCommand)).toHaveLength(1);
    expect(api.fetch).not.toHaveBeenCalled();
    expect(identity.calls()).toHaveLength(0);
  });

  it("GIVEN a role that can write another identity's folder WHEN smoke runs THEN that check fails, and both objects are removed", async () => {
    givenCognito();
    givenApi();
    const bucket = givenS3({ isolation: 'broken' });

    const result = await runSmoke(testSession(), OUTPUTS);

    expect(result.ok).toBe(false);
    const failed = result.steps.filter((s) => !s.ok);
    expect(failed.map((s) => s.name)).toEqual(["S3: another identity's folder was denied"]);
    expect(failed[0]!.detail).toContain('folder isolation is broken');
    // The own object (never deleted by the user: the checks stopped) and the foreign one, each version purged.
    expect(bucket.calls.filter((c) => c.user === undefined).map((c) => `${c.key}@${c.versionId}`)).toEqual([
      `${IDENTITY_ID}/archctl-smoke.txt@v1`,
      'eu-west-1:00000000-0000-0000-0000-000000000000/archctl-smoke.txt@v2',
    ]);
    expect(bucket.objects.size).toBe(0);
    expect(result.steps.at(-1)).toMatchObject({ name: 'cleanup: deleted the temporary user', ok: true });
  });

  it('GIVEN the deployer may not create users WHEN smoke runs THEN that step names every Cognito permission smoke needs, and cleanup finds no user', async () => {
    givenCognito();
    const api = givenApi();
    givenS3();
    idp.on(AdminCreateUserCommand).rejects(awsError('AccessDeniedException', 'User is not authorized to perform: cognito-idp:AdminCreateUser', 400));
    idp.on(AdminDeleteUserCommand).rejects(awsError('UserNotFoundException', 'User does not exist.', 400));

    const result = await runSmoke(testSession(), OUTPUTS);

    expect(names(result)).toEqual(['FAILED created a temporary user (no email sent)', 'ok cleanup: deleted the temporary user']);
    expect(result.steps[0]!.detail).toBe(
      'access denied: CognitoIdentityProvider:AdminCreateUser in eu-west-1 (User is not authorized to perform: cognito-idp:AdminCreateUser); ' +
        `smoke needs cognito-idp:AdminCreateUser, cognito-idp:AdminSetUserPassword, cognito-idp:AdminDeleteUser on pool ${OUTPUTS.UserPoolId}`,
    );
    expect(SMOKE_COGNITO_ACTIONS).toEqual(['cognito-idp:AdminCreateUser', 'cognito-idp:AdminSetUserPassword', 'cognito-idp:AdminDeleteUser']);
    // The sub never came back: cleanup names the user by its email, which Cognito resolves in a pool that signs in by email.
    const username = idp.commandCalls(AdminCreateUserCommand)[0]!.args[0].input.Username!;
    expect(idp.commandCalls(AdminDeleteUserCommand).map((c) => c.args[0].input)).toEqual([{ UserPoolId: OUTPUTS.UserPoolId, Username: username }]);
    expect(result.steps[1]!.detail).toBe(`${username} was not there (AdminCreateUser had not created it)`);
    expect(idp.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
    expect(idp.commandCalls(InitiateAuthCommand)).toHaveLength(0);
    expect(api.fetch).not.toHaveBeenCalled();
  });

  it('GIVEN the deployer may create users but not set passwords WHEN smoke runs THEN that step fails, nothing signs in, and the created user is deleted by its sub', async () => {
    givenCognito();
    givenApi();
    givenS3();
    idp.on(AdminSetUserPasswordCommand).rejects(awsError('AccessDeniedException', 'User is not authorized to perform: cognito-idp:AdminSetUserPassword', 400));

    const result = await runSmoke(testSession(), OUTPUTS);

    expect(names(result)).toEqual(['FAILED created a temporary user (no email sent)', 'ok cleanup: deleted the temporary user']);
    expect(result.steps[0]!.detail).toMatch(/^access denied: CognitoIdentityProvider:AdminSetUserPassword in eu-west-1 .*; smoke needs cognito-idp:AdminCreateUser, cognito-idp:AdminSetUserPassword, cognito-idp:AdminDeleteUser on pool /);
    expect(idp.commandCalls(InitiateAuthCommand)).toHaveLength(0);
    expect(idp.commandCalls(AdminDeleteUserCommand).map((c) => c.args[0].input)).toEqual([{ UserPoolId: OUTPUTS.UserPoolId, Username: SUB }]);
  });

  it('GIVEN the deployer may not delete users WHEN cleanup runs THEN it fails, saying what is left and how to remove it', async () => {
    givenCognito();
    givenApi();
    givenS3();
    idp.on(AdminDeleteUserCommand).rejects(awsError('AccessDeniedException', 'User is not authorized to perform: cognito-idp:AdminDeleteUser', 400));

    const result = await runSmoke(testSession(), OUTPUTS);

    expect(result.ok).toBe(false);
    expect(result.steps.filter((s) => !s.ok).map((s) => s.name)).toEqual(['cleanup: deleted the temporary user']);
    const detail = result.steps.at(-1)!.detail!;
    expect(detail).toContain('access denied: CognitoIdentityProvider:AdminDeleteUser in eu-west-1');
    expect(detail).toContain(`Left behind: user ${idp.commandCalls(AdminCreateUserCommand)[0]!.args[0].input.Username} (${SUB}) in pool ${OUTPUTS.UserPoolId}`);
    expect(detail).toContain(`aws cognito-idp admin-delete-user --user-pool-id ${OUTPUTS.UserPoolId} --username ${SUB} --region eu-west-1`);
  });

  it('GIVEN an API that fails to delete WHEN smoke runs THEN the todo cleanup retries, and names the table item left behind', async () => {
    givenCognito();
    const api = givenApi((method) => (method === 'DELETE' ? new Response('{"code":"InternalError"}', { status: 500 }) : undefined));
    const bucket = givenS3({ deployerDelete: awsError('AccessDenied', 'Access Denied', 403) });

    const result = await runSmoke(testSession(), OUTPUTS);

    expect(result.steps.filter((s) => !s.ok).map((s) => s.name)).toEqual([
      'API: DELETE /todos/{id} deleted it',
      'cleanup: deleted the todo',
      'cleanup: removed the test objects from S3',
    ]);
    // The API failure did not stop the independent checks.
    expect(result.steps.find((s) => s.name === "S3: deleted the user's own object")?.ok).toBe(true);
    expect(api.calls.filter((c) => c.method === 'DELETE')).toHaveLength(2);
    const todo = result.steps.find((s) => s.name === 'cleanup: deleted the todo')!.detail!;
    expect(todo).toBe(
      `DELETE /todos/01JTODO0000000000000000001 gave 500. Left behind: todo 01JTODO0000000000000000001 of user ${SUB}; remove it with: ` +
        `aws dynamodb delete-item --table-name ${OUTPUTS.TableName} --key '{"userId":{"S":"${SUB}"},"todoId":{"S":"01JTODO0000000000000000001"}}' --region eu-west-1`,
    );
    const objects = result.steps.find((s) => s.name === 'cleanup: removed the test objects from S3')!.detail!;
    expect(objects).toContain(`aws s3api delete-object --bucket ${OUTPUTS.BucketName} --key ${IDENTITY_ID}/archctl-smoke.txt --version-id v1 --region eu-west-1`);
    expect(objects).toContain('--version-id v2');
    expect(bucket.calls.filter((c) => c.user === undefined)).toHaveLength(2);
    // The user is deleted all the same.
    expect(result.steps.at(-1)).toMatchObject({ name: 'cleanup: deleted the temporary user', ok: true });
  });

  it('GIVEN an API that does not answer WHEN smoke runs THEN the step says so after the timeout', async () => {
    givenCognito();
    givenS3();
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        await new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
        throw new Error('unreachable');
      }),
    );

    const result = await runSmoke(testSession(), OUTPUTS, { apiTimeoutMs: 20 });

    expect(result.steps.find((s) => s.name === 'API: POST /todos created a todo')).toMatchObject({
      ok: false,
      detail: `POST /todos had no answer within 0.02 s (${OUTPUTS.ApiUrl})`,
    });
    expect(result.steps.find((s) => s.name === 'API: a request without a token was refused')?.ok).toBe(false);
  });
});

describe('smokeStack', () => {
  const described = (name: string, outputs: Record<string, string>, status = 'UPDATE_COMPLETE') =>
    ({
      Stacks: [{ StackName: name, StackId: `arn:aws:cloudformation:eu-west-1:123456789012:stack/${name}/1`, StackStatus: status, CreationTime: new Date(), Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) }],
    }) as never;

  it('GIVEN a stack without the todo outputs THEN one line names the missing ones, before any user is made', async () => {
    cfn.on(DescribeStacksCommand).resolves(described('blog-dev', { ApiUrl: OUTPUTS.ApiUrl, UserPoolId: OUTPUTS.UserPoolId, UserPoolClientId: OUTPUTS.UserPoolClientId }));
    await expect(smokeStack(testSession(), { stackName: 'blog-dev', stage: 'dev' })).rejects.toMatchObject({
      message: 'stack blog-dev has no IdentityPoolId, BucketName outputs: smoke checks the todo pattern only',
      exitCode: 2,
    });
    expect(idp.calls()).toHaveLength(0);
  });

  it('GIVEN a stack still updating THEN it asks to wait', async () => {
    cfn.on(DescribeStacksCommand).resolves(described('todo-dev', OUTPUTS as unknown as Record<string, string>, 'UPDATE_IN_PROGRESS'));
    await expect(smokeStack(testSession(), { stackName: 'todo-dev', stage: 'dev' })).rejects.toMatchObject({ message: 'stack todo-dev is UPDATE_IN_PROGRESS', exitCode: 1 });
    expect(idp.calls()).toHaveLength(0);
  });
});

describe('archctl smoke', () => {
  const todoStack = {
    Stacks: [{ StackName: 'todo-dev', StackId: 'id', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(), Outputs: Object.entries(OUTPUTS).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) }],
  } as never;
  const cli = (...extra: string[]) =>
    runInProcess(['smoke', '--stack-name', 'todo-dev', '--region', 'eu-west-1', ...extra], { cwd: mkdtempSync(join(tmpdir(), 'archctl-smoke-')) });

  it('GIVEN no stack THEN one error line with the fix to deploy it, exit 1', async () => {
    cfn.on(DescribeStacksCommand).rejects(awsError('ValidationError', 'Stack with id todo-dev does not exist'));
    const r = await cli();
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('error: no stack todo-dev in eu-west-1 (fix: deploy it with archctl deploy --stage dev (or check --stack-name/--region))\n');
    expect(idp.calls()).toHaveLength(0);
  });

  it('GIVEN a healthy stack THEN a line per step on stderr, nothing on stdout, and exit 0', async () => {
    cfn.on(DescribeStacksCommand).resolves(todoStack);
    givenCognito();
    givenApi();
    givenS3();

    const r = await cli();

    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 13 + 1);
    expect(lines.slice(1, -1).every((l) => /^✔ .+ \(\d+ ms\)/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('✔ smoke passed: 13 steps against todo-dev, temporary user removed');
  });

  it('GIVEN a pool that requires MFA THEN each step is a line on stderr, the result is JSON on stdout, and the last line names the failure', async () => {
    cfn.on(DescribeStacksCommand).resolves(todoStack);
    givenCognito('mfa');
    givenApi();

    const r = await cli('--json');

    expect(r.code).toBe(1);
    const lines = r.err.trimEnd().split('\n');
    expect(lines[0]).toBe('smoke: checking todo-dev in eu-west-1 with a temporary user (removed at the end)');
    expect(lines[1]).toMatch(/^✔ created a temporary user \(no email sent\) \(\d+ ms\): archctl-smoke-[0-9a-f]{12}@example\.invalid$/);
    expect(lines[2]).toMatch(/^✖ signed in with USER_PASSWORD_AUTH \(\d+ ms\): the pool requires MFA; smoke cannot sign in/);
    expect(lines[3]).toMatch(/^✔ cleanup: deleted the temporary user \(\d+ ms\)/);
    expect(lines[4]).toBe('✖ smoke failed: signed in with USER_PASSWORD_AUTH: the pool requires MFA; smoke cannot sign in (Cognito asked for MFA_SETUP)');
    const json = JSON.parse(r.out) as { ok: boolean; stackName: string; steps: { name: string; ok: boolean; ms: number }[] };
    expect(json).toMatchObject({ stackName: 'todo-dev', region: 'eu-west-1', ok: false });
    expect(json.steps.map((s) => s.ok)).toEqual([true, false, true]);
  });
});
