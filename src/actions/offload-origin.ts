import { chooseListener, describeListeners, findInstance, findLoadBalancer, type LoadBalancerInfo } from '../aws/origin.js';
import type { AwsSession } from '../aws/session.js';
import { ArchctlError, usageError } from '../core/errors.js';
import { dnsOrigin, type ResolvedOrigin } from '../core/offload/options.js';

export type OriginArgument =
  | { kind: 'load-balancer-arn'; arn: string; region: string }
  | { kind: 'load-balancer-name'; name: string }
  | { kind: 'instance'; id: string }
  | { kind: 'dns'; name: string };

const LB_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):\d{12}:loadbalancer\/(app|net|gwy)\/([A-Za-z0-9-]{1,32})\/[0-9a-f]+$/;
// Classic load balancers have no type segment: loadbalancer/<name>.
const CLASSIC_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/[A-Za-z0-9-]+$/;
const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
// ELBv2: 1-32 alphanumerics and hyphens, no hyphen at either end.
const LB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

const SHAPES = 'a load balancer name (my-alb), a load balancer ARN, an instance id (i-0123456789abcdef0) or a DNS name (app.example.com)';

/** What kind of origin the --origin argument names, from its shape alone. */
export function classifyOrigin(given: string): OriginArgument {
  const text = given.trim();
  if (text.startsWith('arn:')) {
    const m = LB_ARN.exec(text);
    if (m) return { kind: 'load-balancer-arn', arn: text, region: m[1]! };
    if (CLASSIC_ARN.test(text)) {
      throw usageError(`--origin ${text} is a Classic Load Balancer, which archctl offload does not look up`, 'pass its DNS name instead (aws elb describe-load-balancers --query "LoadBalancerDescriptions[].DNSName")');
    }
    throw usageError(`--origin ${text} is not a load balancer ARN`, `give ${SHAPES}`);
  }
  if (INSTANCE_ID.test(text)) return { kind: 'instance', id: text };
  // "i-" and hex digits only is an instance id with a wrong length, not a load balancer name.
  if (/^i-[0-9a-f]+$/.test(text)) throw usageError(`--origin ${text} is not an instance id (i- and 8 or 17 hex digits)`, 'copy the id from aws ec2 describe-instances, or pass the load balancer\'s ARN if that is its name');
  if (text.includes('.') || text.includes(':') || text.includes('/')) return { kind: 'dns', name: text };
  if (LB_NAME.test(text) && !text.toLowerCase().startsWith('internal-')) return { kind: 'load-balancer-name', name: text };
  throw usageError(`--origin ${JSON.stringify(given)} is not ${SHAPES}`, 'load balancer names have 1-32 letters, digits and inner hyphens; a DNS name has a dot');
}

const listNamesFix = (region: string) => `list the load balancers with: aws elbv2 describe-load-balancers --region ${region} --query "LoadBalancers[].LoadBalancerName"`;

function checkLoadBalancer(lb: LoadBalancerInfo, region: string): void {
  if (lb.type === 'network') {
    throw new ArchctlError(
      `${lb.name} is a network load balancer: archctl offload looks up application load balancers only`,
      `pass its DNS name instead (--origin ${lb.dnsName}) if it has a TLS listener or TCP on 80/443; --lock-origin then is not available`,
    );
  }
  if (lb.type !== 'application') {
    throw new ArchctlError(`${lb.name} is a ${lb.type || 'non-application'} load balancer, which serves no HTTP`, `give the application load balancer that serves the app (${listNamesFix(region)})`);
  }
  if (lb.scheme === 'internal') {
    throw new ArchctlError(
      `${lb.name} is internal: CloudFront reaches only public origins`,
      'use an internet-facing load balancer, or set up CloudFront VPC origins for a private one (archctl offload does not create those)',
    );
  }
}

