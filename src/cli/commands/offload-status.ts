import { readOffloadStatus } from '../../actions/offload-status.js';
import { usageError } from '../../core/errors.js';
import type { CommandContext } from '../context.js';
import { offloadStack } from '../offload-stack.js';

const pct = (n: number | null) => (n === null ? 'not available' : `${n.toFixed(1)}%`);
const count = (n: number) => n.toLocaleString('en-US');

export default async function offloadStatusCommand(ctx: CommandContext, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const hours = Number(opts.hours ?? 24);
  if (!Number.isInteger(hours) || hours < 1 || hours > 360) throw usageError(`--hours ${String(opts.hours)} is not a whole number of hours from 1 to 360`, 'pass --hours 24, for example');
  const { stack, session } = await offloadStack(ctx, opts);
  try {
    const report = await readOffloadStatus(session, { ref: { stack }, now: new Date(), hours });
    if (ctx.global.json) {
      ctx.io.stdout.write(JSON.stringify({ stackName: stack.stackName, region: stack.region, ...report }, null, 2) + '\n');
      return 0;
    }
    const d = report.distribution;
    const t = report.traffic;
    const lines = [
      `distribution  ${d.id} (${d.domainName})`,
      `state         ${d.status}${d.status === 'InProgress' ? ' (a change is reaching the edge locations: 5 to 15 minutes)' : ''}, ${d.enabled ? 'enabled' : 'disabled'}`,
      ...(d.aliases.length > 0 ? [`names         ${d.aliases.join(', ')}`] : []),
      `last ${hours} h     ${count(t.requests)} requests, ${(t.bytesDownloaded / 1e9).toFixed(2)} GB to viewers`,
      `cache hits    ${pct(t.cacheHitRate)}`,
      `origin        ${t.originRequestsEstimate === null ? 'not available' : `about ${count(Math.round(t.originRequestsEstimate))} requests (estimated from the hit rate)`}`,
      `errors        4xx ${pct(t.errorRate4xx)}, 5xx ${pct(t.errorRate5xx)}`,
    ];
    ctx.io.stdout.write(lines.join('\n') + '\n');
    for (const note of t.notes) ctx.io.stderr.write(`note: ${note}\n`);
    return 0;
  } finally {
    session.destroy();
  }
}
