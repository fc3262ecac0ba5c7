import { forgetDeployState } from '../../actions/deploy-state.js';
import { prepareDestroy, runDestroy, type DestroyResult } from '../../actions/destroy.js';
import { resolveStackTarget, type StackTarget } from '../../actions/stack-target.js';
import { formatDestroyPlan, formatLeftBehind, type DestroyPlan } from '../../core/destroy-plan.js';
import { ArchctlError, usageError, oneLine } from '../../core/errors.js';
import { typedConfirmOrStop } from '../confirm.js';
import type { CommandContext } from '../context.js';
import { idList, sessionFor, stackFlags } from '../stack-flags.js';
import { colors, StackProgress } from '../stack-reporter.js';

/** The command to run again, naming the stack and region outright so it works from any folder. */
function rerun(t: StackTarget, extra: string): string {
  return `archctl destroy --stack-name ${t.stackName} --region ${t.region}${t.profile ? ` --profile ${t.profile}` : ''}${extra}`;
}


function failure(t: StackTarget, r: DestroyResult): ArchctlError {
  const causes = r.causes.map((e) => `${e.logicalId}: ${oneLine(e.reason)}`).join('; ') || 'CloudFormation gave no reason';
  const ids = r.failed.map((f) => f.logicalId);
  const fix =
    ids.length > 0
      ? `fix or empty what failed and rerun ${rerun(t, '')}, or leave ${ids.length === 1 ? 'it' : 'them'} in place: ${rerun(t, ` --retain ${ids.join(',')}`)}`
      : `see archctl status --stack-name ${t.stackName} --region ${t.region}, then rerun`;
  return new ArchctlError(`destroying ${t.stackName} failed (${r.status}): ${causes}`, fix);
}

function json(t: StackTarget, status: string, plan: DestroyPlan | undefined, r?: DestroyResult): string {
  const { retained = [], snapshot = [], deletedWithData = [], deleted = 0 } = plan ?? {};
  return (
    JSON.stringify(
      {
        stackName: t.stackName,
        region: t.region,
        status,
        retained,
        snapshot,
        deletedWithData,
        deleted,
        failed: r?.failed ?? plan?.failed ?? [],
        causes: (r?.causes ?? []).map((e) => ({ logicalId: e.logicalId, type: e.resourceType, status: e.status, reason: oneLine(e.reason) })),
      },
      null,
      2,
    ) + '\n'
  );
}

export default async function destroyCommand(ctx: CommandContext, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const retain = idList(opts.retain);
  if (opts.retain !== undefined && retain.length === 0) throw usageError('--retain names no resource', 'pass logical ids, comma-separated: --retain Bucket,Table');
  const flags = stackFlags(ctx, undefined, opts);
  const target = await resolveStackTarget(flags, ctx.io.env, false);
  const err = (line: string) => ctx.io.stderr.write(`${line}\n`);
  const c = await colors(ctx);
  const session = sessionFor(ctx, target);
  try {
    const prep = await prepareDestroy(session, { stackName: target.stackName, region: target.region, profile: target.profile, retain });
    if (prep.kind === 'missing') {
      // Idempotent: the stack being gone is what destroy is for, so a second run (or a CI retry) succeeds.
      err(`nothing to destroy: no stack ${target.stackName} in ${target.region}`);
      if (ctx.global.json) ctx.io.stdout.write(json(target, 'NOT_FOUND', undefined));
      return 0;
    }
    const { stack, plan } = prep;
    err(c.bold(`destroy ${stack.name} in ${target.region} (${stack.status}):`));
    for (const line of formatDestroyPlan(plan)) err(line);
    const question = `Delete stack ${stack.name} in ${target.region}? What is listed as deleted cannot be recovered.`;
    if (!(await typedConfirmOrStop(ctx, question, stack.name, `destroying ${stack.name}`))) {
      throw new ArchctlError('destroy cancelled: the name did not match; nothing was deleted', `rerun and type ${stack.name} exactly`);
    }

    const progress = new StackProgress(ctx, c);
    await progress.start(`destroying ${stack.name}`);
    let result: DestroyResult;
    try {
      result = await runDestroy(session, prep, { onEvent: (e) => progress.event(e) });
    } finally {
      progress.stop();
    }
    if (ctx.global.json) ctx.io.stdout.write(json(target, result.status, plan, result));
    if (result.status !== 'DELETE_COMPLETE') throw failure(target, result);
    forgetDeployState(flags.dir, stack.name, target.region);
    err(`${c.green('✔')} destroyed ${stack.name} in ${target.region}`);
    for (const line of formatLeftBehind(plan)) err(line);
    return 0;
  } finally {
    session.destroy();
  }
}
