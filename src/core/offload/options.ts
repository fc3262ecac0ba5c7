/**
 * archctl offload's inputs: the origin CloudFront fronts and the checked flags.
 * Pure: every problem is a one-line usage error (exit 2) with the fix, before
 * any AWS call.
 */
import { parseDuration } from '../duration.js';
import { isArchctlError, usageError } from '../errors.js';
import { AWS_REGIONS, checkRegion } from '../regions.js';

export type OriginProtocol = 'https' | 'http';

export interface ResolvedOrigin {
  kind: 'load-balancer' | 'instance' | 'dns';
  domainName: string;
  protocol: OriginProtocol;
  httpPort: number;
  httpsPort: number;
  /** for load balancers: its ARN, security groups and listener ARNs (lock-origin needs them) */
  loadBalancerArn?: string;
  securityGroupIds?: string[];
  listenerArns?: string[];
  warnings: string[];
}

export type PriceClass = 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';

export interface OffloadOptions {
  origin: ResolvedOrigin;
  /** CloudFront path patterns, validated, in matching order */
  paths: string[];
  /** 0 < ttl <= 31536000 */
  ttlSeconds: number;
  priceClass: PriceClass;
  /** --domain / --certificate-arn (us-east-1 only) */
  aliases?: { names: string[]; certificateArn: string };
  /** --origin-shield [region] */
  originShieldRegion?: string;
  /** adds the secret origin header (a Secrets Manager secret in the CloudFront stack) */
  lockOrigin: boolean;
}

/** Typical update files and folders: installers and packages that never change once published. */
export const DEFAULT_PATHS: readonly string[] = ['/updates/*', '*.zip', '*.exe', '*.msi', '*.dmg', '*.pkg', '*.deb', '*.rpm'];
export const ORIGIN_HEADER = 'X-Origin-Verify';
export const DEFAULT_TTL_SECONDS = 86_400;
export const MAX_TTL_SECONDS = 31_536_000;
/** CloudFront's default quota of cache behaviours per distribution. */
export const MAX_PATHS = 25;

