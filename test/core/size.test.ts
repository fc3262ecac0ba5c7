import { describe, expect, it } from 'vitest';
import { isArchctlError, type ArchctlError } from '../../src/core/errors.js';
import { formatSize, parseSize } from '../../src/core/size.js';

function failure(text: string): ArchctlError {
  try {
    parseSize(text);
  } catch (err) {
    if (isArchctlError(err)) return err;
    throw err;
  }
  throw new Error(`parseSize(${JSON.stringify(text)}) did not throw`);
}

describe('parseSize', () => {
  it.each([
    ['250MB', 250_000_000],
    ['1.5 GiB', 1_610_612_736],
    ['800k', 800_000],
    ['800K', 800_000],
    ['800KiB', 819_200],
    ['1.5GB', 1_500_000_000],
    ['2TiB', 2 * 2 ** 40],
    ['1TB', 1e12],
    ['512Mi', 512 * 2 ** 20],
    ['100B', 100],
    ['250mb', 250_000_000],
    [' 10 MB ', 10_000_000],
    ['.5GB', 500_000_000],
    // 1.3 GiB is 1,395,864,371.2 bytes: a fraction of a byte is rounded.
    ['1.3GiB', 1_395_864_371],
  ])('%j is %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it('counts decimal units in powers of 1,000 and binary ones in powers of 1,024', () => {
    expect(parseSize('1MB')).toBe(1000 * 1000);
    expect(parseSize('1MiB')).toBe(1024 * 1024);
    expect(parseSize('1GiB') / parseSize('1GB')).toBeCloseTo(1.073741824, 9);
  });

  it.each([
    ['', /--file-size is empty/, /250MB/],
    ['250', /--file-size 250 has no unit/, /250MB, or 250B for bytes/],
    ['-5MB', /--file-size -5MB is negative/, /250MB/],
    ['250Mb', /"Mb" reads as bits/, /250MB for bytes/],
    ['4Gb', /"Gb" reads as bits/, /4GB for bytes/],
    ['10 parsecs', /"parsecs" is not a size unit/, /MiB = 1,048,576/],
    ['1,000MB', /"1,000MB" is not a size/, /250MB/],
    ['1e3MB', /"1e3MB" is not a size/, /250MB/],
    ['0MB', /less than one byte/, /250MB/],
    ['0.1B', /less than one byte/, /250MB/],
    ['9999999TB', /too large/, /250MB/],
  ])('%j is refused as a usage error with the fix', (text, message, fix) => {
    const err = failure(text);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.fix).toMatch(fix);
  });

  it('names the flag it was given', () => {
    expect(() => parseSize('x', '--max-size')).toThrow(/--max-size "x" is not a size/);
  });
});

describe('formatSize', () => {
  it.each([
    [500_000_000, '500 MB'],
    [1_610_612_736, '1.5 GiB'],
    [1_000_000_000, '1 GB'],
    [1024, '1 KiB'],
    [1000, '1 kB'],
    [1_000_000_000_000, '1 TB'],
    [123, '123 B'],
    [1_234_567, '≈1.23 MB'],
  ])('%d bytes read as %j', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });

  it('reads back what parseSize was given', () => {
    for (const text of ['250 MB', '1.5 GiB', '800 kB', '2 TiB']) expect(formatSize(parseSize(text))).toBe(text);
  });
});
