import { readStatus, type StatusReport } from '../../actions/status.js';
import { resolveStackTarget } from '../../actions/stack-target.js';
import { usageError } from '../../core/errors.js';
import type { CommandContext } from '../context.js';
import { colors, type Colors } from '../stack-reporter.js';
import { sessionFor, stackFlags } from '../stack-flags.js';
import { alignedPairs } from './outputs.js';

/** DescribeStackEvents answers one page of up to 100 events; status reads only that page. */
const MAX_EVENTS = 100;

function parseEvents(value: unknown): number {
  const text = String(value ?? '10');
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > MAX_EVENTS) throw usageError(`--events ${text} is not a number of events`, `pass a whole number from 0 to ${MAX_EVENTS}`);
  return n;
}

function statusColor(c: Colors, status: string): string {
  if (status.endsWith('_FAILED') || status === 'ROLLBACK_COMPLETE') return c.red(status);
  if (status.endsWith('_IN_PROGRESS') || status.includes('ROLLBACK')) return c.yellow(status);
  return c.green(status);
}

function human(r: StatusReport, c: Colors): string {
  const stack: Record<string, string> = { stack: `${r.stackName} (${r.region})`, status: statusColor(c, r.status) };
  if (r.statusReason) stack.reason = r.statusReason;
  if (r.lastUpdated) stack.updated = r.lastUpdated;
  stack.protection = r.terminationProtection ? 'on' : 'off';
  let out = alignedPairs(stack);

  out += `\n${c.bold('outputs')}\n`;
  out += Object.keys(r.outputs).length > 0 ? alignedPairs(r.outputs, '  ') : `  ${c.dim('none')}\n`;

  if (r.events.length > 0) {
    out += `\n${c.bold('recent events')}\n`;
    const width = Math.max(...r.events.map((e) => e.status.length));
    for (const e of r.events) {
      const reason = e.reason ? `  ${e.status.endsWith('_FAILED') ? c.red(e.reason) : c.dim(e.reason)}` : '';
      out += `  ${c.dim(e.timestamp)}  ${statusColor(c, e.status)}${' '.repeat(width - e.status.length)}  ${e.logicalId} ${c.dim(e.resourceType)}${reason}\n`;
    }
  }

  const d = r.drift;
  const label = d.status === 'DRIFTED' ? c.red('DRIFTED') : d.status === 'IN_SYNC' ? c.green('IN_SYNC') : c.yellow(d.status);
  out += `\n${c.bold('drift')} ${label}${d.note ? ` ${c.dim(`(${d.note})`)}` : ''}\n`;
  for (const res of d.resources) {
    out += `  ${res.logicalId} ${c.dim(res.resourceType)} ${c.red(res.status)}${res.physicalId ? ` ${c.dim(res.physicalId)}` : ''}\n`;
    for (const p of res.properties) {
      const values = [p.expected !== undefined ? `expected ${p.expected}` : '', p.actual !== undefined ? `actual ${p.actual}` : ''].filter(Boolean).join(', ');
      out += `    ${p.path} ${c.dim(p.difference)}${values ? `: ${values}` : ''}\n`;
    }
  }
  return out;
}

export default async function statusCommand(ctx: CommandContext, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const events = parseEvents(opts.events);
  const target = await resolveStackTarget(stackFlags(ctx, undefined, opts), ctx.io.env, false);
  const c = await colors(ctx);
  const err = (line: string) => ctx.io.stderr.write(`${line}\n`);
  const session = sessionFor(ctx, target, (op, _e, wait) => err(c.dim(`${op} throttled, retrying in ${Math.round(wait / 100) / 10} s`)));
  try {
    const report = await readStatus(session, {
      target,
      events,
      drift: opts.drift !== false,
      onEvent: (e) => {
        if (e.type === 'drift-started') err(c.dim('detecting drift (a few seconds; --no-drift skips it)...'));
      },
    });
    ctx.io.stdout.write(ctx.global.json ? JSON.stringify(report, null, 2) + '\n' : human(report, c));
    const d = report.drift;
    if (d.status === 'DRIFTED') {
      const n = d.resources.length;
      err(`${c.red('✖')} drifted: ${n} resource${n === 1 ? '' : 's'} (fix: redeploy with archctl deploy, or check who changed them)`);
      return 1;
    }
    if (d.status === 'UNKNOWN') err(`${c.yellow('warning:')} drift unknown: ${d.note ?? 'CloudFormation could not tell'}`);
    else if (d.status === 'IN_SYNC') err(`${c.green('✔')} ${report.stackName}: ${report.status}, in sync with its template`);
    return 0;
  } finally {
    session.destroy();
  }
}
