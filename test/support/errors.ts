import { isArchctlError, type ArchctlError } from '../../src/core/errors.js';

/** The ArchctlError a call throws; the test fails if it throws nothing or something else. */
export function failure(fn: () => unknown): ArchctlError {
  try {
    fn();
  } catch (err) {
    if (isArchctlError(err)) return err;
    throw err;
  }
  throw new Error('expected an ArchctlError, and nothing was thrown');
}
