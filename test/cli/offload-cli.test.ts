// archctl offload as a user runs it (in process, so the mocked SDK clients
// apply): the dry run of a DNS origin touches no AWS API, bad flags are one
// line with the fix, a load balancer is resolved through ELBv2, and a deploy
// goes through the deploy pipeline to the distribution's name.
import { DescribeListenersCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EC2Client } from '@aws-sdk/client-ec2';
import { CloudFrontClient, CreateInvalidationCommand, GetDistributionCommand, GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAws } from '../support/fake-aws.js';
import { runInProcess } from '../support/in-process.js';
import { STACK } from '../support/run-cli.js';

let fake: FakeAws;
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const ec2 = mockClient(EC2Client);
const env = { AWS_REGION: 'eu-west-1' };
const LB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/updates-alb/50dc6c495c0c9188';
const LB_DNS = 'updates-alb-1234567890.eu-west-1.elb.amazonaws.com';
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

beforeEach(() => {
  fake = new FakeAws();
  elbv2.reset();
  ec2.reset();
});
afterEach(() => fake.restore());

const allCalls = () => [...fake.callNames(), ...elbv2.calls().map(() => 'ELBv2'), ...ec2.calls().map(() => 'EC2')];

function givenAlb() {
  elbv2.on(DescribeLoadBalancersCommand).resolves({
    LoadBalancers: [{ LoadBalancerArn: LB_ARN, LoadBalancerName: 'updates-alb', DNSName: LB_DNS, Scheme: 'internet-facing', Type: 'application', State: { Code: 'active' }, SecurityGroups: ['sg-0aaa'] }],
  } as never);
  elbv2.on(DescribeListenersCommand).resolves({
    Listeners: [
      { ListenerArn: `${LB_ARN.replace(':loadbalancer/', ':listener/')}/1`, LoadBalancerArn: LB_ARN, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: 'tg' }] },
      { ListenerArn: `${LB_ARN.replace(':loadbalancer/', ':listener/')}/2`, LoadBalancerArn: LB_ARN, Protocol: 'HTTPS', Port: 443, DefaultActions: [{ Type: 'forward', TargetGroupArn: 'tg' }] },
    ],
  } as never);
}

describe('archctl offload --dry-run', () => {
  it('GIVEN a DNS-name origin WHEN dry-running THEN the plan is printed, validated, and no AWS API is called (no region needed)', async () => {
    const r = await runInProcess(['offload', '--origin', 'updates.example.com', '--dry-run'], { env: {} });
    expect(r.code).toBe(0);
    expect(r.out).toContain('CloudFront stack offload-updates-example-com (the app and its stack are not changed)');
    expect(r.out).toMatch(/^ {4}\/updates\/\* +cached at the edge for 1 day/m);
    expect(r.out).toMatch(/^ {4}everything else +passed through uncached/m);
    expect(r.out).toContain('checked: CloudFormation spec and rule pack: 0 errors');
    expect(allCalls()).toEqual([]);
  });

  it('GIVEN --json THEN the plan and the template are data', async () => {
    const r = await runInProcess(['offload', '--origin', 'updates.example.com', '--dry-run', '--json', '--ttl', '7d', '--paths', '/downloads/*,*.iso'], { env: {} });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out) as { summary: { errors: number }; options: { ttlSeconds: number; paths: string[] }; template: { Resources: Record<string, { Type: string }> } };
    expect(plan.summary.errors).toBe(0);
    expect(plan.options).toMatchObject({ ttlSeconds: 604_800, paths: ['/downloads/*', '*.iso'] });
    expect(plan.template.Resources.Distribution!.Type).toBe('AWS::CloudFront::Distribution');
  });

  it('GIVEN a load balancer name WHEN dry-running with your domain THEN ELBv2 resolves it to its DNS name over HTTPS, and the cached paths forward your Host', async () => {
    givenAlb();
    const r = await runInProcess(['offload', '--origin', 'updates-alb', '--dry-run', '--domain', 'dl.example.com', '--certificate-arn', CERT], { env });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`origin:      ${LB_DNS} (load-balancer), HTTPS on port 443`);
    expect(fake.callNames()).toEqual([]);
  });

  it('GIVEN an HTTPS load balancer and no domain THEN exit 2: its certificate cannot match *.elb.amazonaws.com (every request would be a 502)', async () => {
    givenAlb();
    const r = await runInProcess(['offload', '--origin', 'updates-alb', '--dry-run'], { env });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: the load balancer answers HTTPS.*\(fix: add --domain/);
  });

  it.each([
    [['--ttl', '400d'], /--ttl/],
    [['--paths', 'updates/*'], /--paths/],
    [['--domain', 'dl.example.com', '--certificate-arn', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc'], /us-east-1/],
    [['--domain', 'dl.example.com'], /--certificate-arn/],
    [['--price-class', 'cheap'], /price class/i],
    [['--lock-origin'], /--lock-origin needs the load balancer/],
  ])('GIVEN bad input %j THEN exit 2 with one line and a fix, and no AWS call', async (extra, message) => {
    const r = await runInProcess(['offload', '--origin', 'updates.example.com', '--dry-run', ...extra], { env: {} });
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^error: .+ \(fix: .+\)\n$/);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(STACK);
    expect(allCalls()).toEqual([]);
  });

  it('GIVEN no --origin THEN exit 2 naming the flag', async () => {
    const r = await runInProcess(['offload', '--dry-run'], { env: {} });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: missing --origin/);
  });

  it('GIVEN an unknown load balancer THEN one line with how to list them', async () => {
    const err = new Error("One or more load balancers not found");
    err.name = 'LoadBalancerNotFoundException';
    elbv2.on(DescribeLoadBalancersCommand).rejects(err);
    const r = await runInProcess(['offload', '--origin', 'no-such-alb', '--dry-run'], { env });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: no load balancer named no-such-alb in eu-west-1 .*describe-load-balancers/);
  });
});

