import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { classifyOrigin, resolveOrigin } from '../../src/actions/offload-origin.js';
import { chooseListener, type ListenerInfo } from '../../src/aws/origin.js';
import { awsError, testSession } from '../support/aws.js';

const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const ec2 = mockClient(EC2Client);

const LB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/updates-alb/50dc6c495c0c9188';
const LB_DNS = 'updates-alb-1234567890.eu-west-1.elb.amazonaws.com';
const listenerArn = (port: number) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/updates-alb/50dc6c495c0c9188/${port}000`;
const forward = [{ Type: 'forward' as const, TargetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/app/73e2d6bc24d8a067' }];

function givenLoadBalancer(extra: Record<string, unknown> = {}) {
  elbv2.on(DescribeLoadBalancersCommand).resolves({
    LoadBalancers: [
      {
        LoadBalancerArn: LB_ARN,
        LoadBalancerName: 'updates-alb',
        DNSName: LB_DNS,
        Scheme: 'internet-facing',
        Type: 'application',
        State: { Code: 'active' },
        SecurityGroups: ['sg-0aaa', 'sg-0bbb'],
        ...extra,
      },
    ],
  } as never);
}

function givenListeners(...listeners: [string, number][]) {
  elbv2.on(DescribeListenersCommand).resolves({
    Listeners: listeners.map(([Protocol, Port]) => ({ ListenerArn: listenerArn(Port), LoadBalancerArn: LB_ARN, Protocol, Port, DefaultActions: forward })),
  } as never);
}

function givenInstance(extra: Record<string, unknown> = {}, ipOwner = 'amazon') {
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        Instances: [
          {
            InstanceId: 'i-0123456789abcdef0',
            State: { Name: 'running' },
            PublicDnsName: 'ec2-203-0-113-10.eu-west-1.compute.amazonaws.com',
            NetworkInterfaces: [{ Association: { PublicIp: '203.0.113.10', IpOwnerId: ipOwner } }],
            ...extra,
          },
        ],
      },
    ],
  } as never);
}

/** Errors users see are one line with a fix. */
async function failure(p: Promise<unknown>): Promise<{ message: string; fix: string; exitCode: number }> {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as { message: string; fix: string; exitCode: number } | undefined;
  expect(err, 'expected an error').toBeDefined();
  expect(err!.message).not.toContain('\n');
  expect(err!.fix).toBeTruthy();
  return err!;
}

beforeEach(() => {
  elbv2.reset();
  ec2.reset();
});

describe('classifyOrigin: the --origin argument by its shape', () => {
  it.each([
    [LB_ARN, { kind: 'load-balancer-arn', arn: LB_ARN, region: 'eu-west-1' }],
    ['arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/edge-nlb/0123456789abcdef', { kind: 'load-balancer-arn', region: 'us-east-1' }],
    ['i-0123abcd', { kind: 'instance', id: 'i-0123abcd' }],
    ['i-0123456789abcdef0', { kind: 'instance', id: 'i-0123456789abcdef0' }],
    ['app.example.com', { kind: 'dns', name: 'app.example.com' }],
    ['updates-alb', { kind: 'load-balancer-name', name: 'updates-alb' }],
    ['A1', { kind: 'load-balancer-name', name: 'A1' }],
    ['a'.repeat(32), { kind: 'load-balancer-name' }],
  ])('%s', (given, expected) => {
    expect(classifyOrigin(given)).toMatchObject(expected);
  });

  it.each([
    ['arn:aws:s3:::updates-bucket', 'is not a load balancer ARN'],
    ['arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/legacy-elb', 'Classic Load Balancer'],
    ['i-0123', 'is not an instance id'],
    ['i-0123456789abcdef', 'is not an instance id'],
    ['updates_alb', 'is not a load balancer name'],
    ['-updates', 'is not a load balancer name'],
    ['updates-', 'is not a load balancer name'],
    ['a'.repeat(33), 'is not a load balancer name'],
    ['internal-updates', 'is not a load balancer name'],
    ['', 'is not a load balancer name'],
  ])('refuses %s as a usage error', (given, what) => {
    let err: { message: string; fix: string; exitCode: number } | undefined;
    try {
      classifyOrigin(given);
    } catch (e) {
      err = e as typeof err;
    }
    expect(err?.exitCode).toBe(2);
    expect(err?.message).toContain(what);
    expect(err?.fix).toBeTruthy();
  });
});

describe('chooseListener', () => {
  const l = (protocol: string, port: number): ListenerInfo => ({ arn: `${protocol}:${port}`, port, protocol, defaultActions: [] });
  it.each([
    [[l('HTTP', 80), l('HTTPS', 8443), l('HTTPS', 443), l('HTTP', 8080)], 'HTTPS:443'],
    [[l('HTTP', 80), l('HTTPS', 9443), l('HTTPS', 8443)], 'HTTPS:8443'],
    [[l('HTTP', 8080), l('HTTP', 80)], 'HTTP:80'],
    [[l('HTTP', 9090), l('HTTP', 8080)], 'HTTP:8080'],
    [[l('TCP', 443)], undefined],
    [[], undefined],
  ])('%#: %s', (listeners, chosen) => {
    expect(chooseListener(listeners)?.arn).toBe(chosen);
  });
});

describe('resolveOrigin: an application load balancer', () => {
  it('found by name: HTTPS on 443, with its security groups and listeners (the chosen one first)', async () => {
    // GIVEN a public ALB with HTTP 80 and HTTPS 443 listeners
    givenLoadBalancer();
    givenListeners(['HTTP', 80], ['HTTPS', 443]);
    const s = testSession();
    // WHEN it is resolved by name
    const origin = await resolveOrigin(s, 'updates-alb');
    // THEN CloudFront reaches it over HTTPS on 443, and lock-origin has what it needs
    expect(origin).toMatchObject({
      kind: 'load-balancer',
      domainName: LB_DNS,
      protocol: 'https',
      httpsPort: 443,
      httpPort: 80,
      loadBalancerArn: LB_ARN,
      securityGroupIds: ['sg-0aaa', 'sg-0bbb'],
      listenerArns: [listenerArn(443), listenerArn(80)],
    });
    expect(elbv2.commandCalls(DescribeLoadBalancersCommand)[0]!.args[0].input).toEqual({ Names: ['updates-alb'] });
    expect(elbv2.commandCalls(DescribeListenersCommand)[0]!.args[0].input).toEqual({ LoadBalancerArn: LB_ARN });
    expect(s.calls).toEqual(['ElasticLoadBalancing:DescribeLoadBalancers', 'ElasticLoadBalancing:DescribeListeners']);
    // and the certificate pitfall of an HTTPS origin on the load balancer's own name is said
    expect(origin.warnings.join('\n')).toContain(`checks the HTTPS listener's certificate against the origin name ${LB_DNS}`);
  });

  it('found by ARN', async () => {
    givenLoadBalancer();
    givenListeners(['HTTPS', 443]);
    const origin = await resolveOrigin(testSession(), LB_ARN);
    expect(elbv2.commandCalls(DescribeLoadBalancersCommand)[0]!.args[0].input).toEqual({ LoadBalancerArns: [LB_ARN] });
    expect(origin).toMatchObject({ kind: 'load-balancer', protocol: 'https', httpsPort: 443, httpPort: 80, loadBalancerArn: LB_ARN });
  });

  it('an ARN from another region is a usage error naming the region, before any call', async () => {
    const err = await failure(resolveOrigin(testSession('us-east-1'), LB_ARN));
    expect(err).toMatchObject({ exitCode: 2, message: 'the load balancer is in eu-west-1, not us-east-1', fix: 'pass --region eu-west-1' });
    expect(elbv2.calls()).toHaveLength(0);
  });

  it('not found: one line naming the region, and how to list the names', async () => {
    elbv2.on(DescribeLoadBalancersCommand).rejects(awsError('LoadBalancerNotFoundException', "Load balancers '[updates-alb]' not found"));
    const err = await failure(resolveOrigin(testSession(), 'updates-alb'));
    expect(err.message).toBe('no load balancer named updates-alb in eu-west-1');
    expect(err.fix).toContain('aws elbv2 describe-load-balancers --region eu-west-1');
    expect(elbv2.commandCalls(DescribeListenersCommand)).toHaveLength(0);
  });

  it('not found by ARN', async () => {
    elbv2.on(DescribeLoadBalancersCommand).rejects(awsError('LoadBalancerNotFoundException', 'One or more load balancers not found'));
    const err = await failure(resolveOrigin(testSession(), LB_ARN));
    expect(err.message).toBe(`no load balancer ${LB_ARN} in eu-west-1`);
  });

  it('internal: CloudFront needs a public origin; the fix names VPC origins', async () => {
    givenLoadBalancer({ Scheme: 'internal' });
    const err = await failure(resolveOrigin(testSession(), 'updates-alb'));
    expect(err.message).toBe('updates-alb is internal: CloudFront reaches only public origins');
    expect(err.fix).toContain('internet-facing');
    expect(err.fix).toContain('CloudFront VPC origins');
    expect(elbv2.commandCalls(DescribeListenersCommand)).toHaveLength(0);
  });

  it('HTTP only: plain HTTP on the listener port, with a warning', async () => {
    givenLoadBalancer();
    givenListeners(['HTTP', 8080]);
    const origin = await resolveOrigin(testSession(), 'updates-alb');
    expect(origin).toMatchObject({ protocol: 'http', httpPort: 8080, httpsPort: 443, listenerArns: [listenerArn(8080)] });
    expect(origin.warnings).toContain('the origin has no HTTPS listener: CloudFront will reach it over plain HTTP (port 8080)');
  });

  it('several listeners: HTTPS 443 wins over other HTTPS ports and HTTP', async () => {
    givenLoadBalancer();
    givenListeners(['HTTP', 80], ['HTTPS', 8443], ['HTTP', 8080], ['HTTPS', 443]);
    const origin = await resolveOrigin(testSession(), 'updates-alb');
    expect(origin).toMatchObject({ protocol: 'https', httpsPort: 443, httpPort: 80 });
    expect(origin.listenerArns?.[0]).toBe(listenerArn(443));
    expect(origin.listenerArns).toHaveLength(4);
  });

  it('reads every page of listeners', async () => {
    givenLoadBalancer();
    elbv2
      .on(DescribeListenersCommand)
      .resolvesOnce({ Listeners: [{ ListenerArn: listenerArn(80), Protocol: 'HTTP', Port: 80, DefaultActions: forward }], NextMarker: 'm1' } as never)
      .resolvesOnce({ Listeners: [{ ListenerArn: listenerArn(443), Protocol: 'HTTPS', Port: 443, DefaultActions: forward }] } as never);
    const origin = await resolveOrigin(testSession(), 'updates-alb');
    expect(origin.protocol).toBe('https');
    expect(elbv2.commandCalls(DescribeListenersCommand)[1]!.args[0].input).toEqual({ LoadBalancerArn: LB_ARN, Marker: 'm1' });
  });

  it('no listener: an error with how to add one', async () => {
    givenLoadBalancer();
    givenListeners();
    const err = await failure(resolveOrigin(testSession(), 'updates-alb'));
    expect(err.message).toBe('updates-alb has no listener for CloudFront to reach');
    expect(err.fix).toContain('aws elbv2 create-listener');
  });

  it('a network load balancer is refused; the fix is its DNS name', async () => {
    givenLoadBalancer({ Type: 'network' });
    const err = await failure(resolveOrigin(testSession(), 'updates-alb'));
    expect(err.message).toBe('updates-alb is a network load balancer: archctl offload looks up application load balancers only');
    expect(err.fix).toContain(`--origin ${LB_DNS}`);
  });

  it('a gateway load balancer is refused', async () => {
    givenLoadBalancer({ Type: 'gateway' });
    const err = await failure(resolveOrigin(testSession(), 'updates-alb'));
    expect(err.message).toBe('updates-alb is a gateway load balancer, which serves no HTTP');
  });

  it('a load balancer that is not active yet resolves with a warning', async () => {
    givenLoadBalancer({ State: { Code: 'provisioning' } });
    givenListeners(['HTTPS', 443]);
    const origin = await resolveOrigin(testSession(), 'updates-alb');
    expect(origin.warnings).toContain('updates-alb is provisioning, not active');
  });

  it('a denied DescribeLoadBalancers names the IAM action', async () => {
    elbv2.on(DescribeLoadBalancersCommand).rejects(awsError('AccessDenied', 'User is not authorized', 403));
    const err = await failure(resolveOrigin(testSession(), 'updates-alb'));
    expect(err.fix).toContain('elasticloadbalancing:DescribeLoadBalancers');
  });
});

