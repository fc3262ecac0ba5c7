// The CloudFront stack archctl offload renders, checked like every other
// template: the CloudFormation spec (the build's extract), archctl's rule pack
// and cdk-nag's AwsSolutions pack, for three option sets. Every finding must be
// suppressed with a reason in the template, and the suppressions must be the
// expected ones (no blanket silencing).
import { describe, expect, it } from 'vitest';
import { loadSpecFor } from '../src/actions/load-spec.js';
import { evaluateRules, summarize } from '../src/core/evaluate.js';
import { checkOffloadFlags, dnsOrigin, type OffloadOptions, type ResolvedOrigin } from '../src/core/offload/options.js';
import { renderOffloadStack } from '../src/core/offload/stack.js';
import { rules } from '../src/core/rules/index.js';
import { checkSpec } from '../src/core/spec/check.js';
import type { CfnTemplate } from '../src/core/types.js';
import { runCdkNag } from './support/cdk-nag.js';

const httpsAlb: ResolvedOrigin = {
  kind: 'load-balancer',
  domainName: 'app-alb-1234567890.eu-west-1.elb.amazonaws.com',
  protocol: 'https',
  httpPort: 80,
  httpsPort: 443,
  loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/app-alb/50dc6c495c0c9188',
  warnings: [],
};

const cases: [string, OffloadOptions, string[]][] = [
  ['defaults with an https ALB', { origin: httpsAlb, ...checkOffloadFlags({}) }, ['cloudfront-geo-restriction', 'cloudfront-waf', 's3-access-logs']],
  [
    'http origin with aliases, origin shield and lock-origin',
    {
      origin: dnsOrigin('origin.example.com', 'http'),
      ...checkOffloadFlags({
        domain: 'downloads.example.com,*.cdn.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
        originShield: 'eu-west-1',
        lockOrigin: true,
      }),
    },
    ['cloudfront-geo-restriction', 'cloudfront-origin-https', 'cloudfront-waf', 's3-access-logs'],
  ],
  [
    'custom paths, TTL and price class',
    { origin: httpsAlb, ...checkOffloadFlags({ paths: ['/releases/*', '/static/*.js,*.iso'], ttl: '7d', priceClass: 'all' }) },
    ['cloudfront-geo-restriction', 'cloudfront-waf', 's3-access-logs'],
  ],
];

async function findings(t: CfnTemplate) {
  return [...checkSpec(t, await loadSpecFor(t)), ...evaluateRules(t, rules)];
}

describe('the offload CloudFront stack', () => {
  it.each(cases)('%s: passes the spec and the rule pack, with only the expected suppressions', async (_name, options, suppressed) => {
    const all = await findings(renderOffloadStack(options));
    expect(all.filter((f) => !f.suppressed)).toEqual([]);
    expect(all.map((f) => f.ruleId).sort()).toEqual(suppressed);
    expect(summarize(all)).toEqual({ errors: 0, warnings: 0, suppressed: suppressed.length });
  });

  it('fails the rule pack without access logging, a TLS-only log bucket or the http-origin reason (the checks are not vacuous)', async () => {
    const t = renderOffloadStack(cases[1]![1]);
    const config = t.Resources.Distribution!.Properties!.DistributionConfig as Record<string, unknown>;
    delete config.Logging;
    delete t.Resources.LogBucketPolicy;
    delete t.Resources.Distribution!.Metadata!.archctl;
    const unsuppressed = (await findings(t)).filter((f) => !f.suppressed);
    expect(unsuppressed.map((f) => `${f.logicalId} ${f.ruleId}`).sort()).toEqual([
      'Distribution cloudfront-access-logging',
      'Distribution cloudfront-geo-restriction',
      'Distribution cloudfront-origin-https',
      'Distribution cloudfront-waf',
      'LogBucket s3-ssl-only',
      // No longer a log destination, the bucket counts as a data bucket.
      'LogBucket s3-versioning',
    ]);
  });

  it('fails the spec check on a misspelt property (the spec check is not vacuous)', async () => {
    const t = renderOffloadStack(cases[0]![1]);
    const config = t.Resources.Distribution!.Properties!.DistributionConfig as Record<string, unknown>;
    config.HttpVersions = config.HttpVersion;
    const spec = checkSpec(t, await loadSpecFor(t));
    expect(spec.map((f) => f.ruleId)).toEqual(['SPEC-UNKNOWN-PROPERTY']);
  });

  it.each(cases)('%s: passes cdk-nag AwsSolutions with no unsuppressed error or warning', async (_name, options) => {
    const { errors, warnings } = await runCdkNag(renderOffloadStack(options));
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  }, 120_000);

  it('is flagged by cdk-nag once the suppressions or the TLS-only policy are gone (cdk-nag is not vacuous here)', async () => {
    const { aliases: _aliases, ...withoutAliases } = cases[1]![1];
    const t = renderOffloadStack(withoutAliases);
    delete t.Resources.Distribution!.Metadata;
    delete t.Resources.LogBucketPolicy;
    const { errors, warnings } = await runCdkNag(t);
    expect(errors.map((e) => `${e.resource} ${e.ruleId}`).sort()).toEqual(['Distribution AwsSolutions-CFR4', 'Distribution AwsSolutions-CFR5', 'LogBucket AwsSolutions-S10']);
    expect(warnings.map((w) => w.ruleId).sort()).toEqual(['AwsSolutions-CFR1', 'AwsSolutions-CFR2']);
  }, 120_000);
});
