import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, CreateInvalidationCommand, GetDistributionCommand, GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { CloudWatchClient, GetMetricDataCommand, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { invalidateOffload, readOffloadStatus, type InvalidationEvent } from '../../src/actions/offload-status.js';
import { checkInvalidationPaths, distributionStatus, invalidate, trafficStats } from '../../src/aws/cloudfront.js';
import { awsError, testSession } from '../support/aws.js';

const cloudFront = mockClient(CloudFrontClient);
const cloudWatch = mockClient(CloudWatchClient);
const cfn = mockClient(CloudFormationClient);

const ID = 'E2QWRUHAPOMQZL';
const NOW = new Date('2026-03-10T12:30:00Z');
const hour = (h: number) => new Date(Date.UTC(2026, 2, 10, h));

beforeEach(() => {
  cloudFront.reset();
  cloudWatch.reset();
  cfn.reset();
});

function givenDistribution(extra: Record<string, unknown> = {}) {
  cloudFront.on(GetDistributionCommand, { Id: ID }).resolves({
    Distribution: {
      Id: ID,
      ARN: `arn:aws:cloudfront::123456789012:distribution/${ID}`,
      Status: 'InProgress',
      DomainName: 'd111111abcdef8.cloudfront.net',
      LastModifiedTime: new Date('2026-03-10T12:00:00Z'),
      InProgressInvalidationBatches: 1,
      DistributionConfig: { Enabled: true, Aliases: { Quantity: 1, Items: ['downloads.example.com'] } },
      ...extra,
    },
  } as never);
}

/** Two hours of traffic: 900 requests at 90% hits, then 100 at 50%. */
function givenMetrics(withHitRate: boolean) {
  const series = (Id: string, values: number[]): MetricDataResult => ({ Id, Timestamps: [hour(10), hour(11)], Values: values, StatusCode: 'Complete' });
  cloudWatch.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      series('requests', [900, 100]),
      series('bytes', [9e9, 1e9]),
      withHitRate ? series('hitrate', [90, 50]) : { Id: 'hitrate', Timestamps: [], Values: [], StatusCode: 'Complete' },
      series('err4xx', [1, 11]),
      series('err5xx', [0, 0.5]),
    ],
  });
}

describe('distributionStatus', () => {
  it('reads the state, name, aliases and last change', async () => {
    givenDistribution();
    expect(await distributionStatus(testSession(), ID)).toEqual({
      id: ID,
      status: 'InProgress',
      domainName: 'd111111abcdef8.cloudfront.net',
      enabled: true,
      aliases: ['downloads.example.com'],
      lastModified: '2026-03-10T12:00:00.000Z',
      inProgressInvalidations: 1,
    });
  });

  it('asks CloudFront in us-east-1 whatever the session region', async () => {
    expect(await testSession('eu-west-1').cloudFront.config.region()).toBe('us-east-1');
    expect(await testSession('eu-west-1').cloudWatchUsEast1.config.region()).toBe('us-east-1');
  });

  it('an unknown id: one line with the fix', async () => {
    cloudFront.on(GetDistributionCommand).rejects(awsError('NoSuchDistribution', 'The specified distribution does not exist.', 404));
    await expect(distributionStatus(testSession(), ID)).rejects.toMatchObject({ message: `no CloudFront distribution ${ID}`, fix: expect.stringContaining('DistributionId') });
  });
});

