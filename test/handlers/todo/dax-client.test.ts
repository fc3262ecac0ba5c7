// The real DAX client (handlers/todo/lib/dax.ts) pointed at a closed port:
// it would retry for about 14 s; the handler answers 503 within its deadline.
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { apiEvent, startDynalite, type LocalDynamo } from '../../support/dynalite.js';

let local: LocalDynamo;

beforeAll(async () => {
  local = await startDynalite();
  // A port that was just free: nothing listens there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  process.env.DAX_ENDPOINT = `dax://127.0.0.1:${port}`;
  process.env.DAX_TIMEOUT_MS = '300';
});
afterAll(async () => {
  delete process.env.DAX_ENDPOINT;
  delete process.env.DAX_TIMEOUT_MS;
  await local.close();
});

it('answers 503 within the deadline when the DAX cluster is unreachable', async () => {
  // The DAX client reports its connection failures on the console.
  const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const { handler } = await import('../../../handlers/todo/get-todo.js');
    const started = Date.now();
    const res = await handler(apiEvent({ id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'ServiceUnavailable' });
  } finally {
    error.mockRestore();
  }
});
