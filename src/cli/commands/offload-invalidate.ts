import { randomUUID } from 'node:crypto';
import { invalidateOffload } from '../../actions/offload-status.js';
import type { CommandContext } from '../context.js';
import { offloadStack } from '../offload-stack.js';
import { colors, StackProgress } from '../stack-reporter.js';

export default async function offloadInvalidateCommand(ctx: CommandContext, [paths]: unknown[], opts: Record<string, unknown>): Promise<number> {
  const { stack, session } = await offloadStack(ctx, opts);
  const c = await colors(ctx);
  const progress = new StackProgress(ctx, c);
  try {
    await progress.start(`invalidating ${(paths as string[]).length} path(s) on ${stack.stackName}'s distribution`);
    const result = await invalidateOffload(session, {
      ref: { stack },
      paths: paths as string[],
      callerReference: `archctl-${randomUUID()}`,
      wait: opts.wait !== false,
      onEvent: (e) => {
        if (e.type === 'invalidation-created') progress.line(`invalidation ${e.id} accepted (${e.paths} path(s)); CloudFront usually finishes within a few minutes`);
      },
    });
    progress.stop();
    if (ctx.global.json) ctx.io.stdout.write(JSON.stringify(result, null, 2) + '\n');
    ctx.io.stderr.write(result.status === 'Completed' ? `${c.green('✔')} invalidation ${result.id} completed: the next request for these paths goes to the origin\n` : `invalidation ${result.id} is ${result.status}\n`);
    return 0;
  } finally {
    progress.stop();
    session.destroy();
  }
}
