import { resolveStackTarget } from '../../actions/stack-target.js';
import { smokeStack, type SmokeEvent, type SmokeStep } from '../../actions/smoke.js';
import type { CommandContext } from '../context.js';
import { sessionFor, stackFlags } from '../stack-flags.js';
import { colors } from '../stack-reporter.js';

export default async function smokeCommand(ctx: CommandContext, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const target = await resolveStackTarget(stackFlags(ctx, undefined, opts), ctx.io.env, false);
  const c = await colors(ctx);
  const err = (line: string) => ctx.io.stderr.write(`${line}\n`);
  const session = sessionFor(ctx, target, (operation, e, waitMs) => {
    if (ctx.global.verbose) err(c.dim(`${operation}: ${(e as Error)?.name ?? 'error'}, retrying in ${waitMs} ms`));
  });
  const line = (s: SmokeStep) => {
    const time = c.dim(`(${s.ms} ms)`);
    if (s.ok) return `${c.green('✔')} ${s.name} ${time}${s.detail ? c.dim(`: ${s.detail}`) : ''}`;
    return `${c.red('✖')} ${s.name} ${time}: ${c.red(s.detail ?? 'failed')}`;
  };

  err(`smoke: checking ${target.stackName} in ${target.region} with a temporary user (removed at the end)`);
  try {
    const result = await smokeStack(session, target, { onEvent: (e: SmokeEvent) => err(line(e)) });
    if (ctx.global.json) ctx.io.stdout.write(JSON.stringify({ stackName: target.stackName, region: target.region, ...result }, null, 2) + '\n');
    const failed = result.steps.find((s) => !s.ok);
    if (failed) {
      err(`${c.red('✖')} smoke failed: ${failed.name}${failed.detail ? `: ${failed.detail}` : ''}`);
      return 1;
    }
    err(`${c.green('✔')} smoke passed: ${result.steps.length} steps against ${target.stackName}, temporary user removed`);
    return 0;
  } finally {
    session.destroy();
  }
}
