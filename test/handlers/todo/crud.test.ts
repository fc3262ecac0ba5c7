// The todo API's five handlers against dynalite (the real DynamoDB wire
// protocol): create, read, update with optimistic concurrency, delete, and
// two users who can never reach each other's todos.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, ApiResponse } from '../../../handlers/todo/lib/event.js';
import { apiEvent, startDynalite, type EventOptions, type LocalDynamo } from '../../support/dynalite.js';
import { loadTodoHandlers, type Handler } from '../../support/todo-handlers.js';

let local: LocalDynamo;
let list: Handler, get: Handler, create: Handler, update: Handler, remove: Handler;

beforeAll(async () => {
  local = await startDynalite();
  ({ list, get, create, update, remove } = await loadTodoHandlers());
});
afterAll(() => local.close());

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const bodyOf = (res: ApiResponse): Record<string, unknown> => JSON.parse(res.body) as Record<string, unknown>;

async function call(handler: Handler, options: EventOptions): Promise<{ res: ApiResponse; body: Record<string, unknown>; event: ApiEvent }> {
  const event = apiEvent(options);
  const res = await handler(event);
  return { res, body: res.body ? bodyOf(res) : {}, event };
}

async function createFor(sub: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { res, body: todo } = await call(create, { sub, method: 'POST', body });
  expect(res.statusCode).toBe(201);
  return todo;
}

function expectError(res: ApiResponse, event: ApiEvent, status: number, code: string): void {
  expect(res.statusCode).toBe(status);
  expect(res.headers['Cache-Control']).toBe('no-store');
  const body = bodyOf(res);
  expect(Object.keys(body).sort()).toEqual(['code', 'message', 'requestId']);
  expect(body.code).toBe(code);
  expect(body.requestId).toBe(event.requestContext?.requestId);
}

describe('create', () => {
  it('answers 201 with the new todo, a Location and no-store', async () => {
    const { res, body, event } = await call(create, { sub: 'user-a', method: 'POST', body: { title: 'Buy milk' } });
    expect(res.statusCode).toBe(201);
    expect(body).toEqual({
      id: expect.stringMatching(ULID),
      title: 'Buy milk',
      done: false,
      createdAt: expect.stringMatching(ISO),
      updatedAt: body.createdAt,
      version: 1,
    });
    expect(body).not.toHaveProperty('userId');
    expect(res.headers.Location).toBe(`${event.requestContext?.path}/${String(body.id)}`);
    expect(res.headers.Location).toBe(`/test/todos/${String(body.id)}`);
    expect(res.headers['Access-Control-Expose-Headers']).toBe('Location');
    expect(res.headers['Cache-Control']).toBe('no-store');
    expect(res.headers['Content-Type']).toBe('application/json; charset=utf-8');
    expect(res.headers['Access-Control-Allow-Origin']).toBe('*');
  });

  it('keeps every field of the model', async () => {
    const todo = await createFor('user-a', { title: 'Taxes', notes: 'Form 2b', done: true, dueDate: '2030-04-15' });
    expect(todo).toMatchObject({ title: 'Taxes', notes: 'Form 2b', done: true, dueDate: '2030-04-15', version: 1 });
    const { body } = await call(get, { sub: 'user-a', id: String(todo.id) });
    expect(body).toEqual(todo);
  });

  it('makes time-sortable ids on the server', async () => {
    const first = await createFor('user-a', { title: 'one' });
    await new Promise((r) => setTimeout(r, 2));
    const second = await createFor('user-a', { title: 'two' });
    expect(String(second.id) > String(first.id)).toBe(true);
  });

  it('takes CORS_ORIGIN for Access-Control-Allow-Origin', async () => {
    process.env.CORS_ORIGIN = 'https://app.example.com';
    try {
      const { res } = await call(create, { sub: 'user-a', method: 'POST', body: { title: 'cors' } });
      expect(res.headers['Access-Control-Allow-Origin']).toBe('https://app.example.com');
      const { res: error } = await call(get, { sub: 'user-a', id: 'nope' });
      expect(error.headers['Access-Control-Allow-Origin']).toBe('https://app.example.com');
    } finally {
      delete process.env.CORS_ORIGIN;
    }
  });
});

