import { resolve } from 'node:path';
import { deploy } from '../../actions/deploy.js';
import { resolveStackTarget } from '../../actions/stack-target.js';
import type { CommandContext } from '../context.js';
import { deployReporter, resultJson } from '../deploy-report.js';
import { sessionFor, stackFlags } from '../stack-flags.js';
import { colors, StackProgress } from '../stack-reporter.js';

/** A deploy that stops at the change set: shows it, deletes it, changes nothing. */
export default async function diffCommand(ctx: CommandContext, [pattern]: unknown[], opts: Record<string, unknown>): Promise<number> {
  const flags = stackFlags(ctx, pattern, opts);
  const target = await resolveStackTarget(flags, ctx.io.env, true);
  const c = await colors(ctx);
  const progress = new StackProgress(ctx, c);
  const session = sessionFor(ctx, target, (op, _err, ms) => progress.line(c.yellow(`  ${op} throttled: retrying in ${(ms / 1000).toFixed(1)} s`)));
  await progress.start(`computing the changes to ${target.stackName} in ${target.region}`);
  try {
    const result = await deploy(session, {
      target,
      projectDir: flags.dir,
      handlersDir: typeof opts.handlers === 'string' ? resolve(ctx.io.cwd, opts.handlers) : undefined,
      mode: 'diff',
      confirm: async () => false,
      onEvent: deployReporter(ctx, c, progress, ctx.global.json ? 'none' : 'stdout'),
    });
    progress.stop();
    if (ctx.global.json) ctx.io.stdout.write(resultJson(result));
    else if (result.outcome === 'no-changes') ctx.io.stdout.write('no changes\n');
    ctx.io.stderr.write(result.outcome === 'no-changes' ? `${c.green('✔')} ${target.stackName} is up to date\n` : `next: archctl deploy${target.stage !== 'dev' ? ` --stage ${target.stage}` : ''} applies these changes\n`);
    return 0;
  } finally {
    progress.stop();
    session.destroy();
  }
}
