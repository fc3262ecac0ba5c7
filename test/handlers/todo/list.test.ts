// GET /todos: newest first, pages of `limit`, and a nextToken that is sealed
// (AES-256-GCM), bound to its user and checked before anything else.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiEvent, ApiResponse } from '../../../handlers/todo/lib/event.js';
import { apiEvent, startDynalite, type EventOptions, type LocalDynamo } from '../../support/dynalite.js';

type Handler = (event: ApiEvent) => Promise<ApiResponse>;
type Page = { items: { id: string; title: string }[]; nextToken: string | null };
let local: LocalDynamo;
let list: Handler, create: Handler;
let encodeNextToken: typeof import('../../../handlers/todo/lib/next-token.js').encodeNextToken;

beforeAll(async () => {
  local = await startDynalite();
  ({ handler: list } = await import('../../../handlers/todo/list-todos.js'));
  ({ handler: create } = await import('../../../handlers/todo/create-todo.js'));
  ({ encodeNextToken } = await import('../../../handlers/todo/lib/next-token.js'));
  // 25 todos for "pager", 10 for "ten", 3 for "other", each created after the last.
  for (const [sub, n] of [['pager', 25], ['ten', 10], ['other', 3]] as const) {
    for (let i = 0; i < n; i++) {
      const res = await create(apiEvent({ sub, method: 'POST', body: { title: `${sub} ${i}` } }));
      expect(res.statusCode).toBe(201);
    }
  }
});
afterAll(() => local.close());

async function page(options: EventOptions): Promise<{ res: ApiResponse; body: Page; event: ApiEvent }> {
  const event = apiEvent(options);
  const res = await list(event);
  return { res, body: JSON.parse(res.body) as Page, event };
}

async function expectBadToken(sub: string, nextToken: string): Promise<void> {
  const { res, body, event } = await page({ sub, query: { nextToken } });
  expect(res.statusCode).toBe(400);
  expect(res.headers['Cache-Control']).toBe('no-store');
  // One generic answer whatever was wrong with the token.
  expect(body).toEqual({ code: 'InvalidNextToken', message: 'The nextToken is not valid.', requestId: event.requestContext?.requestId });
}

describe('pages', () => {
  it('lists newest first, 20 by default, then the rest with the token', async () => {
    const first = await page({ sub: 'pager' });
    expect(first.res.statusCode).toBe(200);
    expect(first.res.headers['Cache-Control']).toBe('private, no-cache');
    expect(first.body.items).toHaveLength(20);
    expect(first.body.items[0]!.title).toBe('pager 24');
    expect(first.body.items[19]!.title).toBe('pager 5');
    const ids = first.body.items.map((t) => t.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    expect(first.body.nextToken).toMatch(/^[A-Za-z0-9_-]+$/);

    const second = await page({ sub: 'pager', query: { nextToken: first.body.nextToken! } });
    expect(second.body.items.map((t) => t.title)).toEqual(['pager 4', 'pager 3', 'pager 2', 'pager 1', 'pager 0']);
    expect(second.body.nextToken).toBeNull();
  });

  it('walks every todo exactly once with a small limit', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let token: string | null = null;
    do {
      const query: Record<string, string> = token === null ? { limit: '7' } : { limit: '7', nextToken: token };
      const { body }: { body: Page } = await page({ sub: 'pager', query });
      sizes.push(body.items.length);
      seen.push(...body.items.map((t) => t.title));
      token = body.nextToken;
    } while (token !== null);
    expect(sizes).toEqual([7, 7, 7, 4]);
    expect(new Set(seen).size).toBe(25);
    expect(seen.every((t) => t.startsWith('pager '))).toBe(true);
  });

  it('gives no token on a last page that is exactly full', async () => {
    const first = await page({ sub: 'ten', query: { limit: '5' } });
    expect(first.body.items).toHaveLength(5);
    const second = await page({ sub: 'ten', query: { limit: '5', nextToken: first.body.nextToken! } });
    expect(second.body.items).toHaveLength(5);
    expect(second.body.nextToken).toBeNull();
  });

  it('takes limits 1 and 100', async () => {
    expect((await page({ sub: 'pager', query: { limit: '1' } })).body.items).toHaveLength(1);
    const all = await page({ sub: 'pager', query: { limit: '100' } });
    expect(all.body.items).toHaveLength(25);
    expect(all.body.nextToken).toBeNull();
  });

  it('answers an empty list for a user with no todos', async () => {
    expect((await page({ sub: 'nobody' })).body).toEqual({ items: [], nextToken: null });
  });
});

