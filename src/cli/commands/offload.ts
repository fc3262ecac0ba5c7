import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deploy } from '../../actions/deploy.js';
import { checkLockKept, needsAws, planOffload, type OffloadFlags } from '../../actions/offload.js';
import { resolveRegion } from '../../aws/session.js';
import { applyLockPlan, planOriginLock, readOriginSecret } from '../../aws/lock-origin.js';
import { ArchctlError, usageError } from '../../core/errors.js';
import { checkEstimateFlags, estimateOffload, formatEstimate } from '../../core/offload/estimate.js';
import { formatLockPlan } from '../../core/offload/lock-plan.js';
import { ORIGIN_HEADER } from '../../core/offload/options.js';
import { formatOffloadPlan } from '../../core/offload/plan-format.js';
import { OFFLOAD_PATTERN } from '../../core/offload/stack.js';
import { checkRegion } from '../../core/regions.js';
import { confirmOrStop } from '../confirm.js';
import type { CommandContext } from '../context.js';
import { deployReporter, outputLines } from '../deploy-report.js';
import { sessionFor, str } from '../stack-flags.js';
import { colors, StackProgress } from '../stack-reporter.js';

/** --estimate: the monthly bill with and without CloudFront, from the shipped price table. No AWS call. */
function estimate(ctx: CommandContext, opts: Record<string, unknown>): number {
  const input = checkEstimateFlags({
    monthlyDownloads: str(opts.monthlyDownloads),
    fileSize: str(opts.fileSize),
    hitRatio: str(opts.hitRatio),
    region: str(opts.region),
    priceClass: str(opts.priceClass),
    ...(opts.originShield !== undefined ? { originShield: opts.originShield as string | boolean } : {}),
  });
  const result = estimateOffload(input);
  ctx.io.stdout.write(ctx.global.json ? JSON.stringify(result, null, 2) + '\n' : formatEstimate(result).join('\n') + '\n');
  return 0;
}