describe('get', () => {
  it('answers 200 with private, revalidated caching', async () => {
    const todo = await createFor('user-a', { title: 'read me' });
    const { res, body } = await call(get, { sub: 'user-a', id: String(todo.id) });
    expect(res.statusCode).toBe(200);
    expect(body).toEqual(todo);
    expect(res.headers['Cache-Control']).toBe('private, no-cache');
    expect(res.headers.Vary).toBe('Authorization');
  });

  it('answers 404 for a missing todo', async () => {
    const { res, event } = await call(get, { sub: 'user-a', id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' });
    expectError(res, event, 404, 'NotFound');
  });
});

describe('update', () => {
  it('changes the given fields, keeps the others and bumps the version', async () => {
    const todo = await createFor('user-a', { title: 'draft', notes: 'keep me' });
    await new Promise((r) => setTimeout(r, 2));
    const { res, body } = await call(update, { sub: 'user-a', method: 'PUT', id: String(todo.id), body: { version: 1, title: 'final', done: true } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['Cache-Control']).toBe('no-store');
    expect(body).toMatchObject({ id: todo.id, title: 'final', notes: 'keep me', done: true, version: 2, createdAt: todo.createdAt });
    expect(String(body.updatedAt) > String(todo.updatedAt)).toBe(true);
    expect(body).not.toHaveProperty('userId');
    const { body: again } = await call(get, { sub: 'user-a', id: String(todo.id) });
    expect(again).toEqual(body);
  });

  it('answers 409 VersionConflict for a stale version and changes nothing', async () => {
    const todo = await createFor('user-a', { title: 'v1' });
    const id = String(todo.id);
    expect((await call(update, { sub: 'user-a', method: 'PUT', id, body: { version: 1, title: 'v2' } })).res.statusCode).toBe(200);
    const stale = await call(update, { sub: 'user-a', method: 'PUT', id, body: { version: 1, title: 'lost update' } });
    expectError(stale.res, stale.event, 409, 'VersionConflict');
    const ahead = await call(update, { sub: 'user-a', method: 'PUT', id, body: { version: 7, title: 'from the future' } });
    expectError(ahead.res, ahead.event, 409, 'VersionConflict');
    const { body } = await call(get, { sub: 'user-a', id });
    expect(body).toMatchObject({ title: 'v2', version: 2 });
  });

  it('answers 404 for a missing todo and does not create it', async () => {
    const id = '01ARZ3NDEKTSV4RRFFQ69G5FAW';
    const missing = await call(update, { sub: 'user-a', method: 'PUT', id, body: { version: 1, title: 'ghost' } });
    expectError(missing.res, missing.event, 404, 'NotFound');
    expect((await call(get, { sub: 'user-a', id })).res.statusCode).toBe(404);
  });
});

describe('delete', () => {
  it('answers 204 once, then 404', async () => {
    const todo = await createFor('user-a', { title: 'bin me' });
    const id = String(todo.id);
    const { res } = await call(remove, { sub: 'user-a', method: 'DELETE', id });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['Cache-Control']).toBe('no-store');
    expect(res.headers).not.toHaveProperty('Content-Type');
    const again = await call(remove, { sub: 'user-a', method: 'DELETE', id });
    expectError(again.res, again.event, 404, 'NotFound');
    expect((await call(get, { sub: 'user-a', id })).res.statusCode).toBe(404);
  });
});

describe('two users', () => {
  it('B can neither get, update, delete nor list A\'s todo: 404 / empty', async () => {
    const todo = await createFor('owner-a', { title: 'A only', notes: 'secret' });
    const id = String(todo.id);

    const read = await call(get, { sub: 'owner-b', id });
    expectError(read.res, read.event, 404, 'NotFound');
    const write = await call(update, { sub: 'owner-b', method: 'PUT', id, body: { version: 1, title: 'pwned' } });
    expectError(write.res, write.event, 404, 'NotFound');
    const del = await call(remove, { sub: 'owner-b', method: 'DELETE', id });
    expectError(del.res, del.event, 404, 'NotFound');
    const listed = await call(list, { sub: 'owner-b' });
    expect(listed.res.statusCode).toBe(200);
    expect(listed.body).toEqual({ items: [], nextToken: null });

    // A's todo is untouched, and A still sees it.
    const { body } = await call(get, { sub: 'owner-a', id });
    expect(body).toEqual(todo);
    const mine = await call(list, { sub: 'owner-a' });
    expect(mine.body.items).toEqual([todo]);
  });

  it('takes the owner from the token claims only, never from the query', async () => {
    await createFor('owner-c', { title: 'C only' });
    const { body } = await call(list, { sub: 'owner-d', query: { userId: 'owner-c', sub: 'owner-c' } });
    expect(body).toEqual({ items: [], nextToken: null });
  });
});
