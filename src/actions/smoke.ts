// `archctl smoke`: after a deploy of the todo pattern, the live stack checked
// end to end as a user would use it: a temporary user (created by the deployer,
// without any email) signs in, calls the API, and uses the identity pool's
// credentials on its own S3 folder (and is refused another's). Whatever fails,
// everything it created is removed.
// No terminal I/O: the command renders the step events.
import { randomBytes } from 'node:crypto';
import { ArchctlError, isArchctlError } from '../core/errors.js';
import { isSettled, isStable } from '../core/stack-state.js';
import type { AwsSession } from '../aws/session.js';
import { SmokeAws, type SmokeEndpoints } from '../aws/smoke-clients.js';
import { describeStack, type StackInfo } from '../aws/stacks.js';
import type { StackTarget } from './stack-target.js';
import { apiCaller, apiChecks, CheckFailed, s3Checks, StepLog, type CallApi, type SmokeEvent, type SmokeState, type SmokeStep, type WrittenObject } from './smoke-steps.js';

export type { SmokeEvent, SmokeStep } from './smoke-steps.js';
export type { SmokeEndpoints } from '../aws/smoke-clients.js';

/** The todo stack's outputs smoke needs (templates/todo/base.yaml). */
export const SMOKE_OUTPUTS = ['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'IdentityPoolId', 'BucketName'] as const;
export type SmokeOutputs = Record<(typeof SMOKE_OUTPUTS)[number], string> & { TableName?: string | undefined };

export interface SmokeOptions {
  /** The local cloud's endpoints (archctl dev); absent on AWS. */
  endpoints?: SmokeEndpoints;
  onEvent?: (e: SmokeEvent) => void;
  /** Each API request's limit; default 15 s. */
  apiTimeoutMs?: number;
}

export interface SmokeResult {
  ok: boolean;
  steps: SmokeStep[];
}

/**
 * The outputs smoke needs, from a described stack: it must be settled and
 * deployed, and be a todo stack (all five outputs present).
 */
export function smokeOutputs(stack: StackInfo): SmokeOutputs {
  if (!isSettled(stack.status)) {
    throw new ArchctlError(`stack ${stack.name} is ${stack.status}`, 'wait until it settles (archctl status), then rerun archctl smoke');
  }
  if (!isStable(stack.status)) {
    throw new ArchctlError(`stack ${stack.name} is ${stack.status}, not a deployed stack smoke can check`, 'see archctl status, then deploy it with archctl deploy');
  }
  const missing = SMOKE_OUTPUTS.filter((k) => !stack.outputs[k]);
  if (missing.length > 0) {
    throw new ArchctlError(
      `stack ${stack.name} has no ${missing.join(', ')} output${missing.length === 1 ? '' : 's'}: smoke checks the todo pattern only`,
      'point it at a stack deployed from the todo pattern (--stack-name, --stage, --region), or deploy one with archctl deploy todo',
      2,
    );
  }
  const o = Object.fromEntries(SMOKE_OUTPUTS.map((k) => [k, stack.outputs[k]!])) as SmokeOutputs;
  return stack.outputs.TableName ? { ...o, TableName: stack.outputs.TableName } : o;
}

/** Describes the stack, then runs the smoke checks against its outputs. */
export async function smokeStack(session: AwsSession, target: Pick<StackTarget, 'stackName' | 'stage'>, opts: SmokeOptions = {}): Promise<SmokeResult> {
  const stack = await describeStack(session, target.stackName);
  if (!stack) {
    throw new ArchctlError(`no stack ${target.stackName} in ${session.region}`, `deploy it with archctl deploy --stage ${target.stage} (or check --stack-name/--region)`);
  }
  return runSmoke(session, smokeOutputs(stack), opts);
}

/** The deployer's Cognito permissions smoke needs: it creates the temporary user, sets its password, and deletes it. */
export const SMOKE_COGNITO_ACTIONS = ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminSetUserPassword', 'cognito-idp:AdminDeleteUser'] as const;

/**
 * `archctl-smoke-<random>@example.invalid`: the todo pool signs in by email
 * (UsernameAttributes: [email]). Nothing is ever sent to it (AdminCreateUser
 * with MessageAction SUPPRESS), and .invalid could not deliver anyway.
 */
export const temporaryUsername = (): string => `archctl-smoke-${randomBytes(6).toString('hex')}@example.invalid`;

/**
 * 32 random base64url characters (192 bits), then one upper, one lower, one
 * digit and one symbol, so it meets any Cognito policy up to 36 characters
 * with every class required (the todo pool asks for 12).
 */
export const temporaryPassword = (): string => `${randomBytes(24).toString('base64url')}Qz7!`;

/** The checks, then the cleanup, which always runs. */
export async function runSmoke(session: AwsSession, o: SmokeOutputs, opts: SmokeOptions = {}): Promise<SmokeResult> {
  const log = new StepLog(opts.onEvent ?? (() => {}));
  const aws = new SmokeAws(session, opts.endpoints);
  const api = apiCaller(o.ApiUrl, opts.apiTimeoutMs ?? 15_000);
  const state: SmokeState = { username: temporaryUsername(), createSent: false, todoDeleted: false, objects: [] };
  const marker = randomBytes(4).toString('hex');
  try {
    await checks(log, aws, api, state, o, marker);
  } finally {
    try {
      await cleanup(log, aws, api, state, o);
    } finally {
      aws.destroy();
    }
  }
  return { ok: log.ok, steps: log.steps };
}

async function checks(log: StepLog, aws: SmokeAws, api: CallApi, state: SmokeState, o: SmokeOutputs, marker: string): Promise<void> {
  const password = temporaryPassword();
  const created = await log.run('created a temporary user (no email sent)', async () => {
    state.createSent = true;
    try {
      state.sub = await aws.adminCreateUser(o.UserPoolId, state.username, state.username);
      await aws.setPermanentPassword(o.UserPoolId, state.sub, password);
    } catch (err) {
      // Name all three at once, so a deployer role is not fixed one denied action at a time.
      if (isArchctlError(err) && err.message.startsWith('access denied:')) throw new CheckFailed(`${err.message}; smoke needs ${SMOKE_COGNITO_ACTIONS.join(', ')} on pool ${o.UserPoolId}`);
      throw err;
    }
    return state.username;
  });
  if (!created) return;
  const signedIn = await log.run('signed in with USER_PASSWORD_AUTH', async () => {
    const r = await aws.signIn(o.UserPoolClientId, state.username, password);
    if ('challenge' in r) {
      if (/MFA|OTP/.test(r.challenge)) throw new CheckFailed(`the pool requires MFA; smoke cannot sign in (Cognito asked for ${r.challenge})`);
      throw new CheckFailed(`Cognito asked for the ${r.challenge} challenge instead of signing in; smoke signs in with a password only`);
    }
    state.idToken = r.idToken;
  });
  if (!signedIn) return;
  await apiChecks(log, api, state, `archctl smoke ${marker}`);
  await s3Checks(log, aws, state, o, `archctl smoke ${marker}: written with the identity pool's credentials\n`);
}

/** Each leftover is removed on its own, so one failure does not leave the others behind. */
async function cleanup(log: StepLog, aws: SmokeAws, api: CallApi, state: SmokeState, o: SmokeOutputs): Promise<void> {
  const region = aws.region;
  // The todo first: deleting it needs the user's token, and the user is deleted last.
  if (state.todoId !== undefined && !state.todoDeleted && state.idToken !== undefined) {
    const id = state.todoId;
    await log.run('cleanup: deleted the todo', async () => {
      let why: string;
      try {
        const a = await api('DELETE', `/todos/${encodeURIComponent(id)}`, state.idToken);
        if (a.status === 204 || a.status === 404) return `todo ${id}`;
        why = `DELETE /todos/${id} gave ${a.status}`;
      } catch (err) {
        why = err instanceof Error ? err.message : String(err);
      }
      const key = JSON.stringify({ userId: { S: state.sub ?? '<the user sub>' }, todoId: { S: id } });
      throw new CheckFailed(
        `${why}. Left behind: todo ${id} of user ${state.sub ?? state.username}; remove it with: ` +
          `aws dynamodb delete-item --table-name ${o.TableName ?? '<the TableName output>'} --key '${key}' --region ${region}`,
      );
    });
  }

  const objects = state.objects.filter((x) => x.current || x.versions.length > 0);
  if (objects.length > 0) {
    await log.run('cleanup: removed the test objects from S3', async () => {
      const left: string[] = [];
      for (const x of objects) left.push(...(await removeObject(aws, o.BucketName, x, region)));
      if (left.length > 0) throw new CheckFailed(`Left behind in ${o.BucketName}: ${left.join('; ')}`);
      return objects.map((x) => x.key).join(', ');
    });
  }

  if (state.createSent) {
    // The sub when AdminCreateUser answered; else the email, which names the user too in a pool that signs in by email.
    const name = state.sub ?? state.username;
    await log.run('cleanup: deleted the temporary user', async () => {
      try {
        const existed = await aws.adminDeleteUser(o.UserPoolId, name);
        return existed ? state.username : `${state.username} was not there (AdminCreateUser had not created it)`;
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new CheckFailed(
          `${why}. Left behind: user ${state.username} (${name}) in pool ${o.UserPoolId}; remove it with: ` +
            `aws cognito-idp admin-delete-user --user-pool-id ${o.UserPoolId} --username ${name} --region ${region}`,
        );
      }
    });
  }
}

/**
 * Removes one written object with the deployer's credentials: every version
 * smoke made, for good, on a versioned bucket (a plain delete would leave a
 * noncurrent version); else the object itself. Returns what is left, each
 * with the command that removes it.
 */
async function removeObject(aws: SmokeAws, bucket: string, x: WrittenObject, region: string): Promise<string[]> {
  const left: string[] = [];
  const attempt = async (versionId: string | undefined) => {
    try {
      await aws.deleteAsDeployer(bucket, x.key, versionId);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      const version = versionId ? ` --version-id ${versionId}` : '';
      left.push(`${x.key}${versionId ? ` (version ${versionId})` : ''}: ${why}; remove it with: aws s3api delete-object --bucket ${bucket} --key ${x.key}${version} --region ${region}`);
    }
  };
  if (x.versions.length > 0) for (const v of x.versions) await attempt(v);
  else await attempt(undefined);
  return left;
}
