import { CreateInvalidationCommand, GetDistributionCommand, GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { GetMetricDataCommand, type MetricDataQuery, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { ArchctlError, usageError } from '../core/errors.js';
import type { AwsSession } from './session.js';

export interface DistributionStatus {
  id: string;
  /** Deployed, or InProgress while a change propagates to the edge locations. */
  status: string;
  domainName: string;
  enabled: boolean;
  aliases: string[];
  /** ISO 8601. */
  lastModified: string | null;
  inProgressInvalidations: number;
}

const errorName = (err: unknown): string => (err as Error)?.name ?? '';
const isMissingDistribution = (err: unknown) => errorName(err) === 'NoSuchDistribution';

const noDistribution = (id: string) =>
  new ArchctlError(`no CloudFront distribution ${id}`, 'check the id (the offload stack\'s DistributionId output, or aws cloudfront list-distributions)');

export async function distributionStatus(s: AwsSession, distributionId: string): Promise<DistributionStatus> {
  const out = await s.tryCall('CloudFront:GetDistribution', () => s.cloudFront.send(new GetDistributionCommand({ Id: distributionId })), isMissingDistribution);
  const d = out?.Distribution;
  if (!d) throw noDistribution(distributionId);
  return {
    id: d.Id ?? distributionId,
    status: d.Status ?? 'UNKNOWN',
    domainName: d.DomainName ?? '',
    enabled: Boolean(d.DistributionConfig?.Enabled),
    aliases: d.DistributionConfig?.Aliases?.Items ?? [],
    lastModified: d.LastModifiedTime ? d.LastModifiedTime.toISOString() : null,
    inProgressInvalidations: d.InProgressInvalidationBatches ?? 0,
  };
}

export interface TrafficStats {
  distributionId: string;
  /** ISO 8601, the window read. */
  from: string;
  to: string;
  requests: number;
  bytesDownloaded: number;
  /** Percent of requests served from the cache; null without CloudFront's additional metrics. */
  cacheHitRate: number | null;
  /** requests × (1 − hit rate): an estimate, CloudFront publishes no origin request count. */
  originRequestsEstimate: number | null;
  /** Percent of requests answered 4xx / 5xx; null when there were no requests. */
  errorRate4xx: number | null;
  errorRate5xx: number | null;
  notes: string[];
}

const HOUR_MS = 3_600_000;
const METRICS = [
  { id: 'requests', name: 'Requests', stat: 'Sum' },
  { id: 'bytes', name: 'BytesDownloaded', stat: 'Sum' },
  { id: 'hitrate', name: 'CacheHitRate', stat: 'Average' },
  { id: 'err4xx', name: '4xxErrorRate', stat: 'Average' },
  { id: 'err5xx', name: '5xxErrorRate', stat: 'Average' },
] as const;
type MetricId = (typeof METRICS)[number]['id'];

/** Each metric as hour -> value, every page. */
async function hourlyMetrics(s: AwsSession, distributionId: string, from: Date, to: Date): Promise<Record<MetricId, Map<number, number>>> {
  const queries: MetricDataQuery[] = METRICS.map((m) => ({
    Id: m.id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/CloudFront',
        MetricName: m.name,
        Dimensions: [
          { Name: 'DistributionId', Value: distributionId },
          { Name: 'Region', Value: 'Global' },
        ],
      },
      Period: 3600,
      Stat: m.stat,
    },
    ReturnData: true,
  }));
  const series = Object.fromEntries(METRICS.map((m) => [m.id, new Map<number, number>()])) as Record<MetricId, Map<number, number>>;
  let token: string | undefined;
  do {
    const out = await s.call('CloudWatch:GetMetricData', () =>
      s.cloudWatchUsEast1.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: from, EndTime: to, ...(token ? { NextToken: token } : {}) })),
    );
    for (const r of out.MetricDataResults ?? []) addPoints(series, r);
    token = out.NextToken;
  } while (token);
  return series;
}

function addPoints(series: Record<MetricId, Map<number, number>>, r: MetricDataResult): void {
  const target = series[r.Id as MetricId];
  if (!target) return;
  (r.Timestamps ?? []).forEach((t, i) => {
    const v = r.Values?.[i];
    if (v !== undefined) target.set(t.getTime(), v);
  });
}