export default async function offloadCommand(ctx: CommandContext, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  if (opts.estimate) return estimate(ctx, opts);
  for (const flag of ['monthlyDownloads', 'fileSize', 'hitRatio'] as const) {
    if (opts[flag] !== undefined) throw usageError(`--${flag.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)} belongs to --estimate`, 'add --estimate, or leave it out');
  }
  const origin = str(opts.origin);
  if (!origin) throw usageError('missing --origin', 'pass --origin with a load balancer name or ARN, an instance id or a DNS name (or --estimate for costs)');
  const flags: OffloadFlags = {
    origin,
    paths: str(opts.paths),
    ttl: str(opts.ttl),
    priceClass: str(opts.priceClass),
    domain: str(opts.domain),
    certificateArn: str(opts.certificateArn),
    originShield: opts.originShield as string | boolean | undefined,
    lockOrigin: Boolean(opts.lockOrigin),
    stackName: str(opts.stackName),
  };
  const dryRun = Boolean(opts.dryRun);
  const profile = str(opts.profile);
  const err = (line: string) => ctx.io.stderr.write(`${line}\n`);
  const c = await colors(ctx);

  // A dry run of a DNS-name origin touches nothing, not even the credential chain.
  const aws = !dryRun || needsAws(origin);
  const region = aws ? await resolveRegion({ flag: str(opts.region), env: ctx.io.env, profile }) : str(opts.region) !== undefined ? checkRegion(str(opts.region)!, '--region') : undefined;
  const session = aws ? sessionFor(ctx, { region: region!, profile }) : undefined;
  try {
    const plan = await planOffload(session, flags, region);
    if (ctx.global.json && dryRun) {
      ctx.io.stdout.write(JSON.stringify({ stackName: plan.stackName, region, origin: plan.origin, options: plan.options, summary: plan.summary, findings: plan.findings, template: plan.template }, null, 2) + '\n');
    } else {
      const lines = formatOffloadPlan({ ...plan, region });
      if (dryRun) ctx.io.stdout.write(lines.join('\n') + '\n');
      else for (const l of lines) err(l);
    }
    const unsuppressed = plan.findings.filter((f) => !f.suppressed);
    for (const f of unsuppressed) err(`${f.level === 'error' ? c.red('error') : c.yellow('warning')}: ${f.logicalId} ${f.ruleId ?? f.source}: ${f.message}`);
    if (plan.summary.errors > 0) {
      throw new ArchctlError(`the CloudFront stack has ${plan.summary.errors} error finding(s): nothing was deployed`, 'report it: archctl renders this stack, so this is a bug in archctl');
    }
    if (dryRun) {
      if (flags.lockOrigin && session) {
        const lock = await planOriginLock(session, plan.origin, { name: ORIGIN_HEADER });
        ctx.io.stdout.write('\n' + formatLockPlan(lock) + '\n');
      }
      err(`${c.green('✔')} dry run: nothing was changed. Deploy it with the same command without --dry-run${region ? '' : ' (and --region)'}.`);
      return 0;
    }

    await checkLockKept(session!, plan.stackName, Boolean(flags.lockOrigin));
    const progress = new StackProgress(ctx, c);
    const work = mkdtempSync(join(tmpdir(), 'archctl-offload-'));
    await progress.start(`deploying ${plan.stackName} in ${region}`);
    let outputs: Record<string, string>;
    try {
      const result = await deploy(session!, {
        target: { stackName: plan.stackName, stage: 'offload', production: false, region: region!, profile },
        rendered: { pattern: OFFLOAD_PATTERN, template: plan.template },
        projectDir: work,
        mode: 'deploy',
        confirm: async () => {
          progress.stop();
          const yes = await confirmOrStop(ctx, `Create or update the CloudFront stack ${plan.stackName} in ${region}?`, `deploying ${plan.stackName}`);
          if (yes) await progress.start(`deploying ${plan.stackName} in ${region}`);
          return yes;
        },
        onEvent: deployReporter(ctx, c, progress, 'stderr'),
      });
      progress.stop();
      if (result.outcome === 'cancelled') {
        err('offload cancelled: nothing was changed');
        return 1;
      }
      outputs = result.outputs;
    } finally {
      progress.stop();
      rmSync(work, { recursive: true, force: true });
    }
    ctx.io.stdout.write(ctx.global.json ? JSON.stringify({ stackName: plan.stackName, region, outputs }, null, 2) + '\n' : outputLines(outputs));
    const domain = outputs.DistributionDomainName;
    if (domain) {
      err(`${c.green('✔')} CloudFront serves ${plan.origin.domainName} at https://${domain}`);
      err(
        plan.options.aliases
          ? `next: point ${plan.options.aliases.names.join(', ')} at ${domain}: a CNAME record, or in Route 53 an alias A/AAAA record to the distribution (hosted zone Z2FDTNDATAQYW2)`
          : `next: give clients https://${domain}/, or point a new download name at it (a CNAME, or a Route 53 alias); not ${plan.origin.domainName}, which CloudFront uses to reach the app`,
      );
    }
    if (flags.lockOrigin && outputs.OriginSecretArn) {
      const secret = await readOriginSecret(session!, outputs.OriginSecretArn);
      const lock = await planOriginLock(session!, plan.origin, { name: ORIGIN_HEADER, value: secret });
      err('\n' + formatLockPlan(lock));
      if (!(await confirmOrStop(ctx, 'Apply this plan to the load balancer (only CloudFront will reach it)?', 'locking the origin'))) {
        err('lock-origin skipped: the load balancer is unchanged (rerun with --lock-origin to apply it later)');
        return 0;
      }
      await applyLockPlan(session!, lock, (step, i, total) => err(`  [${i + 1}/${total}] ${step.description}`));
      err(`${c.green('✔')} the load balancer now answers only CloudFront (others get 403)`);
    }
    return 0;
  } finally {
    session?.destroy();
  }
}
