import { usageError } from '../core/errors.js';
import type { CommandContext } from './context.js';

/**
 * Asks yes/no before a change. --yes answers yes; without a terminal (CI, a
 * pipe) and without --yes it stops with exit 2 instead of blocking or guessing.
 */
export async function confirmOrStop(ctx: CommandContext, question: string, what: string): Promise<boolean> {
  if (ctx.global.yes) return true;
  if (!ctx.io.interactive) throw usageError(`${what} needs confirmation and there is no terminal to ask on`, 'review it, then rerun with --yes');
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message: question, default: false });
}

/**
 * For what cannot be undone: the user types `expected` (the stack name).
 * --yes skips it; no terminal and no --yes stops with exit 2.
 */
export async function typedConfirmOrStop(ctx: CommandContext, question: string, expected: string, what: string): Promise<boolean> {
  if (ctx.global.yes) return true;
  if (!ctx.io.interactive) throw usageError(`${what} needs confirmation and there is no terminal to ask on`, 'review it, then rerun with --yes');
  const { input } = await import('@inquirer/prompts');
  const answer = await input({ message: `${question} Type ${expected} to confirm:` });
  return answer.trim() === expected;
}