const sum = (m: Map<number, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

/** A per-hour rate over the window, each hour weighted by its requests (an hour without requests counts for nothing). */
function weightedRate(rate: Map<number, number>, requests: Map<number, number>): number | null {
  let weight = 0;
  let total = 0;
  for (const [hour, value] of rate) {
    const w = requests.get(hour) ?? 0;
    weight += w;
    total += w * value;
  }
  if (weight > 0) return total / weight;
  return rate.size > 0 ? sum(rate) / rate.size : null;
}

const round = (n: number | null, digits: number): number | null => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

/**
 * The distribution's traffic over the last `hours` before `now`, from the
 * CloudWatch metrics CloudFront publishes in us-east-1. CacheHitRate exists
 * only with the distribution's additional metrics turned on (a paid option).
 */
export async function trafficStats(s: AwsSession, distributionId: string, now: Date, hours = 24): Promise<TrafficStats> {
  if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 15) {
    throw usageError(`--hours ${hours} is not a whole number of hours from 1 to 360`, 'pass --hours 24, for example (CloudWatch keeps hourly data for 15 days)');
  }
  const to = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
  const from = new Date(to.getTime() - hours * HOUR_MS);
  const m = await hourlyMetrics(s, distributionId, from, to);
  const requests = sum(m.requests);
  const notes: string[] = [];
  let cacheHitRate = weightedRate(m.hitrate, m.requests);
  if (requests === 0) {
    notes.push(`no requests in the last ${hours} h`);
    cacheHitRate = null;
  } else if (cacheHitRate === null) {
    notes.push(
      `cache hit rate not available: enable additional metrics with aws cloudfront create-monitoring-subscription --distribution-id ${distributionId} --monitoring-subscription RealtimeMetricsSubscriptionConfig={RealtimeMetricsSubscriptionStatus=Enabled} (charged per metric)`,
    );
  }
  const originRequestsEstimate = cacheHitRate === null ? null : Math.round(requests * (1 - cacheHitRate / 100));
  if (originRequestsEstimate !== null) {
    notes.push('origin requests are an estimate, requests × (1 − cache hit rate): CloudFront publishes no origin request count (its access logs have the exact one)');
  }
  return {
    distributionId,
    from: from.toISOString(),
    to: to.toISOString(),
    requests,
    bytesDownloaded: sum(m.bytes),
    cacheHitRate: round(cacheHitRate, 2),
    originRequestsEstimate,
    errorRate4xx: requests === 0 ? null : round(weightedRate(m.err4xx, m.requests) ?? 0, 2),
    errorRate5xx: requests === 0 ? null : round(weightedRate(m.err5xx, m.requests) ?? 0, 2),
    notes,
  };
}

/** CloudFront's quotas on invalidations in progress at a time, per distribution. */
export const MAX_INVALIDATION_PATHS = 3000;
export const MAX_INVALIDATION_WILDCARDS = 15;

/**
 * The paths, checked and without duplicates: each starts with /, holds only
 * visible ASCII (anything else must be URL-encoded), and has a wildcard only
 * as its last character, as CloudFront requires.
 */
export function checkInvalidationPaths(paths: string[]): string[] {
  const unique = [...new Set(paths)];
  if (unique.length === 0) throw usageError('no path to invalidate', 'give one or more paths, for example archctl offload invalidate "/updates/*"');
  for (const p of unique) {
    if (!p.startsWith('/')) throw usageError(`invalidation path ${JSON.stringify(p)} does not start with /`, `write it from the site's root: /${p.replace(/^\.?\/*/, '')}`);
    if (/[^\x21-\x7e]/.test(p)) throw usageError(`invalidation path ${JSON.stringify(p)} holds a space, a control or a non-ASCII character`, 'URL-encode it (a space is %20)');
    const star = p.indexOf('*');
    if (star !== -1 && star !== p.length - 1) throw usageError(`invalidation path ${p} has a * before its end`, 'CloudFront accepts * only as the last character: /updates/* or /updates/v2*');
  }
  const wildcards = unique.filter((p) => p.endsWith('*')).length;
  if (wildcards > MAX_INVALIDATION_WILDCARDS) {
    throw usageError(`${wildcards} wildcard paths: CloudFront allows ${MAX_INVALIDATION_WILDCARDS} in progress at a time`, 'merge them into a shorter wildcard such as /updates/*');
  }
  if (unique.length - wildcards > MAX_INVALIDATION_PATHS) {
    throw usageError(`${unique.length - wildcards} paths: CloudFront allows ${MAX_INVALIDATION_PATHS} in progress at a time`, 'invalidate a folder with a wildcard (/updates/*) instead of each file');
  }
  return unique;
}

export interface InvalidateOptions {
  /** Return right after CreateInvalidation instead of waiting. */
  wait?: boolean;
  pollMs?: number;
  /** How long to wait, counted in polls of pollMs (the session has no clock). */
  timeoutMs?: number;
  /** Told once CloudFront has accepted the invalidation, before any wait. */
  onCreated?: (id: string, paths: number) => void;
  onPoll?: (status: string, poll: number) => void;
}

export interface InvalidationResult {
  id: string;
  /** Completed, or InProgress when not waited for or still running at the timeout. */
  status: string;
  paths: string[];
  createdAt: string | null;
}

/**
 * Creates an invalidation and waits for CloudFront to finish it. The caller
 * reference makes a retried request the same invalidation, not a second one.
 */
export async function invalidate(s: AwsSession, distributionId: string, paths: string[], callerReference: string, o: InvalidateOptions = {}): Promise<InvalidationResult> {
  const items = checkInvalidationPaths(paths);
  const created = await s.tryCall(
    'CloudFront:CreateInvalidation',
    () =>
      s.cloudFront.send(
        new CreateInvalidationCommand({ DistributionId: distributionId, InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: items.length, Items: items } } }),
      ),
    isMissingDistribution,
  );
  if (!created) throw noDistribution(distributionId);
  const id = created.Invalidation?.Id ?? '';
  const result: InvalidationResult = { id, status: created.Invalidation?.Status ?? 'InProgress', paths: items, createdAt: created.Invalidation?.CreateTime?.toISOString() ?? null };
  o.onCreated?.(id, items.length);
  if (o.wait === false || result.status === 'Completed') return result;
  const pollMs = o.pollMs ?? 10_000;
  const maxPolls = Math.max(1, Math.ceil((o.timeoutMs ?? 20 * 60_000) / pollMs));
  for (let poll = 1; poll <= maxPolls; poll++) {
    await s.sleep(pollMs);
    const out = await s.call('CloudFront:GetInvalidation', () => s.cloudFront.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: id })));
    result.status = out.Invalidation?.Status ?? result.status;
    o.onPoll?.(result.status, poll);
    if (result.status === 'Completed') return result;
  }
  return result;
}
