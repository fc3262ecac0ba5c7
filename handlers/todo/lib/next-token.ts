import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { badRequest, type HttpError } from './errors.js';
import { TODO_ID } from './todo-id.js';

// The list's nextToken: the page's last key, sealed with AES-256-GCM so the
// client can neither read nor forge it, and bound to the user it was issued
// to (their id is inside the sealed payload and in the authenticated data).
//
//   base64url( 0x01 | iv (12 bytes) | ciphertext | GCM tag (16 bytes) )
//   plaintext: {"u": userId, "k": {"userId": userId, "todoId": id}}
//   key: SHA-256(PAGINATION_SECRET); AAD: "todo-list-v1:" + userId
//
// Every failure is the same generic 400: a client learns nothing about why.

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const MAX_TOKEN_CHARS = 2048;

export interface TodoKey {
  userId: string;
  todoId: string;
}

let cachedKey: { secret: string; key: Buffer } | undefined;

function key(): Buffer {
  const secret = process.env.PAGINATION_SECRET;
  // A deployment without the secret is broken, not the request: 500, logged.
  if (!secret) throw new Error('PAGINATION_SECRET is not set');
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: createHash('sha256').update(secret, 'utf8').digest() };
  return cachedKey.key;
}

const aad = (userId: string): Buffer => Buffer.from(`todo-list-v${VERSION}:${userId}`, 'utf8');

const invalid = (): HttpError => badRequest('The nextToken is not valid.', 'InvalidNextToken');

/** Checks the configuration up front, so a missing secret fails every list call alike. */
export function assertTokenKey(): void {
  key();
}

export function encodeNextToken(userId: string, lastKey: TodoKey): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  cipher.setAAD(aad(userId));
  const plain = JSON.stringify({ u: userId, k: { userId: lastKey.userId, todoId: lastKey.todoId } });
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

function isExactly(value: unknown, keys: string[]): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(value, k));
}

/** The key to continue after, for this caller only; a generic 400 otherwise. */
export function decodeNextToken(token: string, userId: string): TodoKey {
  // Size and alphabet first: nothing larger than 2 KB is ever decoded.
  if (token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
  const raw = Buffer.from(token, 'base64url');
  // Only the canonical spelling: no second string decodes to the same token.
  if (raw.toString('base64url') !== token) throw invalid();
  if (raw.length < 1 + IV_BYTES + TAG_BYTES + 1 || raw[0] !== VERSION) throw invalid();
  const secretKey = key();
  let payload: unknown;
  try {
    const decipher = createDecipheriv('aes-256-gcm', secretKey, raw.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(userId));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(raw.subarray(1 + IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    payload = JSON.parse(plain.toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!isExactly(payload, ['u', 'k']) || payload.u !== userId) throw invalid();
  const k = payload.k;
  if (!isExactly(k, ['userId', 'todoId']) || k.userId !== userId) throw invalid();
  if (typeof k.todoId !== 'string' || !TODO_ID.test(k.todoId)) throw invalid();
  return { userId, todoId: k.todoId };
}
