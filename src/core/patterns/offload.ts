import { usageError } from '../errors.js';
import type { Params } from '../params.js';
import type { PatternDefinition } from '../pattern-types.js';

/** How many cached update paths the template can hold (one fragment per extra path: update-path-2 .. update-path-5). */
export const MAX_UPDATE_PATHS = 5;

// One CloudFront path pattern: the characters CloudFront accepts, without the
// comma that separates them here (and without & and quotes, which need escaping).
const PATH = "[A-Za-z0-9_.*$/~@:+-]{1,255}";

/** Graviton families carry a "g" right after the generation number: t4g, m7g, c7gn, r8gd, x2gd, im4gn, is4gen. */
const GRAVITON = /^[a-z]+\d+g[a-z]*\./;

/** The update paths as a list (the parameter is comma-separated). */
export function updatePathsOf(params: Params): string[] {
  return String(params.updatePaths).split(',');
}

/**
 * Checks between parameters that a single parameter's schema cannot express.
 * Render calls `fragments` first, so a bad combination stops here as a usage
 * error instead of at CloudFormation, minutes into a deploy.
 */
function checkCombination(p: Params): void {
  const min = Number(p.minPerAz);
  const desired = Number(p.desiredPerAz);
  const max = Number(p.maxPerAz);
  if (!(min <= desired && desired <= max)) {
    throw usageError(
      `minPerAz (${min}) <= desiredPerAz (${desired}) <= maxPerAz (${max}) does not hold`,
      'pass values in that order, for example --set minPerAz=1 --set desiredPerAz=1 --set maxPerAz=3',
    );
  }
  if ((p.certificateArn === '') !== (p.originDomainName === '')) {
    throw usageError(
      'certificateArn and originDomainName go together: CloudFront checks that the load balancer certificate names the origin domain it connects to',
      'pass both (--set certificateArn=arn:aws:acm:<region>:<account>:certificate/<id> --set originDomainName=origin.example.com), or neither for an HTTP origin',
    );
  }
  if (p.originHostedZoneId !== '' && p.originDomainName === '') {
    throw usageError('originHostedZoneId needs originDomainName (the record to create in that zone)', 'pass --set originDomainName=origin.example.com, or drop originHostedZoneId');
  }
  const paths = updatePathsOf(p);
  if (new Set(paths).size !== paths.length) {
    throw usageError(`updatePaths lists a path twice (${String(p.updatePaths)})`, 'give each CloudFront path pattern once');
  }
}

/**
 * The reference stack of the offload scenario: an application on EC2 in three
 * auto scaling groups (one per availability zone) sharing one EFS file system,
 * behind an internet-facing ALB that only CloudFront can use, with CloudFront
 * caching the large update files and passing everything else through.
 */