// CloudFront's path pattern alphabet ("Path pattern" in the Developer Guide):
// letters, digits, _ - . $ / ~ " ' @ : + &, and the wildcards * and ?.
const PATH_CHAR = /[A-Za-z0-9_\-.$/~"'@:+&*?]/;
const PATH_FIX = 'use only letters, digits, _ - . $ / ~ " \' @ : + & and the wildcards * and ?; match other characters with ? or *';

function checkPath(path: string): string {
  const shown = JSON.stringify(path);
  if (path === '') throw usageError('--paths has an empty entry', 'list path patterns separated by commas, such as --paths "/updates/*,*.zip"');
  if (path.length > 255) throw usageError(`--paths ${JSON.stringify(path.slice(0, 40) + '...')} is ${path.length} characters long; CloudFront allows 255`, 'shorten it, or cover the files with a wildcard such as /downloads/*');
  if (/\s/.test(path)) throw usageError(`--paths ${shown} contains a space, which a CloudFront path pattern cannot`, `match it with a wildcard instead, such as ${JSON.stringify(path.replace(/\s+/g, '?'))}`);
  const bad = [...path].find((c) => !PATH_CHAR.test(c));
  if (bad !== undefined) throw usageError(`--paths ${shown}: ${JSON.stringify(bad)} is not allowed in a CloudFront path pattern`, PATH_FIX);
  if (!path.startsWith('/') && !path.startsWith('*')) throw usageError(`--paths ${shown} must start with / or *`, `write /${path}`);
  // A pattern without a literal character caches (nearly) every request: the app would stop working.
  if (/^[/*?]+$/.test(path)) throw usageError(`--paths ${shown} matches every request, so the whole app would be cached`, 'name the folders and file types to cache, such as /updates/* or *.zip; everything else passes through uncached');
  return path;
}

function checkPaths(raw: string[] | undefined): string[] {
  if (raw === undefined || raw.length === 0) return [...DEFAULT_PATHS];
  // Commas never occur in a path pattern, so "--paths /a/*,*.zip" and repeated flags both work.
  const paths = raw.flatMap((entry) => entry.split(',')).map((p) => checkPath(p.trim()));
  const seen = new Set<string>();
  for (const p of paths) {
    if (seen.has(p)) throw usageError(`--paths lists ${JSON.stringify(p)} twice`, 'list each path pattern once; CloudFront rejects duplicate behaviours');
    seen.add(p);
  }
  if (paths.length > MAX_PATHS) throw usageError(`--paths has ${paths.length} patterns; a distribution has at most ${MAX_PATHS} cache behaviours`, 'merge patterns with wildcards (such as /downloads/* for a folder), or raise the CloudFront quota and split the rest');
  return paths;
}

const TTL_FIX = 'give a TTL from 1 second to 365 days: seconds (3600) or a number with s, m, h or d (30m, 1d)';

function checkTtl(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TTL_SECONDS;
  const text = raw.trim();
  if (text.startsWith('-')) throw usageError(`--ttl ${text} is negative`, TTL_FIX);
  // A bare number is seconds, as in Cache-Control: max-age; parseDuration covers 30m / 1d and explains bad units.
  const seconds = /^\d+$/.test(text) ? Number(text) : parseDuration(text, '--ttl') / 1000;
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_TTL_SECONDS) throw usageError(`--ttl ${text} is outside 1 second .. 365 days`, TTL_FIX);
  return seconds;
}

const PRICE_CLASSES = new Map<string, PriceClass>([
  ['100', 'PriceClass_100'],
  ['200', 'PriceClass_200'],
  ['all', 'PriceClass_All'],
]);

function checkPriceClass(raw: string | undefined): PriceClass {
  if (raw === undefined) return 'PriceClass_100';
  const found = PRICE_CLASSES.get(raw.trim().toLowerCase().replace(/^priceclass_/, ''));
  if (found) return found;
  throw usageError(
    `--price-class ${JSON.stringify(raw)} is not a CloudFront price class`,
    'use 100 (North America, Europe, Israel: the cheapest), 200 (adds most of Asia, the Middle East and Africa) or all (every edge location)',
  );
}

/** Why a DNS name is not usable, or undefined. `wildcard`: allow "*" as the whole first label (aliases). */
function hostnameProblem(name: string, wildcard: boolean): string | undefined {
  if (name.length > 253) return 'is longer than 253 characters';
  const labels = name.split('.');
  if (labels.length < 2) return 'is not a full DNS name (it has no dot)';
  for (const [i, label] of labels.entries()) {
    if (label.includes('*')) {
      if (wildcard && i === 0 && label === '*') continue;
      return wildcard ? 'has a wildcard that is not the whole first label (only *.example.com style names are allowed)' : 'has a wildcard';
    }
    if (label === '') return 'has an empty label (two dots in a row, or a dot at either end)';
    if (label.length > 63) return 'has a label longer than 63 characters';
    if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(label)) return `has an invalid label ${JSON.stringify(label)} (letters, digits and inner hyphens only)`;
  }
  return undefined;
}

const ACM_ARN = /^arn:(aws[a-z-]*):acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9A-Za-z-]+$/;

function checkAliases(domain: string | undefined, certificateArn: string | undefined): OffloadOptions['aliases'] {
  if (domain === undefined && certificateArn === undefined) return undefined;
  if (domain === undefined) throw usageError('--certificate-arn needs --domain', 'add --domain with the name(s) the certificate covers, or drop --certificate-arn to serve on the *.cloudfront.net name');
  if (certificateArn === undefined) throw usageError(`--domain ${domain} needs --certificate-arn`, 'add --certificate-arn with an ACM certificate in us-east-1 that covers the name: CloudFront serves a custom name only with one');
  const names = [...new Set(domain.split(',').map((n) => n.trim().toLowerCase()))];
  for (const name of names) {
    const problem = name === '' ? 'is empty' : hostnameProblem(name, true);
    if (problem) throw usageError(`--domain ${JSON.stringify(name)} ${problem}`, 'give DNS names separated by commas, such as --domain downloads.example.com or --domain "*.example.com"');
  }
  const arn = certificateArn.trim();
  const m = ACM_ARN.exec(arn);
  if (!m) throw usageError(`--certificate-arn ${JSON.stringify(arn)} is not an ACM certificate ARN`, 'copy the ARN from ACM in us-east-1: arn:aws:acm:us-east-1:<account id>:certificate/<id>');
  if (m[1] !== 'aws' || m[2] !== 'us-east-1') {
    throw usageError(
      `--certificate-arn is in ${m[2]}: CloudFront only accepts ACM certificates from us-east-1`,
      'request or import the certificate in us-east-1 (N. Virginia) and pass that ARN; the origin itself can stay in any region',
    );
  }
  return { names, certificateArn: arn };
}

// Origin Shield runs in a subset of regions. From the CloudFront Developer
// Guide ("Choosing the AWS Region for Origin Shield"): the regions with Origin
// Shield, then the recommended Origin Shield region for a few others. Used only
// for a bare --origin-shield; a region given by name is taken as it is.
const ORIGIN_SHIELD_REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'sa-east-1'];
const NEAREST_ORIGIN_SHIELD = new Map([
  ['us-west-1', 'us-west-2'], ['af-south-1', 'eu-west-1'], ['ap-east-1', 'ap-southeast-1'], ['ca-central-1', 'us-east-1'],
  ['eu-south-1', 'eu-central-1'], ['eu-west-3', 'eu-west-2'], ['eu-north-1', 'eu-west-2'], ['me-south-1', 'ap-south-1'],
]);

/** The Origin Shield region recommended for an origin in `region`, when the guide's table has one. */
export function originShieldRegionFor(region: string): string | undefined {
  return ORIGIN_SHIELD_REGIONS.includes(region) ? region : NEAREST_ORIGIN_SHIELD.get(region);
}

function checkOriginShield(raw: string | boolean | undefined, originRegion: string | undefined): string | undefined {
  if (raw === undefined || raw === false) return undefined;
  if (raw === true) {
    const shield = originRegion === undefined ? undefined : originShieldRegionFor(originRegion);
    if (shield) return shield;
    const where = originRegion === undefined ? '' : ` for an origin in ${originRegion}`;
    throw usageError(`--origin-shield has no known Origin Shield region${where}`, 'name the Origin Shield region closest to the origin, such as --origin-shield us-east-1');
  }
  const named = raw.trim();
  if (AWS_REGIONS.includes(named) && !ORIGIN_SHIELD_REGIONS.includes(named)) {
    const near = originShieldRegionFor(named);
    throw usageError(`--origin-shield ${named} is not a region Origin Shield runs in`, `use ${near ?? 'one of ' + ORIGIN_SHIELD_REGIONS.join(', ')}${near ? `, the Origin Shield region nearest ${named}` : ''}`);
  }
  try {
    return checkRegion(named, '--origin-shield');
  } catch (err) {
    // checkRegion's unknown region is exit 1 (a region from config or env); a flag value is a usage error.
    if (isArchctlError(err)) throw usageError(err.message, err.fix);
    throw err;
  }
}

/**
 * Raw CLI flags -> checked values; every problem is a one-line ArchctlError
 * (usage errors exit 2) with the fix. `context.region` is the origin's region,
 * used to pick the Origin Shield region for a bare --origin-shield.
 */
export function checkOffloadFlags(
  raw: { paths?: string[]; ttl?: string; priceClass?: string; domain?: string; certificateArn?: string; originShield?: string | boolean; lockOrigin?: boolean },
  context: { region?: string } = {},
): Omit<OffloadOptions, 'origin'> {
  const aliases = checkAliases(raw.domain, raw.certificateArn);
  const originShieldRegion = checkOriginShield(raw.originShield, context.region);
  return {
    paths: checkPaths(raw.paths),
    ttlSeconds: checkTtl(raw.ttl),
    priceClass: checkPriceClass(raw.priceClass),
    ...(aliases ? { aliases } : {}),
    ...(originShieldRegion ? { originShieldRegion } : {}),
    lockOrigin: raw.lockOrigin === true,
  };
}

const ORIGIN_FIX = 'give the DNS name of the server or load balancer, such as app.example.com or my-alb-123.eu-west-1.elb.amazonaws.com';

/** The origin given as a DNS name (no AWS call): validated hostname. */
export function dnsOrigin(name: string, protocol: OriginProtocol = 'https'): ResolvedOrigin {
  const text = name.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text);
  // A URL is refused rather than stripped: its scheme, port or path would be silently ignored.
  const bare = text.slice(scheme?.[0].length ?? 0).split(/[/?#]/)[0]!.replace(/:\d*$/, '').toLowerCase();
  if (scheme) throw usageError(`--origin ${text} is a URL, not a host name`, `give the bare host name: --origin ${bare}`);
  if (/[/?#]/.test(text)) throw usageError(`--origin ${text} has a path; CloudFront forwards each request's own path`, `give the bare host name: --origin ${bare}`);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text) || /:.*:/.test(text)) {
    throw usageError(`--origin ${text} is an IP address; CloudFront needs a DNS name for a custom origin`, 'point a DNS record at the server and pass that name, or pass the load balancer or instance id');
  }
  if (text.includes(':')) throw usageError(`--origin ${text} has a port`, `give the bare host name (--origin ${bare}); the origin is reached on 443 for HTTPS, 80 for HTTP`);
  const domainName = text.toLowerCase();
  const problem = domainName === '' ? 'is empty' : hostnameProblem(domainName, false);
  if (problem) throw usageError(`--origin ${JSON.stringify(text)} ${problem}`, ORIGIN_FIX);
  const warnings = protocol === 'http' ? [`${domainName} is reached over plain HTTP: traffic between CloudFront and the origin is not encrypted`] : [];
  return { kind: 'dns', domainName, protocol, httpPort: 80, httpsPort: 443, warnings };
}
