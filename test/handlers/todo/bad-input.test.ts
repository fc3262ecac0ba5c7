// SECURITY.md, "Bad input to handlers behind API Gateway": every row that
// applies to the todo API, through the real handlers and dynalite. Each error
// is JSON { code, message, requestId } with Cache-Control: no-store, no stack.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiEvent, ApiResponse } from '../../../handlers/todo/lib/event.js';
import { apiEvent, startDynalite, type EventOptions, type LocalDynamo } from '../../support/dynalite.js';
import { loadTodoHandlers, type Handler } from '../../support/todo-handlers.js';

let local: LocalDynamo;
let list: Handler, get: Handler, create: Handler, update: Handler, remove: Handler;
let existingId = '';

beforeAll(async () => {
  local = await startDynalite();
  ({ list, get, create, update, remove } = await loadTodoHandlers());
  const res = await create(apiEvent({ method: 'POST', body: { title: 'existing' } }));
  existingId = (JSON.parse(res.body) as { id: string }).id;
});
afterAll(() => local.close());

async function expectError(handler: Handler, options: EventOptions, status: number, code?: string): Promise<ApiResponse> {
  const event = apiEvent(options);
  const res = await handler(event);
  expect(res.statusCode).toBe(status);
  expect(res.headers['Cache-Control']).toBe('no-store');
  expect(res.headers['Content-Type']).toBe('application/json; charset=utf-8');
  expect(res.headers['Access-Control-Allow-Origin']).toBe('*');
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['code', 'message', 'requestId']);
  expect(typeof body.message).toBe('string');
  expect(body.requestId).toBe(event.requestContext?.requestId);
  if (code) expect(body.code).toBe(code);
  expect(res.body).not.toMatch(/\bat .*\.(ts|js):\d+|node_modules|Error:/);
  return res;
}

const post = (body: EventOptions['body'], extra: EventOptions = {}): EventOptions => ({ method: 'POST', body, ...extra });
const put = (body: EventOptions['body'], extra: EventOptions = {}): EventOptions => ({ method: 'PUT', id: existingId, body, ...extra });

async function created(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await create(apiEvent(post(body)));
  expect(res.statusCode).toBe(201);
  return JSON.parse(res.body) as Record<string, unknown>;
}

