// The todo handlers' library pieces that the routes cannot reach on their own.
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { withDeadline } from '../../../handlers/todo/lib/deadline.js';
import { HttpError } from '../../../handlers/todo/lib/errors.js';
import { decodeNextToken, encodeNextToken } from '../../../handlers/todo/lib/next-token.js';
import { codePoints, normaliseText, utf8Bytes } from '../../../handlers/todo/lib/text.js';
import { TODO_ID, newTodoId } from '../../../handlers/todo/lib/todo-id.js';
import { assertItemSize } from '../../../handlers/todo/lib/todo.js';

describe('todo ids', () => {
  it('are ULIDs that sort by time, and in creation order within a millisecond', () => {
    const ids = [newTodoId(1_700_000_000_000), newTodoId(1_700_000_000_000), newTodoId(1_700_000_000_000), newTodoId(1_700_000_000_001)];
    for (const id of ids) expect(id).toMatch(TODO_ID);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
    expect(ids[0]!.slice(0, 10)).toBe('01HF7YAT00') // 1700000000000 in Crockford base32;
  });

  it('keep increasing when the clock steps back', () => {
    const later = newTodoId(1_800_000_000_000);
    expect(newTodoId(1_700_000_000_000) > later).toBe(true);
  });
});

describe('text', () => {
  it('normalises to NFC and counts code points and UTF-8 bytes', () => {
    expect(normaliseText('A\u030angstro\u0308m')).toEqual({ ok: true, value: '\u00c5ngstr\u00f6m' });
    expect(codePoints('🎉é')).toBe(2);
    expect(utf8Bytes('🎉é')).toBe(6);
  });

  it('tells lone surrogates from forbidden characters', () => {
    expect(normaliseText('\ud83d')).toEqual({ ok: false, problem: 'lone-surrogate' });
    expect(normaliseText('\ud83d\ude00')).toEqual({ ok: true, value: '😀' });
    expect(normaliseText('a\u2066b')).toEqual({ ok: false, problem: 'forbidden-character' });
  });
});

describe('item size', () => {
  it('refuses an item over DynamoDB\'s 400 KB', () => {
    expect(() => assertItemSize({ userId: 'u', todoId: 'x', notes: 'n'.repeat(399 * 1024) })).not.toThrow();
    expect(() => assertItemSize({ userId: 'u', todoId: 'x', notes: 'é'.repeat(201 * 1024) })).toThrow(
      expect.objectContaining({ statusCode: 413, code: 'PayloadTooLarge' }),
    );
  });
});

describe('nextToken format', () => {
  it('is base64url of version 1, a 12-byte IV, the ciphertext and a 16-byte tag', () => {
    const secret = process.env.PAGINATION_SECRET;
    process.env.PAGINATION_SECRET = 'unit-secret';
    onTestFinished(() => {
      if (secret === undefined) delete process.env.PAGINATION_SECRET;
      else process.env.PAGINATION_SECRET = secret;
    });
    const key = { userId: 'u1', todoId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' };
    const token = encodeNextToken('u1', key);
    const raw = Buffer.from(token, 'base64url');
    expect(raw[0]).toBe(1);
    const plaintext = JSON.stringify({ u: 'u1', k: key });
    expect(raw.length).toBe(1 + 12 + Buffer.byteLength(plaintext) + 16);
    expect(token).not.toContain(Buffer.from('01ARZ3NDEKTSV4RRFFQ69G5FAV').toString('base64url'));
    expect(decodeNextToken(token, 'u1')).toEqual(key);
    expect(encodeNextToken('u1', key)).not.toBe(token); // a fresh IV each time
    expect(() => decodeNextToken(token, 'u2')).toThrow(HttpError);
  });
});

describe('deadline', () => {
  it('passes a prompt answer through and clears its timer', async () => {
    vi.useFakeTimers();
    try {
      const onTimeout = vi.fn();
      await expect(withDeadline(Promise.resolve(42), 100, onTimeout)).resolves.toBe(42);
      expect(vi.getTimerCount()).toBe(0);
      await expect(withDeadline(Promise.reject(new Error('boom')), 100, onTimeout)).rejects.toThrow('boom');
      expect(onTimeout).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers 503 when the promise is too slow', async () => {
    const onTimeout = vi.fn();
    await expect(withDeadline(new Promise(() => undefined), 10, onTimeout)).rejects.toMatchObject({ statusCode: 503, code: 'ServiceUnavailable' });
    expect(onTimeout).toHaveBeenCalledOnce();
  });
});
