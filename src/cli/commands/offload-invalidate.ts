import { randomUUID } from 'node:crypto';
import { offloadDistribution } from '../../actions/offload.js';
import { invalidateOffload } from '../../actions/offload-status.js';
import { resolveRegion } from '../../aws/session.js';
import { usageError } from '../../core/errors.js';
import type { CommandContext } from '../context.js';
import { sessionFor } from '../stack-flags.js';
import { colors, StackProgress } from '../stack-reporter.js';

export default async function offloadInvalidateCommand(ctx: CommandContext, [paths]: unknown[], opts: Record<string, unknown>): Promise<number> {
  const stackName = typeof opts.stackName === 'string' ? opts.stackName : undefined;
  if (!stackName) throw usageError('missing --stack-name', 'pass the CloudFront stack archctl offload made (it printed its name; by default offload-<origin name>)');
  const profile = typeof opts.profile === 'string' ? opts.profile : undefined;
  const region = await resolveRegion({ flag: typeof opts.region === 'string' ? opts.region : undefined, env: ctx.io.env, profile });
  const session = sessionFor(ctx, { region, profile });
  const c = await colors(ctx);
  const progress = new StackProgress(ctx, c);
  try {
    const distributionId = await offloadDistribution(session, stackName);
    await progress.start(`invalidating ${(paths as string[]).length} path(s) on ${distributionId}`);
    const result = await invalidateOffload(session, {
      ref: { distributionId },
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