describe('archctl offload --estimate', () => {
  it('prints both monthly bills and the savings, with no AWS call', async () => {
    const r = await runInProcess(['offload', '--estimate', '--monthly-downloads', '100k', '--file-size', '500MB'], { env: {} });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Savings with CloudFront: $586.63 a month (12.9%)');
    expect(allCalls()).toEqual([]);
  });

  it('GIVEN a bad hit ratio THEN exit 2', async () => {
    const r = await runInProcess(['offload', '--estimate', '--monthly-downloads', '100k', '--file-size', '500MB', '--hit-ratio', '1.5'], { env: {} });
    expect(r.code).toBe(2);
  });
});

describe('archctl offload (deploy)', () => {
  it('GIVEN a bootstrapped account and an ALB WHEN offloading with --yes THEN the CloudFront stack is deployed through a change set and the distribution name printed', async () => {
    fake.bootstrap();
    givenAlb();
    const r = await runInProcess(['offload', '--origin', 'updates-alb', '--yes', '--domain', 'dl.example.com', '--certificate-arn', CERT], { env });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^DistributionDomainName +\S+/m);
    expect(r.err).toMatch(/CREATE_COMPLETE +offload-updates-alb AWS::CloudFormation::Stack/);
    expect(r.err).toContain('next: point dl.example.com at');
    expect(fake.find('offload-updates-alb')!.status).toBe('CREATE_COMPLETE');
    expect(fake.find('offload-updates-alb')!.tags).toMatchObject({ 'archctl:pattern': 'offload-cdn' });
  });

  it('GIVEN no terminal and no --yes THEN exit 2 and nothing is left behind', async () => {
    fake.bootstrap();
    givenAlb();
    const r = await runInProcess(['offload', '--origin', 'updates-alb', '--domain', 'dl.example.com', '--certificate-arn', CERT], { env });
    expect(r.code).toBe(2);
    expect(fake.find('offload-updates-alb')).toBeUndefined();
  });
});