export const offload: PatternDefinition = {
  name: 'offload',
  description: 'Static update files from EC2 (3 AZs, one shared EFS) behind an ALB locked to CloudFront, which caches the update paths',
  params: [
    {
      name: 'instanceType',
      type: 'string',
      pattern: '^[a-z][a-z0-9-]*\\.[a-z0-9]+$',
      example: 't3.small',
      default: 't3.small',
      description: 'EC2 instance type of the web servers; Graviton types (t4g, m7g...) get the arm64 Amazon Linux 2023 image',
    },
    {
      name: 'minPerAz',
      type: 'integer',
      min: 1,
      max: 20,
      default: 1,
      description: 'Smallest number of instances in each of the three auto scaling groups (one per availability zone)',
    },
    {
      name: 'desiredPerAz',
      type: 'integer',
      min: 1,
      max: 20,
      default: 1,
      description: 'Instances each auto scaling group starts with (between minPerAz and maxPerAz)',
    },
    {
      name: 'maxPerAz',
      type: 'integer',
      min: 1,
      max: 20,
      default: 3,
      description: 'Largest number of instances in each auto scaling group (CPU target tracking scales between min and max)',
    },
    {
      name: 'natGateways',
      type: 'integer',
      min: 1,
      max: 3,
      allowed: [1, 3],
      default: 1,
      description:
        'NAT gateways: 1 shared (about 33 USD a month plus data) or 3, one per zone (three times that). Serving never uses NAT; bootstrapping and patching do, so with 1 an outage of its zone stops new instances in the other two from starting',
    },
    {
      name: 'ttlSeconds',
      type: 'integer',
      min: 1,
      max: 31536000,
      default: 86400,
      description: 'How long CloudFront keeps an update file when the origin sends no Cache-Control (seconds)',
    },
    {
      name: 'priceClass',
      type: 'enum',
      values: ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'],
      default: 'PriceClass_100',
      description: 'CloudFront edge locations: 100 (North America, Europe, Israel), 200 (plus most of Asia, Middle East, Africa), All',
    },
    {
      name: 'updatePaths',
      type: 'string',
      pattern: `^${PATH}(,${PATH}){0,${MAX_UPDATE_PATHS - 1}}$`,
      example: '/updates/*,/downloads/*',
      default: '/updates/*',
      description: `CloudFront path patterns served from the cache, comma-separated (at most ${MAX_UPDATE_PATHS}); every other path reaches the instances uncached`,
    },
    {
      name: 'certificateArn',
      type: 'string',
      pattern: '^(|arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f-]{36})$',
      example: 'arn:aws:acm:eu-west-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab',
      default: '',
      description:
        "ACM certificate in the stack's region for originDomainName: CloudFront then reaches the load balancer over HTTPS (TLS 1.2+). Empty: plain HTTP between CloudFront and the load balancer",
    },
    {
      name: 'originDomainName',
      type: 'string',
      pattern: '^(|([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63})$',
      example: 'origin.example.com',
      default: '',
      description: 'Name CloudFront connects to over HTTPS (with certificateArn); point it at LoadBalancerDnsName, or give originHostedZoneId',
    },
    {
      name: 'originHostedZoneId',
      type: 'string',
      pattern: '^(|Z[A-Z0-9]{1,31})$',
      example: 'Z0123456789ABCDEFGHIJ',
      default: '',
      description: 'Route 53 hosted zone of originDomainName: the stack then creates its alias record to the load balancer',
    },
    {
      name: 'cloudFrontPrefixListId',
      type: 'string',
      pattern: '^(|pl-[0-9a-f]{8,17})$',
      example: 'pl-4fa04526',
      default: '',
      description:
        "Id of com.amazonaws.global.cloudfront.origin-facing in the stack's region. Empty: taken from the template's table of 16 regions; set it elsewhere (aws ec2 describe-managed-prefix-lists)",
    },
    {
      name: 'deletionProtection',
      type: 'boolean',
      default: false,
      description: 'Load balancer deletion protection (turn it on for production; destroy then needs it turned off first)',
    },
    {
      name: 'logRetentionDays',
      type: 'integer',
      min: 1,
      max: 3653,
      allowed: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
      default: 30,
      description: 'Days kept: server and VPC flow logs in CloudWatch Logs, load balancer and CloudFront access logs in the log bucket',
    },
  ],
  fragments(p) {
    checkCombination(p);
    const extraPaths = updatePathsOf(p).length - 1;
    return [
      'base',
      p.certificateArn === '' ? 'origin-http' : 'origin-https',
      ...(p.originHostedZoneId !== '' ? ['origin-dns'] : []),
      ...(p.natGateways === 3 ? ['nat-per-az'] : []),
      p.cloudFrontPrefixListId === '' ? 'prefix-list-mapping' : 'prefix-list-param',
      ...(GRAVITON.test(String(p.instanceType)) ? ['arm64'] : []),
      ...(p.deletionProtection === true ? ['deletion-protection'] : []),
      ...Array.from({ length: extraPaths }, (_, i) => `update-path-${i + 2}`),
    ];
  },
};
