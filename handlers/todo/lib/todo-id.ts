import { randomBytes } from 'node:crypto';
import type { ApiEvent } from './event.js';
import { badRequest } from './errors.js';

// Todo ids are ULIDs: 48 bits of milliseconds then 80 random bits, in
// Crockford base32 (26 characters, upper case). They sort by creation time,
// so the table's range key orders a user's todos oldest to newest.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TODO_ID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

// Monotonic within a container: ids made in the same millisecond (or while
// the clock steps back) continue from the last one, so one container's ids
// always sort in creation order.
let last: { time: number; random: number[] } | undefined;

function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    next[i] = (next[i]! + 1) % 32;
    if (next[i] !== 0) return next;
  }
  return next; // 2^80 ids in one millisecond: wraps, and the put's condition catches it
}

export function newTodoId(now: number = Date.now()): string {
  if (last && now <= last.time) {
    last = { time: last.time, random: increment(last.random) };
  } else {
    // 256 is a multiple of 32: every digit is uniform.
    last = { time: now, random: [...randomBytes(16)].map((b) => b % 32) };
  }
  let time = '';
  for (let t = last.time, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = ALPHABET[t % 32] + time;
  return time + last.random.map((d) => ALPHABET[d]).join('');
}

/** The {id} path parameter, which must be a todo id exactly (400 otherwise). */
export function pathTodoId(event: ApiEvent): string {
  const id = event.pathParameters?.id;
  if (typeof id !== 'string' || !TODO_ID.test(id)) throw badRequest('The todo id in the path is not valid.', 'InvalidId');
  return id;
}