describe('resolveOrigin: an EC2 instance', () => {
  it('with a public DNS name: plain HTTP on 80, with warnings for what cannot be seen', async () => {
    givenInstance();
    const s = testSession();
    const origin = await resolveOrigin(s, 'i-0123456789abcdef0');
    expect(origin).toEqual({
      kind: 'instance',
      domainName: 'ec2-203-0-113-10.eu-west-1.compute.amazonaws.com',
      protocol: 'http',
      httpPort: 80,
      httpsPort: 443,
      warnings: [
        'cannot see which ports i-0123456789abcdef0 serves: CloudFront will reach it over plain HTTP on port 80 (if it serves HTTPS under a name you own, pass that DNS name as --origin)',
        "i-0123456789abcdef0's public address is not an Elastic IP: it changes when the instance stops, and CloudFront would lose its origin; attach an Elastic IP",
      ],
    });
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]!.args[0].input).toEqual({ InstanceIds: ['i-0123456789abcdef0'] });
    expect(s.calls).toEqual(['EC2:DescribeInstances']);
  });

  it('with an Elastic IP: no warning about a changing address', async () => {
    givenInstance({}, '123456789012');
    const origin = await resolveOrigin(testSession(), 'i-0123456789abcdef0');
    expect(origin.warnings.some((w) => w.includes('Elastic IP'))).toBe(false);
  });

  it('without a public DNS name: an error with the fix', async () => {
    givenInstance({ PublicDnsName: '', NetworkInterfaces: [] });
    const err = await failure(resolveOrigin(testSession(), 'i-0123456789abcdef0'));
    expect(err.message).toBe('instance i-0123456789abcdef0 has no public DNS name, so CloudFront cannot reach it');
    expect(err.fix).toContain('Elastic IP');
    expect(err.fix).toContain('load balancer');
  });

  it('not found: one line', async () => {
    ec2.on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound', "The instance ID 'i-0123456789abcdef0' does not exist"));
    const err = await failure(resolveOrigin(testSession(), 'i-0123456789abcdef0'));
    expect(err.message).toBe('no instance i-0123456789abcdef0 in eu-west-1');
    expect(err.fix).toContain('aws ec2 describe-instances --region eu-west-1 --instance-ids i-0123456789abcdef0');
  });

  it('a stopped instance resolves with a warning', async () => {
    givenInstance({ State: { Name: 'stopped' } });
    const origin = await resolveOrigin(testSession(), 'i-0123456789abcdef0');
    expect(origin.warnings).toContain('i-0123456789abcdef0 is stopped, not running');
  });
});

describe('resolveOrigin: a DNS name', () => {
  it('makes no AWS call', async () => {
    const s = testSession();
    const origin = await resolveOrigin(s, 'downloads.example.com');
    expect(origin).toEqual({ kind: 'dns', domainName: 'downloads.example.com', protocol: 'https', httpPort: 80, httpsPort: 443, warnings: [] });
    expect(s.calls).toEqual([]);
    expect(elbv2.calls()).toHaveLength(0);
    expect(ec2.calls()).toHaveLength(0);
  });

  it("a load balancer's DNS name works, with a hint to pass its name instead", async () => {
    const origin = await resolveOrigin(testSession(), LB_DNS);
    expect(origin.kind).toBe('dns');
    expect(origin.warnings).toEqual([`${LB_DNS} is a load balancer's DNS name: pass its name or ARN instead to have its listeners checked (and to use --lock-origin)`]);
  });

  it.each([
    ['https://downloads.example.com/updates', 'is a URL'],
    ['203.0.113.10', 'is an IP address'],
    ['downloads..example.com', 'has an empty label'],
  ])('%s is a usage error', async (given, what) => {
    const s = testSession();
    const err = await failure(resolveOrigin(s, given));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(what);
    expect(s.calls).toEqual([]);
  });
});