describe('malformed JSON and Content-Type', () => {
  it.each(['{"title":', '{title: "x"}', "{'title':'x'}", '{"title":"x",}', 'undefined', '\u0000'])('answers 400 for %j', async (body) => {
    await expectError(create, post(body), 400, 'InvalidJson');
    await expectError(update, put(body), 400, 'InvalidJson');
  });

  it.each(['[]', 'null', '"title"', '42', 'true'])('answers 400 for a body that is not an object: %s', async (body) => {
    await expectError(create, post(body), 400, 'InvalidBody');
  });

  it('answers 400 for a missing or empty body', async () => {
    await expectError(create, post(null, { headers: { 'Content-Type': 'application/json' } }), 400, 'InvalidBody');
    await expectError(create, post(''), 400, 'InvalidBody');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json-patch+json', 'application/json; charset=latin1', 'text/json', 'application/jsonx'])(
    'answers 415 for Content-Type %s',
    async (type) => {
      await expectError(create, post({ title: 'x' }, { headers: { 'Content-Type': type } }), 415, 'UnsupportedMediaType');
      await expectError(update, put({ version: 1, title: 'x' }, { headers: { 'Content-Type': type } }), 415, 'UnsupportedMediaType');
    },
  );

  it('answers 415 without a Content-Type', async () => {
    const event = apiEvent(post({ title: 'x' }));
    delete event.headers!['Content-Type'];
    delete event.multiValueHeaders!['Content-Type'];
    const res = await create(event);
    expect(res.statusCode).toBe(415);
  });

  it('takes application/json in any case, with charset utf-8', async () => {
    for (const type of ['application/json; charset=UTF-8', 'Application/JSON', 'application/json;charset="utf-8"']) {
      const res = await create(apiEvent(post({ title: 'typed' }, { headers: { 'Content-Type': type } })));
      expect(res.statusCode).toBe(201);
    }
    const lower = apiEvent(post({ title: 'lower-case header' }));
    lower.headers = { 'content-type': 'application/json' };
    lower.multiValueHeaders = { 'content-type': ['application/json'] };
    expect((await create(lower)).statusCode).toBe(201);
  });
});

describe('body size (16 KB after base64 decoding)', () => {
  // 4000 four-byte emoji: the longest notes allowed, about 16,000 bytes.
  const bigNotes = '😀'.repeat(4000);

  it('decodes base64 bodies', async () => {
    const body = Buffer.from(JSON.stringify({ title: 'from base64 ✓', notes: bigNotes })).toString('base64');
    const res = await create(apiEvent(post(body, { isBase64Encoded: true })));
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toMatchObject({ title: 'from base64 ✓', notes: bigNotes });
  });

  it('answers 413 over 16 KB, plain or base64', async () => {
    const over = JSON.stringify({ title: 'x', notes: 'y'.repeat(16 * 1024) });
    await expectError(create, post(over), 413, 'PayloadTooLarge');
    await expectError(create, post(Buffer.from(over).toString('base64'), { isBase64Encoded: true }), 413, 'PayloadTooLarge');
    await expectError(update, put(over), 413, 'PayloadTooLarge');
  });

  it('counts bytes, not characters', async () => {
    // 4,200 emoji: 4,200 UTF-16 pairs but 16,800 bytes of UTF-8.
    const body = JSON.stringify({ title: 'x', notes: '😀'.repeat(4200) });
    expect(body.length).toBeLessThan(16 * 1024);
    await expectError(create, post(body), 413, 'PayloadTooLarge');
  });

  it('draws the line at exactly 16 KB of decoded bytes; 400 for invalid base64 or UTF-8', async () => {
    const sized = (bytes: number): string => Buffer.from(`{"title":"x","notes":"${' '.repeat(bytes - 24)}"}`).toString('base64');
    expect(Buffer.from(sized(16 * 1024), 'base64').byteLength).toBe(16 * 1024);
    // 16,384 bytes pass the size check (then fail the schema: notes over 4000 characters).
    await expectError(create, post(sized(16 * 1024), { isBase64Encoded: true }), 400, 'InvalidField');
    await expectError(create, post(sized(16 * 1024 + 1), { isBase64Encoded: true }), 413, 'PayloadTooLarge');
    await expectError(create, post('not*base64!', { isBase64Encoded: true }), 400, 'InvalidBody');
    await expectError(create, post(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'), { isBase64Encoded: true }), 400, 'InvalidBody');
  });
});

describe('caller identity', () => {
  const everyRoute = (): [string, Handler, EventOptions][] => [
    ['list', list, {}],
    ['get', get, { id: existingId }],
    ['create', create, post({ title: 'x' })],
    ['update', update, put({ version: 1, title: 'x' })],
    ['delete', remove, { method: 'DELETE', id: existingId }],
  ];

  it('answers 401 on every route without authorizer claims', async () => {
    for (const [, handler, options] of everyRoute()) await expectError(handler, { ...options, sub: null }, 401, 'Unauthorized');
  });

  it.each([
    ['an empty sub', { sub: '' }],
    ['a blank sub', { sub: '   ' }],
    ['no sub claim', { email: 'a@example.com' }],
    ['a numeric sub', { sub: 42 }],
    ['an object sub', { sub: { id: 'user-a' } }],
  ])('answers 401 for %s', async (_, claims) => {
    for (const [, handler, options] of everyRoute()) await expectError(handler, { ...options, claims }, 401, 'Unauthorized');
  });

  it('answers 401 for null claims', async () => {
    await expectError(list, { claims: null }, 401, 'Unauthorized');
  });

  it('never takes the user id from the body', async () => {
    await expectError(create, post({ title: 'x', userId: 'user-b' }), 400, 'UnknownField');
    await expectError(update, put({ version: 1, userId: 'user-b' }), 400, 'UnknownField');
  });
});

describe('schema: no additional properties, types, lengths', () => {
  it.each([
    ['__proto__', '{"title":"x","__proto__":{"isAdmin":true}}'],
    ['constructor', '{"title":"x","constructor":{"prototype":{"polluted":true}}}'],
    ['toString', '{"title":"x","toString":"y"}'],
    ['hasOwnProperty', '{"title":"x","hasOwnProperty":1}'],
    ['an unknown field', '{"title":"x","priority":1}'],
    ['a server field', '{"title":"x","version":5}'],
    ['id', '{"title":"x","id":"01ARZ3NDEKTSV4RRFFQ69G5FAV"}'],
  ])('answers 400 for %s', async (_, body) => {
    await expectError(create, post(body), 400, 'UnknownField');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers 400 for __proto__ in an update', async () => {
    await expectError(update, put('{"version":1,"__proto__":{"title":"x"}}'), 400, 'UnknownField');
    await expectError(update, put('{"version":1,"title":"x","constructor":1}'), 400, 'UnknownField');
  });

  it.each([
    ['no title', {}],
    ['a numeric title', { title: 5 }],
    ['a null title', { title: null }],
    ['an empty title', { title: '' }],
    ['a 201-character title', { title: 'x'.repeat(201) }],
    ['4001 characters of notes', { title: 'x', notes: 'n'.repeat(4001) }],
    ['a string done', { title: 'x', done: 'true' }],
    ['a numeric done', { title: 'x', done: 1 }],
    ['a dueDate that is not a date', { title: 'x', dueDate: 'tomorrow' }],
    ['a dueDate of February 30', { title: 'x', dueDate: '2030-02-30' }],
    ['a short dueDate', { title: 'x', dueDate: '2030-1-5' }],
    ['a dueDate with time', { title: 'x', dueDate: '2030-01-05T00:00:00Z' }],
    ['an array title', { title: ['x'] }],
  ])('create answers 400 for %s', async (_, body) => {
    await expectError(create, post(body), 400);
  });

  it.each([
    ['no version', { title: 'x' }],
    ['only a version', { version: 1 }],
    ['a string version', { version: '1', title: 'x' }],
    ['version 0', { version: 0, title: 'x' }],
    ['a negative version', { version: -1, title: 'x' }],
    ['a fractional version', { version: 1.5, title: 'x' }],
    ['a huge version', { version: 1e300, title: 'x' }],
    ['an empty title', { version: 1, title: '' }],
  ])('update answers 400 for %s', async (_, body) => {
    await expectError(update, put(body), 400);
  });

  it('measures lengths in characters after normalisation', async () => {
    // 200 emoji (800 bytes) is a 200-character title.
    expect((await created({ title: '🎉'.repeat(200) })).title).toBe('🎉'.repeat(200));
    // 200 decomposed "é" (400 code points) compose to 200 characters.
    expect((await created({ title: 'e\u0301'.repeat(200) })).title).toBe('\u00e9'.repeat(200));
    await expectError(create, post({ title: '🎉'.repeat(201) }), 400, 'InvalidField');
  });

  it('takes a leap day', async () => {
    expect((await created({ title: 'leap', dueDate: '2028-02-29' })).dueDate).toBe('2028-02-29');
    await expectError(create, post({ title: 'leap', dueDate: '2027-02-29' }), 400, 'InvalidField');
  });
});

describe('text: lone surrogates, bidi, zero-width, CR/LF, NFC', () => {
  it.each([
    ['a lone high surrogate', '"a\\ud800b"'],
    ['a lone low surrogate', '"\\udc00"'],
    ['a reversed pair', '"\\udc00\\ud800"'],
    ['a trailing high surrogate', '"abc\\udbff"'],
  ])('answers 400 for %s', async (_, json) => {
    await expectError(create, post(`{"title":${json}}`), 400, 'InvalidText');
    await expectError(update, put(`{"version":1,"notes":${json}}`), 400, 'InvalidText');
  });

  it('answers 400 for a raw lone surrogate in the body text (never silently replaced by U+FFFD)', async () => {
    await expectError(create, post('{"title":"a\ud800"}'), 400, 'InvalidBody');
  });

  it.each([
    ['CR/LF', 'line\r\nInjected: header'],
    ['LF', 'a\nb'],
    ['CR', 'a\rb'],
    ['TAB', 'a\tb'],
    ['NUL', 'a\u0000b'],
    ['ESC', '\u001b[31mred'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['LINE SEPARATOR', 'a\u2028b'],
    ['RIGHT-TO-LEFT OVERRIDE', 'invoice\u202Efdp.exe'],
    ['LEFT-TO-RIGHT EMBEDDING', '\u202Aa'],
    ['POP DIRECTIONAL FORMATTING', 'a\u202C'],
    ['RIGHT-TO-LEFT ISOLATE', '\u2067a\u2069'],
    ['FIRST STRONG ISOLATE', '\u2068a'],
    ['ZERO WIDTH SPACE', 'pay\u200Bpal'],
    ['ZERO WIDTH NON-JOINER', 'a\u200Cb'],
    ['ZERO WIDTH JOINER', 'a\u200Db'],
    ['BOM / ZERO WIDTH NO-BREAK SPACE', '\uFEFFtitle'],
  ])('answers 400 for %s', async (_, text) => {
    await expectError(create, post({ title: text }), 400, 'InvalidText');
    await expectError(create, post({ title: 'ok', notes: text }), 400, 'InvalidText');
    await expectError(update, put({ version: 1, title: text }), 400, 'InvalidText');
  });

  it('stores NFC and NFD twins as the same value', async () => {
    const nfc = await created({ title: 'Caf\u00e9 cr\u00e8me', notes: '\u00c5ngstr\u00f6m' });
    const nfd = await created({ title: 'Cafe\u0301 cre\u0300me', notes: 'A\u030angstro\u0308m' });
    expect(nfd.title).toBe(nfc.title);
    expect(nfd.notes).toBe(nfc.notes);
    expect(nfd.title).toBe('Caf\u00e9 cr\u00e8me');
    // As stored in the table, not only as answered.
    const stored = JSON.parse((await get(apiEvent({ id: String(nfd.id) }))).body) as Record<string, unknown>;
    expect(stored.title).toBe('Caf\u00e9 cr\u00e8me');
    expect(stored.notes).toBe('\u00c5ngstr\u00f6m');
  });

  it('normalises updates too, and keeps right-to-left text and emoji without joiners', async () => {
    const res = await update(apiEvent(put({ version: 1, title: 'Cafe\u0301 שלום 👍🏽' })));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ title: 'Caf\u00e9 שלום 👍🏽', version: 2 });
  });
});

describe('path ids', () => {
  const badIds = [
    '../etc/passwd',
    '%2e%2e%2f',
    '01arz3ndektsv4rrffq69g5fav',
    '01ARZ3NDEKTSV4RRFFQ69G5FA',
    '01ARZ3NDEKTSV4RRFFQ69G5FAVX',
    '81ARZ3NDEKTSV4RRFFQ69G5FAV',
    '01ARZ3NDEKTSV4RRFFQ69G5FAI',
    '01ARZ3NDEKTSV4RRFFQ69G5FA\u0000',
    '01ARZ3NDEKTSV4RRFFQ69G5FAV\n',
    '',
    'x'.repeat(2000),
  ];
  it.each(badIds.map((id) => [JSON.stringify(id).slice(0, 40), id]))('answers 400 for id %s on get, update and delete', async (_, id) => {
    await expectError(get, { id }, 400, 'InvalidId');
    await expectError(update, { method: 'PUT', id, body: { version: 1, title: 'x' } }, 400, 'InvalidId');
    await expectError(remove, { method: 'DELETE', id }, 400, 'InvalidId');
  });

  it('answers 400 without path parameters', async () => {
    const event = apiEvent({ id: existingId });
    event.pathParameters = null;
    const res = await get(event);
    expect(res.statusCode).toBe(400);
  });
});

describe('unexpected errors', () => {
  it('answers a generic 500 with no stack, and logs the details', async () => {
    const table = process.env.TABLE_NAME;
    process.env.TABLE_NAME = 'no-such-table';
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const res = await expectError(get, { id: existingId }, 500, 'InternalError');
      expect(JSON.parse(res.body)).toMatchObject({ message: 'Internal server error.' });
      expect(res.body).not.toContain('no-such-table');
      expect(log).toHaveBeenCalledOnce();
      expect(log.mock.calls[0]![0]).toContain('ResourceNotFoundException');
    } finally {
      process.env.TABLE_NAME = table;
      log.mockRestore();
    }
  });

  it('answers 500, not a throw, for an event that is not an object', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const res = await list(null as unknown as ApiEvent);
      expect(res.statusCode).toBe(500);
      expect(JSON.parse(res.body)).toEqual({ code: 'InternalError', message: 'Internal server error.', requestId: '' });
    } finally {
      log.mockRestore();
    }
  });
});
