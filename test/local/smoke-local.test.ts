// `archctl smoke` against the real local cloud (startLocalStack / startTemplate,
// as test/local/dev.test.ts runs it): the same SDK calls and HTTP requests it
// makes on AWS, with the endpoints pointed at the emulators, the local user
// pool's admin operations included (AdminCreateUser, AdminSetUserPassword,
// AdminDeleteUser): the temporary user is really created and really deleted.
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalStack, startTemplate, type DevEvent, type LocalStack } from '../../src/actions/dev.js';
import { renderPattern } from '../../src/actions/render.js';
import { runSmoke, SMOKE_OUTPUTS, type SmokeEvent, type SmokeOutputs } from '../../src/actions/smoke.js';
import { foreignIdentityId, OBJECT_NAME } from '../../src/actions/smoke-steps.js';
import type { JsonObject } from '../../src/core/types.js';
import { testSession } from '../support/aws.js';

// What the local services accept from archctl's own (deployer) calls.
const ADMIN = { accessKeyId: 'ARCHCTLLOCAL', secretAccessKey: 'archctl-local-secret' };
const work = mkdtempSync(join(tmpdir(), 'archctl-smoke-local-'));

interface Running {
  stack: LocalStack;
  outputs: SmokeOutputs;
  endpoints: { cognito: string; cognitoIdentity: string; s3: string };
  /** The local stack's events: a sign-up would show as a confirmation code (the email AWS would send). */
  events: DevEvent[];
}

function running(stack: LocalStack, events: DevEvent[]): Running {
  const o = stack.outputs;
  const outputs = Object.fromEntries(SMOKE_OUTPUTS.map((k) => [k, o[k]!])) as SmokeOutputs;
  return { stack, outputs, endpoints: { cognito: o.CognitoEndpoint!, cognitoIdentity: o.CognitoIdentityEndpoint!, s3: o.S3Endpoint! }, events };
}

/** The Cognito operations a run made through its session, in order. */
const cognitoOps = (session: { calls: string[] }) => session.calls.filter((c) => c.startsWith('CognitoIdentityProvider:')).map((c) => c.split(':')[1]);

/** AdminGetUser's answer for a user: its status, or the error name once it is gone. */
async function userState(r: Running, username: string): Promise<string> {
  const idp = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: r.endpoints.cognito, credentials: ADMIN, maxAttempts: 1 });
  try {
    return (await idp.send(new AdminGetUserCommand({ UserPoolId: r.outputs.UserPoolId, Username: username }))).UserStatus ?? 'no status';
  } catch (err) {
    return (err as Error).name;
  } finally {
    idp.destroy();
  }
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
  // The deployer's calls (create, set the password, delete, S3 cleanup) sign with the SDK's default chain: the local admin key.
  vi.stubEnv('AWS_ACCESS_KEY_ID', ADMIN.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', ADMIN.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
  const goodEvents: DevEvent[] = [];
  const brokenEvents: DevEvent[] = [];
  const [a, b] = await Promise.all([
    startLocalStack({ pattern: 'todo', parameters: {}, dir: join(work, 'good'), port: 0, onEvent: (e) => goodEvents.push(e) }),
    startTemplate('todo', brokenIsolationTemplate(), { pattern: 'todo', parameters: {}, dir: join(work, 'broken'), port: 0, onEvent: (e) => brokenEvents.push(e) }),
  ]);
  good = running(a, goodEvents);
  broken = running(b, brokenEvents);
}, 30_000);

afterAll(async () => {
  for (const r of [good, broken]) await r?.stack.close();
  vi.unstubAllEnvs();
  rmSync(work, { recursive: true, force: true });
});

describe('smoke on the local todo stack', () => {
  it('passes every step, in order, without a sign-up, and really deletes the temporary user', async () => {
    const events: SmokeEvent[] = [];
    const session = testSession('us-east-1');
    const result = await runSmoke(session, good.outputs, { endpoints: good.endpoints, onEvent: (e) => events.push(e) });
    expect(result.steps.filter((s) => !s.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => s.name)).toEqual([
      'created a temporary user (no email sent)',
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
    // Admin calls only: no SignUp, so no confirmation code (the email AWS would send) was made.
    expect(cognitoOps(session)).toEqual(['AdminCreateUser', 'AdminSetUserPassword', 'InitiateAuth', 'AdminDeleteUser']);
    expect(good.events.filter((e) => e.type === 'confirmation-code')).toEqual([]);
    expect(result.steps.find((s) => s.name.startsWith('identity pool'))!.detail).toMatch(/^identity us-east-1:[0-9a-f-]{36}$/);
    // The user was there to delete (the step names it, not "was not there"), and now it is gone.
    expect(result.steps.at(-1)).toMatchObject({ name: 'cleanup: deleted the temporary user', ok: true, detail: username });
    expect(await userState(good, username)).toBe('UserNotFoundException');
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
    const username = result.steps[0]!.detail!;
    expect(result.steps.at(-1)!.detail).toBe(username);
    expect(await userState(broken, username)).toBe('UserNotFoundException');
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
    expect(result.steps.at(-1)).toMatchObject({ name: 'cleanup: deleted the temporary user', ok: true, detail: result.steps[0]!.detail });
    expect(await userState(good, result.steps[0]!.detail!)).toBe('UserNotFoundException');
  });
});
