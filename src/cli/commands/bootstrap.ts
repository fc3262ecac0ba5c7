import { resolve } from 'node:path';
import { BOOTSTRAP_STACK, BOOTSTRAP_VERSION, bootstrap, bootstrapRegion, type BootstrapEvent } from '../../actions/bootstrap.js';
import type { CommandContext } from '../context.js';
import { sessionFor, str } from '../stack-flags.js';
import { colors, StackProgress } from '../stack-reporter.js';

export default async function bootstrapCommand(ctx: CommandContext, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const profile = str(opts.profile);
  const region = await bootstrapRegion({ region: str(opts.region), profile, dir: resolve(ctx.io.cwd, str(opts.dir) ?? '.') }, ctx.io.env);
  const profileFlag = profile ? ` --profile ${profile}` : '';

  const c = await colors(ctx);
  const progress = new StackProgress(ctx, c);
  const onEvent = (e: BootstrapEvent) => {
    if (e.type === 'stack-event') progress.event(e.event);
    else if (e.type === 'plan') {
      progress.line(e.action === 'create' ? `creating ${BOOTSTRAP_STACK} (version ${e.toVersion})` : `upgrading ${BOOTSTRAP_STACK} from version ${e.fromVersion ?? 0} to ${e.toVersion}`);
    } else if (e.type === 'recreate') {
      progress.line(c.yellow(`${BOOTSTRAP_STACK} is ${e.status}: ${e.reason}. Deleting it (it holds nothing) and creating it again.`));
    } else {
      progress.line(c.yellow(`${BOOTSTRAP_STACK} is version ${e.version}, made by a newer archctl (this one ships version ${BOOTSTRAP_VERSION}): left as it is`));
    }
  };

  const session = sessionFor(ctx, { region, profile });
  await progress.start(`bootstrapping ${BOOTSTRAP_STACK} in ${region}`);
  let result;
  try {
    result = await bootstrap(session, { onEvent });
  } finally {
    progress.stop();
    session.destroy();
  }

  if (ctx.global.json) {
    const { stackName, status, bucket, version } = result;
    ctx.io.stdout.write(JSON.stringify({ stackName, region, status, bucket, version }, null, 2) + '\n');
  }
  ctx.io.stderr.write(`${c.green('✔')} ${result.stackName} in ${region}: ${result.status} (version ${result.version}), artifact bucket ${result.bucket}\n`);
  ctx.io.stderr.write(`next: archctl deploy --region ${region}${profileFlag}\n`);
  return 0;
}