describe('archctl offload status and invalidate', () => {
  const cloudFront = mockClient(CloudFrontClient);
  const cloudWatch = mockClient(CloudWatchClient);
  const ID = 'E2QWRUHAPOMQZL';
  beforeEach(() => {
    cloudFront.reset();
    cloudWatch.reset();
    fake.addStack({ name: 'offload-updates-alb', status: 'CREATE_COMPLETE', outputs: { DistributionId: ID, DistributionDomainName: 'd111.cloudfront.net' } });
    cloudFront.on(GetDistributionCommand).resolves({
      Distribution: { Id: ID, ARN: `arn:aws:cloudfront::123456789012:distribution/${ID}`, Status: 'Deployed', DomainName: 'd111.cloudfront.net', LastModifiedTime: new Date('2026-11-27T12:00:00Z'), InProgressInvalidationBatches: 0, DistributionConfig: { Enabled: true } },
    } as never);
  });

  it('GIVEN traffic with the hit rate THEN state, requests, hits and the estimated origin requests', async () => {
    const at = (h: number) => new Date(Date.now() - h * 3_600_000);
    const series = (Id: string, values: number[]) => ({ Id, Timestamps: [at(2), at(1)], Values: values, StatusCode: 'Complete' as const });
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [series('requests', [900, 100]), series('bytes', [9e9, 1e9]), series('hitrate', [99, 99]), series('err4xx', [0, 0]), series('err5xx', [0, 0])] });
    const r = await runInProcess(['offload', 'status', '--stack-name', 'offload-updates-alb'], { env });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^state +Deployed, enabled$/m);
    expect(r.out).toMatch(/^last 24 h +1,000 requests, 10\.00 GB to viewers$/m);
    expect(r.out).toMatch(/^cache hits +99\.0%$/m);
    expect(r.out).toMatch(/^origin +about 10 requests \(estimated from the hit rate\)$/m);
  });

  it('GIVEN a stack that is not an offload stack THEN one line saying so', async () => {
    fake.addStack({ name: 'todo-dev', status: 'CREATE_COMPLETE', outputs: { ApiUrl: 'https://x' } });
    const r = await runInProcess(['offload', 'status', '--stack-name', 'todo-dev'], { env });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: stack todo-dev has no DistributionId output/);
  });

  it('GIVEN paths WHEN invalidating THEN CloudFront gets them with a caller reference, and the wait ends at Completed', async () => {
    cloudFront.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I1', Status: 'InProgress', CreateTime: new Date(), InvalidationBatch: { CallerReference: 'x', Paths: { Quantity: 1, Items: ['/updates/*'] } } } } as never);
    cloudFront.on(GetInvalidationCommand).resolvesOnce({ Invalidation: { Id: 'I1', Status: 'InProgress' } } as never).resolves({ Invalidation: { Id: 'I1', Status: 'Completed' } } as never);
    const r = await runInProcess(['offload', 'invalidate', '/updates/*', '--stack-name', 'offload-updates-alb'], { env });
    expect(r.code).toBe(0);
    expect(r.err).toContain('invalidation I1 completed');
    const input = cloudFront.commandCalls(CreateInvalidationCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ DistributionId: ID, InvalidationBatch: { Paths: { Quantity: 1, Items: ['/updates/*'] }, CallerReference: expect.stringMatching(/^archctl-/) } });
  });

  it('GIVEN a path without a leading slash THEN exit 2 before any CloudFront call', async () => {
    const r = await runInProcess(['offload', 'invalidate', 'updates/*', '--stack-name', 'offload-updates-alb'], { env });
    expect(r.code).toBe(2);
    expect(cloudFront.commandCalls(CreateInvalidationCommand)).toHaveLength(0);
  });
});

describe('archctl offload: what the review found', () => {
  it('GIVEN --domain equal to the origin THEN exit 2: CloudFront would fetch from itself once DNS moves', async () => {
    const r = await runInProcess(['offload', '--origin', 'updates.example.com', '--domain', 'updates.example.com', '--certificate-arn', CERT, '--dry-run'], { env: {} });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: --domain updates.example.com is also the origin.*\(fix: give the origin its own name \(such as origin.example.com\)/);
  });

  it('GIVEN a region whose buckets CloudFront cannot log to THEN exit 2 before anything is made', async () => {
    const r = await runInProcess(['offload', '--origin', 'updates.example.com', '--dry-run', '--region', 'af-south-1'], { env: {} });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: CloudFront cannot deliver access logs to a bucket in af-south-1/);
  });

  it('GIVEN --origin-shield in a region Origin Shield does not run in THEN exit 2 naming the nearest one', async () => {
    const r = await runInProcess(['offload', '--origin', 'updates.example.com', '--dry-run', '--origin-shield', 'eu-west-3'], { env: {} });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--origin-shield eu-west-3 is not a region Origin Shield runs in \(fix: use eu-west-2/);
  });

  it('GIVEN a stack deployed with --lock-origin WHEN offloading again without it THEN exit 2 and no change set: the locked load balancer would answer 403', async () => {
    fake.bootstrap();
    givenAlb();
    fake.addStack({ name: 'offload-updates-alb', status: 'CREATE_COMPLETE', outputs: { DistributionId: 'E1', OriginSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x' } });
    const r = await runInProcess(['offload', '--origin', 'updates-alb', '--domain', 'dl.example.com', '--certificate-arn', CERT, '--yes'], { env });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/was deployed with --lock-origin/);
    expect(fake.callNames()).not.toContain('CloudFormation:CreateChangeSet');
  });
});
