// The checks of `archctl smoke`, one step each: the todo API with the
// temporary user's ID token, then S3 with the identity pool's credentials.
// Each step records what it created, so the cleanup in smoke.ts can undo it
// whatever failed.
import { isArchctlError } from '../core/errors.js';
import type { SmokeAws, UserS3 } from '../aws/smoke-clients.js';

export interface SmokeStep {
  name: string;
  ok: boolean;
  ms: number;
  detail?: string;
}

export type SmokeEvent = { type: 'step' } & SmokeStep;

/** A check that did not give what the deployed stack should: the message is the step's detail. */
export class CheckFailed extends Error {}

/** Runs steps one at a time, timing and recording each; a failure is recorded, never thrown. */
export class StepLog {
  readonly steps: SmokeStep[] = [];

  constructor(private readonly emit: (e: SmokeEvent) => void) {}

  /** True when the step passed. `fn` returns the detail worth showing (an id, a key). */
  async run(name: string, fn: () => Promise<string | void>): Promise<boolean> {
    const started = Date.now();
    let step: SmokeStep;
    try {
      const detail = await fn();
      step = { name, ok: true, ms: Date.now() - started, ...(detail ? { detail } : {}) };
    } catch (err) {
      step = { name, ok: false, ms: Date.now() - started, detail: describe(err) };
    }
    this.steps.push(step);
    this.emit({ type: 'step', ...step });
    return step.ok;
  }

  get ok(): boolean {
    return this.steps.length > 0 && this.steps.every((s) => s.ok);
  }
}

function describe(err: unknown): string {
  if (err instanceof CheckFailed || isArchctlError(err)) return err.message;
  const e = err as Error | undefined;
  return `${e?.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e?.message ?? String(err)}`;
}

/** What cleanup must undo: filled in as the steps create things. */
export interface SmokeState {
  username: string;
  /** Set once AdminCreateUser was sent: the user may exist from then on. */
  createSent: boolean;
  /** The user's sub, once AdminCreateUser answered: the name the other admin calls use. */
  sub?: string | undefined;
  idToken?: string | undefined;
  todoId?: string | undefined;
  todoDeleted: boolean;
  objects: WrittenObject[];
}

export interface WrittenObject {
  key: string;
  /** Versions to remove for good on a versioned bucket: the put's, and the delete marker's. */
  versions: string[];
  /** Still the current object (not deleted by the user). */
  current: boolean;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
  text: string;
}

export type CallApi = (method: string, path: string, token: string | undefined, body?: unknown) => Promise<ApiAnswer>;

