import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { AwsSession } from './session.js';

/** A CloudWatch Logs event, as archctl keeps it. */
export interface LogEvent {
  eventId: string;
  /** When the function logged it (ms since the epoch). */
  timestamp: number;
  logStream: string;
  message: string;
}

export interface LogQuery {
  logGroup: string;
  /** Events at or after this time (ms since the epoch). */
  startTime: number;
  /** A CloudWatch Logs filter pattern, passed through as given. */
  filterPattern?: string | undefined;
  /** Stop after this many events in all. */
  limit: number;
  /** Cancels a call in flight (Ctrl-C while following). */
  signal?: AbortSignal | undefined;
}

export interface LogRead {
  count: number;
  /** True when the limit cut the read short. */
  truncated: boolean;
}

/** CloudWatch Logs' answer for a log group that does not exist (a function that never ran). */
export const isMissingLogGroup = (err: unknown): boolean => (err as Error)?.name === 'ResourceNotFoundException';

/**
 * Reads the matching events from startTime on, page by page, handing each
 * page to onPage as it arrives so a long read prints as it goes. Pages can
 * be empty and still carry a nextToken (the search spans many streams): the
 * read goes on until there is no token or the limit is reached. Undefined
 * when the log group does not exist.
 */
export async function filterLogEvents(s: AwsSession, q: LogQuery, onPage: (events: LogEvent[]) => void): Promise<LogRead | undefined> {
  let count = 0;
  let token: string | undefined;
  do {
    const out = await s.tryCall(
      'CloudWatchLogs:FilterLogEvents',
      () =>
        s.logs.send(
          new FilterLogEventsCommand({
            logGroupName: q.logGroup,
            startTime: q.startTime,
            ...(q.filterPattern ? { filterPattern: q.filterPattern } : {}),
            ...(token ? { nextToken: token } : {}),
          }),
          q.signal ? { abortSignal: q.signal } : {},
        ),
      isMissingLogGroup,
    );
    if (out === undefined) return undefined;
    const page = (out.events ?? []).map((e) => ({ eventId: e.eventId ?? '', timestamp: e.timestamp ?? 0, logStream: e.logStreamName ?? '', message: e.message ?? '' }));
    const room = q.limit - count;
    const kept = page.length > room ? page.slice(0, room) : page;
    count += kept.length;
    if (kept.length > 0) onPage(kept);
    if (page.length > room || (count >= q.limit && out.nextToken)) return { count, truncated: true };
    token = out.nextToken;
  } while (token);
  return { count, truncated: false };
}
