import { resolve } from 'node:path';
import { deploy, type Question } from '../../actions/deploy.js';
import { writeFileAtomic } from '../../actions/files.js';
import { resolveStackTarget } from '../../actions/stack-target.js';
import { summarizeChanges } from '../../core/change-set.js';
import { confirmOrStop } from '../confirm.js';
import type { CommandContext } from '../context.js';
import { deployReporter, outputLines, resultJson } from '../deploy-report.js';
import { idList, sessionFor, stackFlags } from '../stack-flags.js';
import { colors, StackProgress } from '../stack-reporter.js';

export default async function deployCommand(ctx: CommandContext, [pattern]: unknown[], opts: Record<string, unknown>): Promise<number> {
  const flags = stackFlags(ctx, pattern, opts);
  const target = await resolveStackTarget(flags, ctx.io.env, true);
  const c = await colors(ctx);
  const progress = new StackProgress(ctx, c);
  const session = sessionFor(ctx, target, (op, _err, ms) => progress.line(c.yellow(`  ${op} throttled: retrying in ${(ms / 1000).toFixed(1)} s`)));
  const mode = opts.execute === false ? 'no-execute' : 'deploy';

  const ask = async (q: Question): Promise<boolean> => {
    progress.stop();
    let yes: boolean;
    if (q.kind === 'execute') {
      const n = summarizeChanges(q.changes);
      const count = n.add + n.modify + n.remove;
      yes = await confirmOrStop(
        ctx,
        `Deploy ${count === 0 ? 'the new outputs' : 'these changes'} to ${target.stackName} in ${target.region}?`,
        `deploying ${count === 0 ? 'output changes' : `${count} change${count === 1 ? '' : 's'}`} to ${target.stackName}`,
      );
    } else if (q.kind === 'recreate') {
      progress.line(c.yellow(`stack ${target.stackName} is ${q.status}: ${q.reason}.`));
      yes = await confirmOrStop(
        ctx,
        `Delete the failed stack ${target.stackName} (the failed create rolled its resources back) and create it again?`,
        `deleting the failed stack ${target.stackName}`,
      );
    } else {
      progress.line(c.yellow(`stack ${target.stackName} is UPDATE_ROLLBACK_FAILED: its last update failed and so did the rollback.`));
      yes = await confirmOrStop(ctx, `Continue the rollback${q.skip.length ? ` skipping ${q.skip.join(', ')}` : ''}, then deploy?`, `continuing the rollback of ${target.stackName}`);
    }
    // The spinner and its clock come back for the long part.
    if (yes) await progress.start(`deploying ${target.stackName} in ${target.region}`);
    return yes;
  };

  // Ctrl-C stops following, not the operation: CloudFormation carries on without us.
  const onSigint = () => {
    progress.stop();
    ctx.io.stderr.write(`\nstopped following; anything already started goes on in AWS: see archctl status${target.stage !== 'dev' ? ` --stage ${target.stage}` : ''}\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSigint);
  await progress.start(`${mode === 'deploy' ? 'deploying' : 'preparing'} ${target.stackName} in ${target.region}`);
  try {
    const result = await deploy(session, {
      target,
      projectDir: flags.dir,
      handlersDir: typeof opts.handlers === 'string' ? resolve(ctx.io.cwd, opts.handlers) : undefined,
      mode,
      allowReplace: Boolean(opts.allowReplace),
      hotswap: Boolean(opts.hotswap),
      skipResources: idList(opts.skipResources),
      confirm: ask,
      onEvent: deployReporter(ctx, c, progress, 'stderr'),
    });
    progress.stop();
    const err = (l: string) => ctx.io.stderr.write(`${l}\n`);
    if (result.outcome === 'cancelled') {
      err('deploy cancelled: nothing was changed (the change set was deleted)');
      return 1;
    }
    // Written whenever the stack's outputs are known, so a script never reads an older run's file.
    const writeOutputs = opts.outputsFile !== undefined && (result.outcome === 'deployed' || result.outcome === 'no-changes' || result.outcome === 'hotswapped');
    if (writeOutputs) writeFileAtomic(resolve(ctx.io.cwd, opts.outputsFile as string), JSON.stringify(result.outputs, null, 2) + '\n', { createDir: true });
    if (ctx.global.json) ctx.io.stdout.write(resultJson(result));
    else ctx.io.stdout.write(outputLines(result.outputs));
    switch (result.outcome) {
      case 'no-changes':
        err(`${c.green('✔')} no changes: ${target.stackName} in ${target.region} is up to date`);
        break;
      case 'hotswapped':
        err(`${c.green('✔')} hotswapped ${result.hotswapped!.join(', ')} in ${((progress.elapsedMs) / 1000).toFixed(1)} s`);
        err(c.yellow(`note: --hotswap is a development shortcut: ${target.stackName} has drifted from its template until the next full deploy (archctl deploy)`));
        break;
      case 'change-set-created':
        err(`${c.green('✔')} change set created, not executed: ${result.changeSetId}`);
        err(`next: review it in the CloudFormation console, then run archctl deploy (a new change set) or aws cloudformation execute-change-set --change-set-name ${result.changeSetId}`);
        break;
      default:
        err(`${c.green('✔')} deployed ${target.stackName} in ${target.region} in ${(progress.elapsedMs / 1000).toFixed(0)} s`);
        if (target.target?.pattern === 'todo') err(`next: archctl smoke${target.stage !== 'dev' ? ` --stage ${target.stage}` : ''} checks it end to end`);
    }
    if (writeOutputs) err(`outputs written to ${opts.outputsFile as string}`);
    return 0;
  } finally {
    progress.stop();
    process.removeListener('SIGINT', onSigint);
    session.destroy();
  }
}
