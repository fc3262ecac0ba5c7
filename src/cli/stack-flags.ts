import { resolve } from 'node:path';
import { openSession, type StackFlags, type StackTarget } from '../actions/stack-target.js';
import type { AwsSession } from '../aws/session.js';
import type { CommandContext } from './context.js';

/** A flag's value when it was given as text (commander gives true for a bare optional value). */
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The shared AWS flags of a command's options, with --dir made absolute. */
export function stackFlags(ctx: CommandContext, pattern: unknown, opts: Record<string, unknown>): StackFlags {
  const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);
  return {
    pattern: str(pattern),
    dir: resolve(ctx.io.cwd, str(opts.dir) ?? '.'),
    sets: [...list(opts.set), ...list(opts.parameters)],
    region: str(opts.region),
    profile: str(opts.profile),
    stackName: str(opts.stackName),
    stage: str(opts.stage),
  };
}

/** Splits a comma-separated flag value into logical ids. */
export const idList = (v: unknown): string[] =>
  typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];

/** The SDK session for a command: retries and polls wait with the context's clock (instant in tests). */
export function sessionFor(ctx: CommandContext, t: Pick<StackTarget, 'region' | 'profile'>, onRetry?: (operation: string, err: unknown, waitMs: number) => void): AwsSession {
  return openSession(t, { ...(ctx.io.sleep ? { retry: { sleep: ctx.io.sleep } } : {}), ...(onRetry ? { onRetry } : {}) });
}
