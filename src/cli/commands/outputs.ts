import { resolveStackTarget } from '../../actions/stack-target.js';
import { readOutputs } from '../../actions/outputs.js';
import type { CommandContext } from '../context.js';
import { colors } from '../stack-reporter.js';
import { sessionFor, stackFlags } from '../stack-flags.js';

/** "Key  Value" lines, the keys padded to one width. */
export function alignedPairs(pairs: Record<string, string>, indent = ''): string {
  const width = Math.max(0, ...Object.keys(pairs).map((k) => k.length));
  return Object.entries(pairs)
    .map(([key, value]) => `${indent}${key.padEnd(width)}  ${value}\n`)
    .join('');
}

export default async function outputsCommand(ctx: CommandContext, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const target = await resolveStackTarget(stackFlags(ctx, undefined, opts), ctx.io.env, false);
  const session = sessionFor(ctx, target);
  try {
    const report = await readOutputs(session, target);
    const c = await colors(ctx);
    ctx.io.stdout.write(ctx.global.json ? JSON.stringify(report.outputs, null, 2) + '\n' : alignedPairs(report.outputs));
    if (!report.settled) {
      ctx.io.stderr.write(`${c.yellow('warning:')} ${report.stackName} is ${report.status}: these outputs may change when the operation ends\n`);
    } else if (!report.stable) {
      ctx.io.stderr.write(`${c.yellow('warning:')} ${report.stackName} is ${report.status}: its last operation failed, so some outputs may be missing or stale\n`);
    }
    if (Object.keys(report.outputs).length === 0 && !ctx.global.json) ctx.io.stderr.write(`${report.stackName} has no outputs\n`);
    return 0;
  } finally {
    session.destroy();
  }
}
