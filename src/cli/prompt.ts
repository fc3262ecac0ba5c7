import { usageError } from '../core/errors.js';
import type { CommandContext } from './context.js';

interface Choice {
  value: string;
  name?: string;
  description?: string;
}

/**
 * Asks for a missing value, but only when a person is there to answer:
 * without a TTY (or with --yes and no default) it fails at once naming the
 * flag, so no prompt ever blocks a script or CI.
 */
export async function askOrFail(
  ctx: CommandContext,
  ask: { message: string; flag: string; choices?: Choice[]; default?: string; validate?: (v: string) => string | true },
): Promise<string> {
  if (ctx.global.yes && ask.default !== undefined) return ask.default;
  if (!ctx.io.interactive || ctx.global.yes) {
    throw usageError(`missing ${ask.flag}`, `pass ${ask.flag} (no terminal to ask on${ctx.global.yes ? ', and --yes accepts only defaults' : ''})`);
  }
  const { select, input } = await import('@inquirer/prompts');
  if (ask.choices) return select({ message: ask.message, choices: ask.choices, ...(ask.default ? { default: ask.default } : {}) });
  return input({ message: ask.message, ...(ask.default ? { default: ask.default } : {}), ...(ask.validate ? { validate: ask.validate } : {}) });
}