describe('trafficStats', () => {
  it('with the additional metrics: totals, a request-weighted hit rate and the estimated origin requests', async () => {
    // GIVEN two hours of traffic with CacheHitRate published
    givenMetrics(true);
    // WHEN the last 24 hours are read
    const stats = await trafficStats(testSession(), ID, NOW);
    // THEN the rates are weighted by each hour's requests: (900×90 + 100×50) / 1000 = 86%
    expect(stats).toEqual({
      distributionId: ID,
      from: '2026-03-09T13:00:00.000Z',
      to: '2026-03-10T13:00:00.000Z',
      requests: 1000,
      bytesDownloaded: 1e10,
      cacheHitRate: 86,
      originRequestsEstimate: 140,
      errorRate4xx: 2,
      errorRate5xx: 0.05,
      notes: ['origin requests are an estimate, requests × (1 − cache hit rate): CloudFront publishes no origin request count (its access logs have the exact one)'],
    });
    const query = cloudWatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(query.StartTime).toEqual(new Date('2026-03-09T13:00:00Z'));
    expect(query.EndTime).toEqual(new Date('2026-03-10T13:00:00Z'));
    expect(query.MetricDataQueries!.map((q) => [q.Id, q.MetricStat!.Metric!.MetricName, q.MetricStat!.Stat, q.MetricStat!.Period])).toEqual([
      ['requests', 'Requests', 'Sum', 3600],
      ['bytes', 'BytesDownloaded', 'Sum', 3600],
      ['hitrate', 'CacheHitRate', 'Average', 3600],
      ['err4xx', '4xxErrorRate', 'Average', 3600],
      ['err5xx', '5xxErrorRate', 'Average', 3600],
    ]);
    for (const q of query.MetricDataQueries!) {
      expect(q.MetricStat!.Metric).toMatchObject({
        Namespace: 'AWS/CloudFront',
        Dimensions: [
          { Name: 'DistributionId', Value: ID },
          { Name: 'Region', Value: 'Global' },
        ],
      });
    }
  });

  it('without CacheHitRate data: not available, with the command that enables it', async () => {
    givenMetrics(false);
    const stats = await trafficStats(testSession(), ID, NOW);
    expect(stats).toMatchObject({ requests: 1000, cacheHitRate: null, originRequestsEstimate: null });
    expect(stats.notes).toEqual([
      `cache hit rate not available: enable additional metrics with aws cloudfront create-monitoring-subscription --distribution-id ${ID} --monitoring-subscription RealtimeMetricsSubscriptionConfig={RealtimeMetricsSubscriptionStatus=Enabled} (charged per metric)`,
    ]);
  });

  it('no requests in the window: says so, no rates', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: ['requests', 'bytes', 'hitrate', 'err4xx', 'err5xx'].map((Id) => ({ Id, Timestamps: [], Values: [] })) });
    const stats = await trafficStats(testSession(), ID, NOW, 6);
    expect(stats).toMatchObject({ requests: 0, bytesDownloaded: 0, cacheHitRate: null, originRequestsEstimate: null, errorRate4xx: null, errorRate5xx: null, notes: ['no requests in the last 6 h'] });
    expect(stats.from).toBe('2026-03-10T07:00:00.000Z');
  });

  it('reads every page', async () => {
    cloudWatch
      .on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Id: 'requests', Timestamps: [hour(10)], Values: [300] }], NextToken: 't1' })
      .resolvesOnce({ MetricDataResults: [{ Id: 'requests', Timestamps: [hour(11)], Values: [200] }] });
    const stats = await trafficStats(testSession(), ID, NOW);
    expect(stats.requests).toBe(500);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)[1]!.args[0].input.NextToken).toBe('t1');
  });

  it('a window outside 1..360 hours is a usage error before any call', async () => {
    await expect(trafficStats(testSession(), ID, NOW, 0)).rejects.toMatchObject({ exitCode: 2 });
    await expect(trafficStats(testSession(), ID, NOW, 1.5)).rejects.toMatchObject({ exitCode: 2 });
    expect(cloudWatch.calls()).toHaveLength(0);
  });
});

describe('checkInvalidationPaths', () => {
  it('keeps valid paths once each', () => {
    expect(checkInvalidationPaths(['/updates/*', '/index.html', '/updates/*', '/v2*'])).toEqual(['/updates/*', '/index.html', '/v2*']);
  });

  it.each([
    [[], 'no path to invalidate'],
    [['updates/*'], 'does not start with /'],
    [['/a b.zip'], 'holds a space'],
    [['/café.zip'], 'non-ASCII'],
    [['/updates/*/latest.zip'], 'has a * before its end'],
    [Array.from({ length: 16 }, (_, i) => `/f${i}/*`), '16 wildcard paths: CloudFront allows 15'],
    [Array.from({ length: 3001 }, (_, i) => `/f/${i}.zip`), '3001 paths: CloudFront allows 3000'],
  ])('%#: refuses with "%s"', (paths, what) => {
    let err: { message: string; fix: string; exitCode: number } | undefined;
    try {
      checkInvalidationPaths(paths as string[]);
    } catch (e) {
      err = e as typeof err;
    }
    expect(err?.message).toContain(what);
    expect(err?.exitCode).toBe(2);
    expect(err?.fix).toBeTruthy();
  });

  it('15 wildcards and 3000 files together are accepted', () => {
    const paths = [...Array.from({ length: 15 }, (_, i) => `/w${i}/*`), ...Array.from({ length: 3000 }, (_, i) => `/f/${i}.zip`)];
    expect(checkInvalidationPaths(paths)).toHaveLength(3015);
  });
});

