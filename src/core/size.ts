import { usageError } from './errors.js';

/**
 * Sizes as people write them -> bytes.
 *
 * Two families of units exist and both are in daily use:
 * - decimal (SI): kB, MB, GB, TB are powers of 1,000. Download pages, macOS
 *   Finder and disk makers count this way, so "250MB" means 250,000,000 bytes.
 * - binary (IEC): KiB, MiB, GiB, TiB are powers of 1,024. Windows Explorer
 *   counts this way but labels it "MB"/"GB", and AWS bills a "GB" of transfer
 *   as a GiB.
 * A letter alone (k, M, G, T) is decimal too: "800k" is 800,000 bytes; write
 * 800KiB for 819,200. Case does not matter, except that an upper-case prefix
 * followed by a lower-case b ("Mb", "Gb") is the usual spelling of bits, which
 * is refused rather than silently read as bytes.
 */
const DECIMAL: Readonly<Record<string, number>> = { b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12 };
const BINARY: Readonly<Record<string, number>> = {
  ki: 2 ** 10, kib: 2 ** 10, mi: 2 ** 20, mib: 2 ** 20, gi: 2 ** 30, gib: 2 ** 30, ti: 2 ** 40, tib: 2 ** 40,
};
const FIX = 'use a number and a unit, such as 250MB, 1.5GiB or 800k (MB = 1,000,000 bytes, MiB = 1,048,576)';

/** "250MB" -> 250000000; `flag` names the option in errors. Fractions of a byte are rounded. */
export function parseSize(text: string, flag = '--file-size'): number {
  const value = text.trim();
  if (value === '') throw usageError(`${flag} is empty`, FIX);
  if (value.startsWith('-')) throw usageError(`${flag} ${value} is negative`, FIX);
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z]*)$/.exec(value);
  if (!m) throw usageError(`${flag} ${JSON.stringify(value)} is not a size`, FIX);
  const [, digits, unit] = m as unknown as [string, string, string];
  if (unit === '') throw usageError(`${flag} ${value} has no unit`, `add one, such as ${digits}MB, or ${digits}B for bytes`);
  if (/^[KMGT]i?b$/.test(unit)) {
    throw usageError(`${flag} ${value}: "${unit}" reads as bits`, `write ${digits}${unit.slice(0, -1)}B for bytes`);
  }
  const multiplier = DECIMAL[unit.toLowerCase()] ?? BINARY[unit.toLowerCase()];
  if (multiplier === undefined) throw usageError(`${flag} ${value}: "${unit}" is not a size unit`, FIX);
  const bytes = Math.round(Number(digits) * multiplier);
  if (bytes < 1) throw usageError(`${flag} ${value} is less than one byte`, FIX);
  if (!Number.isSafeInteger(bytes)) throw usageError(`${flag} ${value} is too large`, FIX);
  return bytes;
}

const SHOW_DECIMAL: readonly [string, number][] = [['TB', 1e12], ['GB', 1e9], ['MB', 1e6], ['kB', 1e3]];
const SHOW_BINARY: readonly [string, number][] = [['TiB', 2 ** 40], ['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]];

/**
 * Bytes -> a short spelling that reads back the way the size was probably
 * written: in each family the largest unit that fits, kept when it is exact to
 * three decimals, the shorter of the two winning (500000000 -> "500 MB",
 * 1610612736 -> "1.5 GiB", 1024 -> "1 KiB"). Anything else gets decimal units
 * rounded to two decimals ("≈1.23 MB").
 */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  let best: string | undefined;
  for (const family of [SHOW_DECIMAL, SHOW_BINARY]) {
    const fit = family.find(([, size]) => bytes >= size);
    if (!fit) continue;
    const thousandths = (bytes / fit[1]) * 1000;
    if (Math.abs(thousandths - Math.round(thousandths)) > 1e-6) continue;
    const text = `${Math.round(thousandths) / 1000} ${fit[0]}`;
    if (best === undefined || text.length < best.length) best = text;
  }
  if (best !== undefined) return best;
  const [unit, size] = SHOW_DECIMAL.find(([, s]) => bytes >= s)!;
  return `≈${(bytes / size).toFixed(2)} ${unit}`;
}
