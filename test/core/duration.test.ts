import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/core/duration.js';
import { isArchctlError, type ArchctlError } from '../../src/core/errors.js';

function failure(text: string): ArchctlError {
  try {
    parseDuration(text);
  } catch (err) {
    if (isArchctlError(err)) return err;
    throw err;
  }
  throw new Error(`parseDuration(${JSON.stringify(text)}) did not throw`);
}

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['90m', 5_400_000],
    [' 5m ', 300_000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['10', /--since 10 has no unit/, /10m for minutes/],
    ['-5m', /--since -5m is negative/, /30s, 10m, 2h or 1d/],
    ['1w', /"w" is not a unit/, /such as 7d/],
    ['', /--since is empty/, /30s, 10m, 2h or 1d/],
    ['0m', /is zero/, /30s, 10m/],
    ['1.5h', /"1.5h" is not a duration/, /whole number/],
    ['10M', /"M" is not a unit/, /s, m, h or d/],
    ['m', /"m" is not a duration/, /30s/],
    ['9999999999999999d', /too long/, /30s/],
  ])('%j is refused as a usage error with the form to use', (text, message, fix) => {
    const err = failure(text);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.fix).toMatch(fix);
  });

  it('names the flag it was given', () => {
    expect(() => parseDuration('abc', '--window')).toThrow(/--window "abc"/);
  });
});