describe('invalidate', () => {
  it('creates the invalidation with the caller reference and waits until Completed', async () => {
    cloudFront.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I2J0I21PCUYOIK', Status: 'InProgress', CreateTime: new Date('2026-03-10T12:31:00Z'), InvalidationBatch: undefined } });
    cloudFront
      .on(GetInvalidationCommand)
      .resolvesOnce({ Invalidation: { Id: 'I2J0I21PCUYOIK', Status: 'InProgress', CreateTime: undefined, InvalidationBatch: undefined } })
      .resolvesOnce({ Invalidation: { Id: 'I2J0I21PCUYOIK', Status: 'InProgress', CreateTime: undefined, InvalidationBatch: undefined } })
      .resolvesOnce({ Invalidation: { Id: 'I2J0I21PCUYOIK', Status: 'Completed', CreateTime: undefined, InvalidationBatch: undefined } });
    const s = testSession();
    const polls: string[] = [];
    const result = await invalidate(s, ID, ['/updates/*', '/latest.json'], 'archctl-1741609860000', { onPoll: (status, n) => polls.push(`${n}:${status}`) });
    expect(result).toEqual({ id: 'I2J0I21PCUYOIK', status: 'Completed', paths: ['/updates/*', '/latest.json'], createdAt: '2026-03-10T12:31:00.000Z' });
    expect(cloudFront.commandCalls(CreateInvalidationCommand)[0]!.args[0].input).toEqual({
      DistributionId: ID,
      InvalidationBatch: { CallerReference: 'archctl-1741609860000', Paths: { Quantity: 2, Items: ['/updates/*', '/latest.json'] } },
    });
    expect(cloudFront.commandCalls(GetInvalidationCommand)[0]!.args[0].input).toEqual({ DistributionId: ID, Id: 'I2J0I21PCUYOIK' });
    expect(polls).toEqual(['1:InProgress', '2:InProgress', '3:Completed']);
    expect(s.sleeps).toEqual([10_000, 10_000, 10_000]);
  });

  it('stops waiting at the timeout and reports InProgress', async () => {
    cloudFront.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I1', Status: 'InProgress', CreateTime: undefined, InvalidationBatch: undefined } });
    cloudFront.on(GetInvalidationCommand).resolves({ Invalidation: { Id: 'I1', Status: 'InProgress', CreateTime: undefined, InvalidationBatch: undefined } });
    const s = testSession();
    const result = await invalidate(s, ID, ['/a.zip'], 'ref', { pollMs: 1000, timeoutMs: 3000 });
    expect(result.status).toBe('InProgress');
    expect(cloudFront.commandCalls(GetInvalidationCommand)).toHaveLength(3);
  });

  it('without waiting: no GetInvalidation', async () => {
    cloudFront.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I1', Status: 'InProgress', CreateTime: undefined, InvalidationBatch: undefined } });
    const result = await invalidate(testSession(), ID, ['/a.zip'], 'ref', { wait: false });
    expect(result.status).toBe('InProgress');
    expect(cloudFront.commandCalls(GetInvalidationCommand)).toHaveLength(0);
  });

  it('bad paths make no call', async () => {
    await expect(invalidate(testSession(), ID, ['updates/*'], 'ref')).rejects.toMatchObject({ exitCode: 2 });
    expect(cloudFront.calls()).toHaveLength(0);
  });

  it('an unknown distribution: one line with the fix', async () => {
    cloudFront.on(CreateInvalidationCommand).rejects(awsError('NoSuchDistribution', 'The specified distribution does not exist.', 404));
    await expect(invalidate(testSession(), ID, ['/a.zip'], 'ref')).rejects.toMatchObject({ message: `no CloudFront distribution ${ID}` });
  });
});

describe('offload status and invalidate actions', () => {
  const stack = { stackName: 'updates-offload', region: 'eu-west-1', stage: 'prod' };

  function givenOffloadStack(outputs: Record<string, string>) {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'updates-offload',
          StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/updates-offload/1',
          StackStatus: 'CREATE_COMPLETE',
          CreationTime: new Date('2026-03-01T00:00:00Z'),
          Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    });
  }

  it('status finds the distribution through the stack output and reads its state and traffic', async () => {
    givenOffloadStack({ DistributionId: ID, DistributionDomainName: 'd111111abcdef8.cloudfront.net' });
    givenDistribution({ Status: 'Deployed' });
    givenMetrics(true);
    const s = testSession();
    const report = await readOffloadStatus(s, { ref: { stack }, now: NOW });
    expect(report.distribution).toMatchObject({ id: ID, status: 'Deployed' });
    expect(report.traffic).toMatchObject({ requests: 1000, cacheHitRate: 86 });
    expect(s.calls).toEqual(['CloudFormation:DescribeStacks', 'CloudFront:GetDistribution', 'CloudWatch:GetMetricData']);
  });

  it('a stack without DistributionId is not an offload stack', async () => {
    givenOffloadStack({ ApiUrl: 'https://example.com' });
    await expect(readOffloadStatus(testSession(), { ref: { stack }, now: NOW })).rejects.toMatchObject({
      message: 'stack updates-offload has no DistributionId output: it is not an offload stack',
    });
  });

  it('invalidate reports the creation and each poll as events', async () => {
    cloudFront.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I1', Status: 'InProgress', CreateTime: undefined, InvalidationBatch: undefined } });
    cloudFront
      .on(GetInvalidationCommand)
      .resolvesOnce({ Invalidation: { Id: 'I1', Status: 'InProgress', CreateTime: undefined, InvalidationBatch: undefined } })
      .resolvesOnce({ Invalidation: { Id: 'I1', Status: 'Completed', CreateTime: undefined, InvalidationBatch: undefined } });
    const events: InvalidationEvent[] = [];
    const result = await invalidateOffload(testSession(), { ref: { distributionId: ID }, paths: ['/updates/*'], callerReference: 'ref', onEvent: (e) => events.push(e) });
    expect(result).toMatchObject({ distributionId: ID, id: 'I1', status: 'Completed' });
    expect(events).toEqual([
      { type: 'invalidation-created', id: 'I1', paths: 1 },
      { type: 'invalidation-poll', status: 'InProgress', poll: 1 },
      { type: 'invalidation-poll', status: 'Completed', poll: 2 },
    ]);
  });
});
