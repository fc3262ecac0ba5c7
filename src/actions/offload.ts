import type { AwsSession } from '../aws/session.js';
import { describeStack } from '../aws/stacks.js';
import { ArchctlError, usageError } from '../core/errors.js';
import { evaluateRules, summarize } from '../core/evaluate.js';
import { checkOffloadFlags, dnsOrigin, type OffloadOptions, type ResolvedOrigin } from '../core/offload/options.js';
import { checkLogRegion } from '../core/offload/log-regions.js';
import { renderOffloadStack } from '../core/offload/stack.js';
import { rules } from '../core/rules/index.js';
import { checkSpec } from '../core/spec/check.js';
import type { CfnTemplate, Finding } from '../core/types.js';
import { loadSpecFor } from './load-spec.js';
import { classifyOrigin, resolveOrigin } from './offload-origin.js';

/** The flags of `archctl offload`, as typed. */
export interface OffloadFlags {
  origin: string;
  paths?: string | undefined;
  ttl?: string | undefined;
  priceClass?: string | undefined;
  domain?: string | undefined;
  certificateArn?: string | undefined;
  originShield?: string | boolean | undefined;
  lockOrigin?: boolean | undefined;
  stackName?: string | undefined;
}

export interface OffloadPlan {
  origin: ResolvedOrigin;
  options: OffloadOptions;
  template: CfnTemplate;
  stackName: string;
  findings: Finding[];
  summary: { errors: number; warnings: number; suppressed: number };
}

/** A DNS-name origin needs no AWS call to resolve (so `--dry-run` makes none). */
export const needsAws = (origin: string): boolean => classifyOrigin(origin).kind !== 'dns';

const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;

/** offload-<the origin's name>: the load balancer's name, the instance id, or the host name's labels. */
export function defaultOffloadStackName(origin: string): string {
  const c = classifyOrigin(origin);
  const label = c.kind === 'load-balancer-name' ? c.name : c.kind === 'load-balancer-arn' ? c.arn.split('/')[2]! : c.kind === 'instance' ? c.id : c.name.replace(/\.$/, '');
  return `offload-${label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`.slice(0, 128).replace(/-+$/, '');
}

/**
 * Checks the flags, resolves the origin (through ELBv2 or EC2 when it is not
 * a DNS name), renders the CloudFront stack and validates it against the
 * CloudFormation spec and the rule pack. Changes nothing.
 */
export async function planOffload(session: AwsSession | undefined, f: OffloadFlags, region: string | undefined): Promise<OffloadPlan> {
  checkLogRegion(region);
  const options = checkOffloadFlags(
    {
      ...(f.paths !== undefined ? { paths: f.paths.split(',').map((p) => p.trim()).filter((p) => p !== '') } : {}),
      ...(f.ttl !== undefined ? { ttl: f.ttl } : {}),
      ...(f.priceClass !== undefined ? { priceClass: f.priceClass } : {}),
      ...(f.domain !== undefined ? { domain: f.domain } : {}),
      ...(f.certificateArn !== undefined ? { certificateArn: f.certificateArn } : {}),
      ...(f.originShield !== undefined ? { originShield: f.originShield } : {}),
      lockOrigin: Boolean(f.lockOrigin),
    },
    region ? { region } : {},
  );
  if (f.stackName !== undefined && !STACK_NAME.test(f.stackName)) {
    throw usageError(`--stack-name ${JSON.stringify(f.stackName)} is not a CloudFormation stack name`, 'use a letter then letters, digits or hyphens (at most 128)');
  }
  const kind = classifyOrigin(f.origin).kind;
  if (options.lockOrigin && kind === 'dns') {
    throw usageError('--lock-origin needs the load balancer itself, not a DNS name', 'pass --origin with the load balancer name or ARN');
  }
  if (options.lockOrigin && kind === 'instance') {
    throw usageError('--lock-origin locks a load balancer; an instance origin has none', 'put a load balancer in front of the instances, or leave out --lock-origin');
  }
  let origin: ResolvedOrigin;
  if (kind === 'dns') origin = dnsOrigin(f.origin);
  else {
    if (!session) throw new ArchctlError('resolving a load balancer or instance origin needs AWS', 'pass a region (--region) and credentials, or give the origin as a DNS name');
    origin = await resolveOrigin(session, f.origin);
  }
  // Once viewers' DNS points at CloudFront, an origin of the same name would be CloudFront itself.
  const loop = options.aliases?.names.find((n) => n.toLowerCase() === origin.domainName.toLowerCase());
  if (loop) {
    throw usageError(
      `--domain ${loop} is also the origin: once ${loop} points at CloudFront, CloudFront would fetch from itself`,
      `give the origin its own name (such as origin.${loop.split('.').slice(1).join('.') || 'example.com'}) pointing at the app, and keep ${loop} for viewers`,
    );
  }
    // CloudFront checks an HTTPS origin's certificate against the forwarded Host or
  // the origin's name. No certificate can name *.elb.amazonaws.com, and without
  // your own domain the Host is *.cloudfront.net: every request would be a 502.
  if (origin.protocol === 'https' && !options.aliases && /\.elb\.amazonaws\.com(\.cn)?$/.test(origin.domainName)) {
    throw usageError(
      `the load balancer answers HTTPS, and CloudFront would check its certificate against ${origin.domainName}, which no certificate can name`,
      'add --domain <the name its certificate covers> with --certificate-arn <a us-east-1 certificate for it>, or pass --origin as a DNS name its certificate covers (such as origin.example.com pointing at the load balancer)',
    );
  }
  const template = renderOffloadStack({ ...options, origin });
  const spec = await loadSpecFor(template);
  const findings = [...checkSpec(template, spec), ...evaluateRules(template, rules)];
  return { origin, options: { ...options, origin }, template, stackName: f.stackName ?? defaultOffloadStackName(f.origin), findings, summary: summarize(findings) };
}

/**
 * A stack deployed with --lock-origin has the load balancer answering 403 to
 * anything without its secret header: deploying it again without the lock
 * would drop the header and lock CloudFront out too.
 */
export async function checkLockKept(s: AwsSession, stackName: string, lockOrigin: boolean): Promise<void> {
  const deployed = await describeStack(s, stackName);
  if (deployed?.outputs.OriginSecretArn && !lockOrigin) {
    throw usageError(
      `${stackName} was deployed with --lock-origin: without it CloudFront would stop sending the secret header, and the locked load balancer would answer 403 to every request`,
      'keep --lock-origin on every run for this stack',
    );
  }
}
