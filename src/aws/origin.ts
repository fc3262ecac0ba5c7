import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeListenersCommand, DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ListenerInput } from '../core/offload/lock-plan.js';
import type { AwsSession } from './session.js';

export interface LoadBalancerInfo {
  arn: string;
  name: string;
  dnsName: string;
  /** internet-facing or internal. */
  scheme: string;
  /** application, network or gateway. */
  type: string;
  /** active, provisioning, active_impaired or failed. */
  state?: string | undefined;
  securityGroupIds: string[];
}

/** A listener as the lock plan reads it. */
export type ListenerInfo = ListenerInput;

export interface InstanceInfo {
  id: string;
  /** Empty when the instance has no public address. */
  publicDnsName?: string | undefined;
  state?: string | undefined;
  /** False when the public IP is AWS's (it changes at each stop/start), true for an Elastic IP. */
  elasticIp: boolean;
}

const errorName = (err: unknown): string => (err as Error)?.name ?? '';

/** By name or ARN; undefined when there is no such load balancer in the session's region. */
export async function findLoadBalancer(s: AwsSession, by: { name: string } | { arn: string }): Promise<LoadBalancerInfo | undefined> {
  const out = await s.tryCall(
    'ElasticLoadBalancing:DescribeLoadBalancers',
    () => s.elbv2.send(new DescribeLoadBalancersCommand('name' in by ? { Names: [by.name] } : { LoadBalancerArns: [by.arn] })),
    (err) => errorName(err) === 'LoadBalancerNotFoundException',
  );
  const lb = out?.LoadBalancers?.[0];
  if (!lb) return undefined;
  return {
    arn: lb.LoadBalancerArn ?? '',
    name: lb.LoadBalancerName ?? '',
    dnsName: lb.DNSName ?? '',
    scheme: lb.Scheme ?? '',
    type: lb.Type ?? '',
    state: lb.State?.Code,
    securityGroupIds: lb.SecurityGroups ?? [],
  };
}

/** Every listener of the load balancer, every page. */
export async function describeListeners(s: AwsSession, loadBalancerArn: string): Promise<ListenerInfo[]> {
  const all: ListenerInfo[] = [];
  let marker: string | undefined;
  do {
    const out = await s.call('ElasticLoadBalancing:DescribeListeners', () =>
      s.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, ...(marker ? { Marker: marker } : {}) })),
    );
    for (const l of out.Listeners ?? []) {
      all.push({ arn: l.ListenerArn ?? '', port: l.Port ?? 0, protocol: l.Protocol ?? '', defaultActions: l.DefaultActions ?? [] });
    }
    marker = out.NextMarker;
  } while (marker);
  return all;
}

/**
 * The listener CloudFront should reach: HTTPS on 443, else any HTTPS (lowest
 * port), else HTTP on 80, else any HTTP (lowest port). TCP/TLS/UDP listeners
 * (network load balancers) are never chosen.
 */
export function chooseListener(listeners: ListenerInfo[]): ListenerInfo | undefined {
  const byPort = [...listeners].sort((a, b) => a.port - b.port);
  const https = byPort.filter((l) => l.protocol === 'HTTPS');
  const http = byPort.filter((l) => l.protocol === 'HTTP');
  return https.find((l) => l.port === 443) ?? https[0] ?? http.find((l) => l.port === 80) ?? http[0];
}

/** The instance, or undefined when there is none with that id in the session's region. */
export async function findInstance(s: AwsSession, instanceId: string): Promise<InstanceInfo | undefined> {
  const out = await s.tryCall(
    'EC2:DescribeInstances',
    () => s.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })),
    (err) => errorName(err) === 'InvalidInstanceID.NotFound',
  );
  const i = out?.Reservations?.[0]?.Instances?.[0];
  if (!i) return undefined;
  // An auto-assigned public IP is owned by "amazon"; an Elastic IP by the account.
  const owner = i.NetworkInterfaces?.find((n) => n.Association?.PublicIp)?.Association?.IpOwnerId;
  return {
    id: i.InstanceId ?? instanceId,
    publicDnsName: i.PublicDnsName || undefined,
    state: i.State?.Name,
    elasticIp: owner !== undefined && owner !== 'amazon',
  };
}