async function resolveLoadBalancer(s: AwsSession, by: { name: string } | { arn: string }): Promise<ResolvedOrigin> {
  const lb = await findLoadBalancer(s, by);
  if (!lb) {
    const what = 'name' in by ? `no load balancer named ${by.name}` : `no load balancer ${by.arn}`;
    throw new ArchctlError(`${what} in ${s.region}`, `${listNamesFix(s.region)}, or pass --region if it is in another region`);
  }
  checkLoadBalancer(lb, s.region);
  const listeners = await describeListeners(s, lb.arn);
  const chosen = chooseListener(listeners);
  if (!chosen) {
    throw new ArchctlError(
      `${lb.name} has no listener for CloudFront to reach`,
      `add an HTTPS listener on 443 (aws elbv2 create-listener --load-balancer-arn ${lb.arn} --protocol HTTPS --port 443 ...), then rerun`,
    );
  }
  const warnings: string[] = [];
  if (lb.state && lb.state !== 'active') warnings.push(`${lb.name} is ${lb.state}, not active`);
  const httpListener = chooseListener(listeners.filter((l) => l.protocol === 'HTTP'));
  if (chosen.protocol === 'HTTPS') {
    // CloudFront checks the origin certificate against the origin's domain name (or the forwarded Host).
    warnings.push(
      `CloudFront checks the HTTPS listener's certificate against the origin name ${lb.dnsName} (or the forwarded Host header), which no certificate covers: serve --domain with a certificate the listener also has and forward Host, or pass as --origin a DNS name the certificate covers that points to ${lb.name}; otherwise CloudFront answers 502`,
    );
  } else {
    warnings.push(`the origin has no HTTPS listener: CloudFront will reach it over plain HTTP (port ${chosen.port})`);
  }
  return {
    kind: 'load-balancer',
    domainName: lb.dnsName.toLowerCase(),
    protocol: chosen.protocol === 'HTTPS' ? 'https' : 'http',
    httpPort: chosen.protocol === 'HTTP' ? chosen.port : (httpListener?.port ?? 80),
    httpsPort: chosen.protocol === 'HTTPS' ? chosen.port : 443,
    loadBalancerArn: lb.arn,
    securityGroupIds: lb.securityGroupIds,
    // The listener CloudFront reaches comes first (lock-origin locks that one).
    listenerArns: [chosen.arn, ...listeners.filter((l) => l !== chosen).map((l) => l.arn)],
    warnings,
  };
}

async function resolveInstance(s: AwsSession, id: string): Promise<ResolvedOrigin> {
  const instance = await findInstance(s, id);
  if (!instance) {
    throw new ArchctlError(`no instance ${id} in ${s.region}`, `check the id and the region (aws ec2 describe-instances --region ${s.region} --instance-ids ${id}), or pass --region`);
  }
  if (!instance.publicDnsName) {
    throw new ArchctlError(
      `instance ${id} has no public DNS name, so CloudFront cannot reach it`,
      'give it a public IP or an Elastic IP (in a subnet whose VPC has DNS hostnames enabled), or put a load balancer in front and pass that',
    );
  }
  const warnings = [`cannot see which ports ${id} serves: CloudFront will reach it over plain HTTP on port 80 (if it serves HTTPS under a name you own, pass that DNS name as --origin)`];
  if (instance.state && instance.state !== 'running') warnings.push(`${id} is ${instance.state}, not running`);
  if (!instance.elasticIp) warnings.push(`${id}'s public address is not an Elastic IP: it changes when the instance stops, and CloudFront would lose its origin; attach an Elastic IP`);
  return { kind: 'instance', domainName: instance.publicDnsName.toLowerCase(), protocol: 'http', httpPort: 80, httpsPort: 443, warnings };
}

function resolveDns(name: string): ResolvedOrigin {
  const origin = dnsOrigin(name);
  if (/\.elb\.amazonaws\.com$/.test(origin.domainName)) {
    origin.warnings.push(`${origin.domainName} is a load balancer's DNS name: pass its name or ARN instead to have its listeners checked (and to use --lock-origin)`);
  }
  return origin;
}

/**
 * The --origin argument, looked up: a load balancer (by name or ARN) through
 * ELBv2, an instance through EC2, a DNS name with no AWS call. Every problem
 * is a one-line error with the fix; what works but deserves a look is in
 * `warnings`.
 */
export async function resolveOrigin(s: AwsSession, given: string): Promise<ResolvedOrigin> {
  const arg = classifyOrigin(given);
  switch (arg.kind) {
    case 'dns':
      return resolveDns(arg.name);
    case 'instance':
      return resolveInstance(s, arg.id);
    case 'load-balancer-name':
      return resolveLoadBalancer(s, { name: arg.name });
    case 'load-balancer-arn':
      if (arg.region !== s.region) {
        throw usageError(`the load balancer is in ${arg.region}, not ${s.region}`, `pass --region ${arg.region}`);
      }
      return resolveLoadBalancer(s, { arn: arg.arn });
  }
}
