import { formatDuration } from './plan-duration.js';
import type { OffloadOptions, ResolvedOrigin } from './options.js';

/** The plan `archctl offload` prints before it changes anything: what goes where, and what the app keeps. */
export function formatOffloadPlan(p: { origin: ResolvedOrigin; options: OffloadOptions; stackName: string; region?: string | undefined; summary: { errors: number; warnings: number; suppressed: number } }): string[] {
  const o = p.options;
  const origin = p.origin;
  const port = origin.protocol === 'https' ? origin.httpsPort : origin.httpPort;
  const width = Math.max(...o.paths.map((x) => x.length), 'everything else'.length);
  return [
    `CloudFront stack ${p.stackName}${p.region ? ` in ${p.region}` : ''} (the app and its stack are not changed)`,
    `  origin:      ${origin.domainName} (${origin.kind}), ${origin.protocol.toUpperCase()} on port ${port}`,
    `  viewers:     HTTPS (HTTP redirects), ${o.aliases ? `${o.aliases.names.join(', ')} with ${o.aliases.certificateArn}` : "the distribution's *.cloudfront.net name"}`,
    `  price class: ${o.priceClass}${o.originShieldRegion ? `, Origin Shield in ${o.originShieldRegion}` : ''}`,
    '  behaviours, first match wins:',
    ...o.paths.map((path) => `    ${path.padEnd(width)}  cached at the edge for ${formatDuration(o.ttlSeconds)}, compressed, no cookies/headers/query in the key`),
    `    ${'everything else'.padEnd(width)}  passed through uncached, with every header, cookie and query string`,
    `  note: a file on a cached path that the app serves without Cache-Control (a manifest such as latest.json) is kept for ${formatDuration(o.ttlSeconds)}; give such files a short max-age, or publish them outside these paths`,
    `  access logs: a new log bucket (cloudfront/ prefix)`,
    ...(o.lockOrigin ? ['  lock-origin: after the deploy, a plan to admit only CloudFront (prefix list + secret header) is shown for confirmation'] : []),
    ...origin.warnings.map((w) => `  warning: ${w}`),
    `  checked: CloudFormation spec and rule pack: ${p.summary.errors} errors, ${p.summary.warnings} warnings, ${p.summary.suppressed} suppressed`,
  ];
}
