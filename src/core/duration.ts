import { usageError } from './errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const FIX = 'use a whole number and a unit (s, m, h or d), such as 30s, 10m, 2h or 1d';

/**
 * "30s", "10m", "2h", "1d" -> milliseconds. Only whole numbers and lower-case
 * units: "1M" could mean a month and "1.5h" a rounding question, so both are
 * refused with the form to use instead. `flag` names the option in errors.
 */
export function parseDuration(text: string, flag = '--since'): number {
  const value = text.trim();
  if (value === '') throw usageError(`${flag} is empty`, FIX);
  if (value.startsWith('-')) throw usageError(`${flag} ${value} is negative`, `${FIX}; it already counts back from now`);
  if (/^\d+$/.test(value)) throw usageError(`${flag} ${value} has no unit`, `add one, such as ${value}m for minutes or ${value}s for seconds`);
  const m = /^(\d+)([a-zA-Z]+)$/.exec(value);
  if (!m) throw usageError(`${flag} ${JSON.stringify(value)} is not a duration`, FIX);
  const [, digits, unit] = m as unknown as [string, string, string];
  const n = Number(digits);
  const unitMs = UNIT_MS[unit];
  if (unitMs === undefined) {
    const hint = unit === 'w' ? `; for weeks write days, such as ${n * 7}d` : '';
    throw usageError(`${flag} ${value}: "${unit}" is not a unit`, `${FIX}${hint}`);
  }
  if (n === 0) throw usageError(`${flag} ${value} is zero`, FIX);
  const ms = n * unitMs;
  if (!Number.isSafeInteger(ms)) throw usageError(`${flag} ${value} is too long`, FIX);
  return ms;
}