/** HTTP to the stack's API with global fetch, each request bounded by a timeout. */
export function apiCaller(apiUrl: string, timeoutMs: number): CallApi {
  const base = apiUrl.replace(/\/+$/, '');
  return async (method, path, token, body) => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token !== undefined) headers.Authorization = token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const e = err as Error & { cause?: { message?: string; code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new CheckFailed(`${method} ${path} had no answer within ${timeoutMs / 1000} s (${base})`);
      throw new CheckFailed(`${method} ${path} could not reach ${base}: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
    }
    let parsed: unknown = undefined;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  };
}

const snippet = (a: ApiAnswer): string => {
  const t = a.text.replace(/\s+/g, ' ').trim();
  return t === '' ? '(empty body)' : t.length > 200 ? `${t.slice(0, 200)}...` : t;
};

function expectStatus(a: ApiAnswer, expected: number, request: string): void {
  if (a.status !== expected) throw new CheckFailed(`${request} gave ${a.status}, expected ${expected}: ${snippet(a)}`);
}

const field = (body: unknown, name: string): unknown => (typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined);

/**
 * The todo API as the user: create, list, read and delete one todo (stopping
 * at the first failure: each needs the one before), then a request without a
 * token, which the Cognito authorizer must refuse.
 */
export async function apiChecks(log: StepLog, api: CallApi, state: SmokeState, title: string): Promise<void> {
  const token = state.idToken!;
  const crud = async () => {
    const created = await log.run('API: POST /todos created a todo', async () => {
      const a = await api('POST', '/todos', token, { title });
      expectStatus(a, 201, 'POST /todos');
      const id = field(a.body, 'id');
      if (typeof id !== 'string' || id === '') throw new CheckFailed(`POST /todos gave 201 without an id: ${snippet(a)}`);
      state.todoId = id;
      return `todo ${id}`;
    });
    if (!created) return;
    const id = state.todoId!;
    const path = `/todos/${encodeURIComponent(id)}`;
    const listed = await log.run('API: GET /todos listed it', async () => {
      const a = await api('GET', '/todos', token);
      expectStatus(a, 200, 'GET /todos');
      const items = field(a.body, 'items');
      if (!Array.isArray(items)) throw new CheckFailed(`GET /todos gave no items list: ${snippet(a)}`);
      if (!items.some((t) => field(t, 'id') === id)) throw new CheckFailed(`GET /todos did not list todo ${id}: ${snippet(a)}`);
      return `${items.length} todo${items.length === 1 ? '' : 's'}`;
    });
    if (!listed) return;
    const read = await log.run('API: GET /todos/{id} returned it', async () => {
      const a = await api('GET', path, token);
      expectStatus(a, 200, `GET ${path}`);
      if (field(a.body, 'id') !== id || field(a.body, 'title') !== title) throw new CheckFailed(`GET ${path} gave another todo: ${snippet(a)}`);
    });
    if (!read) return;
    await log.run('API: DELETE /todos/{id} deleted it', async () => {
      const a = await api('DELETE', path, token);
      expectStatus(a, 204, `DELETE ${path}`);
      state.todoDeleted = true;
    });
  };
  await crud();
  await log.run('API: a request without a token was refused', async () => {
    const a = await api('GET', '/todos', undefined);
    expectStatus(a, 401, 'GET /todos without a token');
  });
}

/** An identity id no user has: the "another user's folder" the role must not reach. */
export const foreignIdentityId = (identityPoolId: string): string => `${identityPoolId.split(':')[0]}:00000000-0000-0000-0000-000000000000`;

export const OBJECT_NAME = 'archctl-smoke.txt';

/**
 * The user's own S3 folder with the identity pool's credentials: write and
 * read back, then a write into another identity's folder, which IAM must
 * refuse (only tried once the own write worked, or a role that can write
 * nothing would pass it), then delete the own object.
 */
export async function s3Checks(log: StepLog, aws: SmokeAws, state: SmokeState, o: { IdentityPoolId: string; UserPoolId: string; BucketName: string }, content: string): Promise<void> {
  let user: UserS3 | undefined;
  let identityId = '';
  const gotCredentials = await log.run('identity pool gave the user temporary credentials', async () => {
    const got = await aws.identityCredentials(o.IdentityPoolId, o.UserPoolId, state.idToken!);
    identityId = got.identityId;
    user = aws.userS3(got.credentials);
    return `identity ${identityId}`;
  });
  if (!gotCredentials || !user) return;
  const u = user;
  const ownKey = `${identityId}/${OBJECT_NAME}`;
  const wrote = await log.run("S3: wrote and read the user's own folder", async () => {
    const { versionId } = await u.put(o.BucketName, ownKey, content);
    state.objects.push({ key: ownKey, versions: versionId ? [versionId] : [], current: true });
    const back = await u.getText(o.BucketName, ownKey);
    if (back !== content) throw new CheckFailed(`s3://${o.BucketName}/${ownKey} read back ${JSON.stringify(back.slice(0, 80))}, not what was written`);
    return `s3://${o.BucketName}/${ownKey}`;
  });
  if (!wrote) return;
  const foreignKey = `${foreignIdentityId(o.IdentityPoolId)}/${OBJECT_NAME}`;
  const denied = await log.run("S3: another identity's folder was denied", async () => {
    const put = await u.putExpectingDenial(o.BucketName, foreignKey, content);
    if (!put.denied) {
      state.objects.push({ key: foreignKey, versions: put.versionId ? [put.versionId] : [], current: true });
      throw new CheckFailed(
        `the user wrote s3://${o.BucketName}/${foreignKey}, outside its own folder: folder isolation is broken ` +
          `(the identity pool role must allow objects only under \${cognito-identity.amazonaws.com:sub}/)`,
      );
    }
    return `AccessDenied on ${foreignKey}`;
  });
  if (!denied) return;
  await log.run("S3: deleted the user's own object", async () => {
    const { versionId } = await u.delete(o.BucketName, ownKey);
    const own = state.objects.find((x) => x.key === ownKey)!;
    own.current = false;
    if (versionId) own.versions.push(versionId);
  });
}
