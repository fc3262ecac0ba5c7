import { badRequest } from './errors.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/**
 * The list's page size: absent means 20; otherwise a plain decimal integer
 * from 1 to 100. Anything else (-1, 0, 101, 1e9, "abc", " 5", "05", "5.0")
 * is a 400 rather than clamped: a client bug shows at once instead of
 * quietly getting pages of another size, and each page size has one spelling
 * (it is part of the stage cache's key).
 */
export function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  if (!/^[1-9][0-9]{0,2}$/.test(raw) || Number(raw) > MAX_LIMIT) {
    throw badRequest(`limit must be an integer from 1 to ${MAX_LIMIT}.`, 'InvalidLimit');
  }
  return Number(raw);
}
