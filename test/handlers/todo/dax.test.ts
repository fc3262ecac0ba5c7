// With DAX_ENDPOINT set, every table call goes through the client that
// handlers/todo/lib/dax.ts makes (mocked here: no DAX emulator exists). The
// stand-in forwards to dynalite, so the handlers still work end to end.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocument } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvent, ApiResponse } from '../../../handlers/todo/lib/event.js';
import type { TableClient } from '../../../handlers/todo/lib/table.js';
import { REGION, apiEvent, startDynalite, type LocalDynamo } from '../../support/dynalite.js';

const dax = vi.hoisted(() => ({ client: undefined as unknown as TableClient, close: vi.fn() }));
vi.mock('../../../handlers/todo/lib/dax.js', () => ({
  openDax: vi.fn(() => ({ client: dax.client, close: dax.close })),
}));

const DAX_ENDPOINT = 'daxs://todo.abc123.dax-clusters.us-east-1.amazonaws.com';
type Handler = (event: ApiEvent) => Promise<ApiResponse>;
let local: LocalDynamo;
let direct: DynamoDBDocument;
let spies: { [K in keyof TableClient]: ReturnType<typeof vi.fn> };
let list: Handler, get: Handler, create: Handler, update: Handler, remove: Handler;
let openDax: ReturnType<typeof vi.fn>;

beforeAll(async () => {
  local = await startDynalite();
  process.env.DAX_ENDPOINT = DAX_ENDPOINT;
  process.env.DAX_TIMEOUT_MS = '300';
  direct = DynamoDBDocument.from(
    new DynamoDBClient({ endpoint: local.endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
  );
  await direct.get({ TableName: process.env.TABLE_NAME, Key: { userId: 'warm', todoId: 'up' } });
  spies = {
    get: vi.fn((input) => direct.get(input)),
    put: vi.fn((input) => direct.put(input)),
    update: vi.fn((input) => direct.update(input)),
    delete: vi.fn((input) => direct.delete(input)),
    query: vi.fn((input) => direct.query(input)),
  };
  dax.client = spies as unknown as TableClient;
  ({ openDax } = (await import('../../../handlers/todo/lib/dax.js')) as unknown as { openDax: ReturnType<typeof vi.fn> });
  ({ handler: list } = await import('../../../handlers/todo/list-todos.js'));
  ({ handler: get } = await import('../../../handlers/todo/get-todo.js'));
  ({ handler: create } = await import('../../../handlers/todo/create-todo.js'));
  ({ handler: update } = await import('../../../handlers/todo/update-todo.js'));
  ({ handler: remove } = await import('../../../handlers/todo/delete-todo.js'));
});
afterAll(async () => {
  delete process.env.DAX_ENDPOINT;
  delete process.env.DAX_TIMEOUT_MS;
  direct.destroy();
  await local.close();
});
beforeEach(() => {
  for (const spy of Object.values(spies)) spy.mockClear();
});

describe('with DAX_ENDPOINT', () => {
  it('sends each route\'s one table action through the DAX client', async () => {
    const created = await create(apiEvent({ sub: 'dax-user', method: 'POST', body: { title: 'cached' } }));
    expect(created.statusCode).toBe(201);
    const id = (JSON.parse(created.body) as { id: string }).id;
    expect(spies.put).toHaveBeenCalledOnce();
    expect(spies.put.mock.calls[0]![0]).toMatchObject({ TableName: process.env.TABLE_NAME, Item: { userId: 'dax-user', todoId: id } });

    expect((await get(apiEvent({ sub: 'dax-user', id }))).statusCode).toBe(200);
    expect(spies.get).toHaveBeenCalledOnce();
    expect(spies.get.mock.calls[0]![0]).toMatchObject({ Key: { userId: 'dax-user', todoId: id } });

    const listed = await list(apiEvent({ sub: 'dax-user' }));
    expect(JSON.parse(listed.body)).toMatchObject({ items: [{ id, title: 'cached' }], nextToken: null });
    expect(spies.query).toHaveBeenCalledOnce();
    expect(spies.query.mock.calls[0]![0]).toMatchObject({ KeyConditionExpression: 'userId = :u', ExpressionAttributeValues: { ':u': 'dax-user' } });

    expect((await update(apiEvent({ sub: 'dax-user', method: 'PUT', id, body: { version: 1, done: true } }))).statusCode).toBe(200);
    expect(spies.update).toHaveBeenCalledOnce();

    expect((await remove(apiEvent({ sub: 'dax-user', method: 'DELETE', id }))).statusCode).toBe(204);
    expect(spies.delete).toHaveBeenCalledOnce();

    // One DAX client for the container, made from the endpoint and region.
    expect(openDax).toHaveBeenCalledOnce();
    expect(openDax).toHaveBeenCalledWith(DAX_ENDPOINT, REGION);
  });

  it('tells a stale version from a missing todo through DAX alone', async () => {
    const created = await create(apiEvent({ sub: 'dax-user', method: 'POST', body: { title: 'v1' } }));
    const id = (JSON.parse(created.body) as { id: string }).id;
    await update(apiEvent({ sub: 'dax-user', method: 'PUT', id, body: { version: 1, title: 'v2' } }));
    const stale = await update(apiEvent({ sub: 'dax-user', method: 'PUT', id, body: { version: 1, title: 'v3' } }));
    expect(stale.statusCode).toBe(409);
    expect(JSON.parse(stale.body)).toMatchObject({ code: 'VersionConflict' });
    // The update that passes, the one that fails, and the existence probe.
    expect(spies.update).toHaveBeenCalledTimes(3);
    expect(spies.get).not.toHaveBeenCalled();
  });

  it('answers 503 when a DAX call hangs, drops the client and opens a new one next time', async () => {
    spies.get.mockImplementationOnce(() => new Promise(() => undefined));
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const started = Date.now();
      const event = apiEvent({ sub: 'dax-user', id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' });
      const res = await get(event);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(res.statusCode).toBe(503);
      expect(res.headers['Cache-Control']).toBe('no-store');
      expect(JSON.parse(res.body)).toEqual({
        code: 'ServiceUnavailable',
        message: 'The service is temporarily unavailable. Retry later.',
        requestId: event.requestContext?.requestId,
      });
      expect(dax.close).toHaveBeenCalledOnce();
      expect(log).toHaveBeenCalledWith(expect.stringContaining('DAX call timed out after 300 ms'));
    } finally {
      log.mockRestore();
    }
    expect((await get(apiEvent({ sub: 'dax-user', id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }))).statusCode).toBe(404);
    expect(openDax).toHaveBeenCalledTimes(2);
  });

  it('answers 503 when DAX reports it cannot reach the cluster', async () => {
    spies.query.mockImplementationOnce(() =>
      Promise.reject(Object.assign(new Error('NoRouteException: No endpoints available'), { code: 'NoRouteException' })),
    );
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const res = await list(apiEvent({ sub: 'dax-user' }));
      expect(res.statusCode).toBe(503);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'ServiceUnavailable' });
      expect(res.body).not.toContain('NoRoute');
    } finally {
      log.mockRestore();
    }
  });
});