describe('limit', () => {
  it.each(['-1', '0', '101', '1e9', '1000000000', 'abc', '', ' 5', '05', '5.0', '+5', '0x10', '20abc'])(
    'answers 400 for limit=%j',
    async (limit) => {
      const { res, body } = await page({ sub: 'pager', query: { limit } });
      expect(res.statusCode).toBe(400);
      expect(body).toMatchObject({ code: 'InvalidLimit' });
    },
  );

  it('answers 400 for a limit given twice', async () => {
    const { res } = await page({ sub: 'pager', query: { limit: ['5', '100'] } });
    expect(res.statusCode).toBe(400);
  });
});

describe('nextToken', () => {
  async function tokenOf(sub: string): Promise<string> {
    const { body } = await page({ sub, query: { limit: '2' } });
    expect(body.nextToken).not.toBeNull();
    return body.nextToken!;
  }

  it('is refused (generic 400) when another user replays it', async () => {
    const token = await tokenOf('pager');
    await expectBadToken('other', token);
    // Still good for its owner.
    expect((await page({ sub: 'pager', query: { nextToken: token } })).res.statusCode).toBe(200);
  });

  it('is refused when sealed for one user around another user\'s key', async () => {
    const { body } = await page({ sub: 'pager', query: { limit: '1' } });
    const forged = encodeNextToken('other', { userId: 'pager', todoId: body.items[0]!.id });
    await expectBadToken('other', forged);
  });

  it('is refused when tampered with, truncated or not a token', async () => {
    const token = await tokenOf('pager');
    const middle = Math.floor(token.length / 2);
    const flipped = token.slice(0, middle) + (token[middle] === 'A' ? 'B' : 'A') + token.slice(middle + 1);
    await expectBadToken('pager', flipped);
    await expectBadToken('pager', token.slice(0, -4));
    await expectBadToken('pager', `${token}AAAA`);
    await expectBadToken('pager', token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))); // version byte
    await expectBadToken('pager', 'not a token!');
    await expectBadToken('pager', 'AQ');
    await expectBadToken('pager', Buffer.from(JSON.stringify({ userId: 'pager', todoId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' })).toString('base64url'));
  });

  it('is refused when sealed with another secret', async () => {
    const { body } = await page({ sub: 'pager', query: { limit: '1' } });
    const secret = process.env.PAGINATION_SECRET;
    process.env.PAGINATION_SECRET = 'some other secret';
    const foreign = encodeNextToken('pager', { userId: 'pager', todoId: body.items[0]!.id });
    process.env.PAGINATION_SECRET = secret;
    await expectBadToken('pager', foreign);
  });

  it('is refused over 2048 characters, before any decoding', async () => {
    await expectBadToken('pager', 'A'.repeat(2049));
    await expectBadToken('pager', (await tokenOf('pager')).padEnd(4096, 'A'));
  });

  it('answers a generic 500 (logged, no stack) when PAGINATION_SECRET is not configured', async () => {
    const secret = process.env.PAGINATION_SECRET;
    delete process.env.PAGINATION_SECRET;
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { res, body } = await page({ sub: 'pager' });
      expect(res.statusCode).toBe(500);
      expect(body).toMatchObject({ code: 'InternalError', message: 'Internal server error.' });
      expect(res.body).not.toContain('PAGINATION_SECRET');
      expect(log).toHaveBeenCalledWith(expect.stringContaining('PAGINATION_SECRET is not set'));
    } finally {
      process.env.PAGINATION_SECRET = secret;
      log.mockRestore();
    }
  });
});
