// Each command is bundled on its own, so an error may come from another copy
// of this class: a registered symbol recognises it wherever it was made.
const BRAND = Symbol.for('archctl.error');

/**
 * The one error type archctl shows to users. `message` says what happened and
 * why; `fix` says what to do. Exit code 2 is a usage error (wrong flag, wrong
 * value), 1 is anything else that failed.
 */
export class ArchctlError extends Error {
  readonly [BRAND] = true;

  constructor(
    message: string,
    readonly fix: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'ArchctlError';
  }
}

export const isArchctlError = (err: unknown): err is ArchctlError =>
  typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;

export const usageError = (message: string, fix: string): ArchctlError => new ArchctlError(message, fix, 2);

/** AWS reasons can span lines; an archctl error is one line. */
export const oneLine = (text: string | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();
