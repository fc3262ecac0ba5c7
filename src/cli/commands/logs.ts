import { readLogs, type LogsEvent } from '../../actions/logs.js';
import { resolveStackTarget } from '../../actions/stack-target.js';
import { parseDuration } from '../../core/duration.js';
import type { CommandContext } from '../context.js';
import { colors } from '../stack-reporter.js';
import { sessionFor, stackFlags } from '../stack-flags.js';

/** A real wait that ends early when the signal aborts, so Ctrl-C does not sit out a 2 s poll. */
const abortableSleep =
  (signal: AbortSignal) =>
  (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });

/** Lambda ends most lines with a newline; the line break is ours to add. */
const trimEnd = (message: string) => message.replace(/\r?\n$/, '');

export default async function logsCommand(ctx: CommandContext, [fn]: unknown[], opts: Record<string, unknown>): Promise<number> {
  const since = typeof opts.since === 'string' ? opts.since : '10m';
  const sinceMs = parseDuration(since, '--since');
  const follow = Boolean(opts.follow);
  const filterPattern = typeof opts.filter === 'string' && opts.filter !== '' ? opts.filter : undefined;
  const target = await resolveStackTarget(stackFlags(ctx, undefined, opts), ctx.io.env, false);
  const c = await colors(ctx);
  const err = (line: string) => ctx.io.stderr.write(`${line}\n`);

  // Following ends on Ctrl-C or SIGTERM: the loop stops and the command exits 0.
  // The handlers go once it has stopped, so a second Ctrl-C kills as usual.
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  if (follow) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const session = sessionFor(ctx.io.sleep ? ctx : { ...ctx, io: { ...ctx.io, sleep: abortableSleep(stop.signal) } }, target);
  const onEvent = (e: LogsEvent) => {
    if (e.type === 'log') {
      const message = trimEnd(e.event.message);
      const timestamp = new Date(e.event.timestamp).toISOString();
      ctx.io.stdout.write(ctx.global.json ? JSON.stringify({ timestamp, logStream: e.event.logStream, message }) + '\n' : `${c.dim(timestamp)} ${message}\n`);
    } else if (e.type === 'resolved') {
      err(c.dim(`${e.logicalId} (${e.functionName}): ${e.logGroup}, since ${since}${filterPattern ? `, matching ${filterPattern}` : ''}`));
    } else if (e.type === 'no-log-group') {
      err(`no logs yet for ${e.logicalId}: it has not run since it was deployed${e.following ? '; waiting for its first run (Ctrl-C stops)' : ''}`);
    } else if (e.type === 'following') {
      err(c.dim('following new events (Ctrl-C stops)'));
    }
  };
  try {
    const result = await readLogs(session, {
      target,
      functionName: String(fn ?? ''),
      sinceMs,
      filterPattern,
      follow,
      now: Date.now,
      signal: stop.signal,
      onEvent,
    });
    if (!follow && !result.missing) {
      if (result.truncated) err(`${c.yellow('note:')} stopped after ${result.events} events; narrow the read with a shorter --since or a --filter`);
      else if (result.events === 0) err(`no log events in the last ${since}${filterPattern ? ` matching ${filterPattern}` : ''}`);
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    session.destroy();
  }
}
