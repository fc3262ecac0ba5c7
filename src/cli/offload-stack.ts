import type { StackRef } from '../actions/outputs.js';
import type { AwsSession } from '../aws/session.js';
import { resolveRegion } from '../aws/session.js';
import { usageError } from '../core/errors.js';
import type { CommandContext } from './context.js';
import { sessionFor, str } from './stack-flags.js';

/** What `offload status` and `offload invalidate` both start from: the offload stack and a session in its region. */
export async function offloadStack(ctx: CommandContext, opts: Record<string, unknown>): Promise<{ stack: StackRef; session: AwsSession }> {
  const stackName = str(opts.stackName);
  if (!stackName) throw usageError('missing --stack-name', 'pass the CloudFront stack archctl offload made (it printed its name; by default offload-<origin name>)');
  const profile = str(opts.profile);
  const region = await resolveRegion({ flag: str(opts.region), env: ctx.io.env, profile });
  return { stack: { stackName, region, stage: 'offload' }, session: sessionFor(ctx, { region, profile }) };
}
