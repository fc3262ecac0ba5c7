import { describe, expect, it } from 'vitest';
import { checkOffloadFlags, DEFAULT_PATHS, dnsOrigin, ORIGIN_HEADER, type OffloadOptions } from '../../src/core/offload/options.js';
import { ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID, CACHING_DISABLED_POLICY_ID, ORIGIN_ID, renderOffloadStack } from '../../src/core/offload/stack.js';
import type { CfnTemplate, JsonObject } from '../../src/core/types.js';
import { failure } from '../support/errors.js';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const origin = dnsOrigin('app.example.com');
type Flags = Parameters<typeof checkOffloadFlags>[0];
const options = (flags: Flags = {}, region?: string): OffloadOptions => ({ origin, ...checkOffloadFlags(flags, { region }) });

const config = (t: CfnTemplate) => t.Resources.Distribution!.Properties!.DistributionConfig as JsonObject & { CacheBehaviors: JsonObject[]; Origins: JsonObject[] };
const nagIds = (t: CfnTemplate, id: string) => ((t.Resources[id]!.Metadata!.cdk_nag as { rules_to_suppress: { id: string }[] }).rules_to_suppress).map((s) => s.id);


describe('renderOffloadStack', () => {
  it('passes everything else through uncached: CachingDisabled + AllViewer, all seven methods, no compression', () => {
    const t = renderOffloadStack(options());
    expect(config(t).DefaultCacheBehavior).toEqual({
      TargetOriginId: ORIGIN_ID,
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachedMethods: ['GET', 'HEAD'],
      CachePolicyId: CACHING_DISABLED_POLICY_ID,
      OriginRequestPolicyId: ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID,
      Compress: false,
    });
    expect(config(t)).toMatchObject({ Enabled: true, HttpVersion: 'http2and3', IPV6Enabled: true, PriceClass: 'PriceClass_100' });
    expect(config(t).Comment).toBe('archctl offload in front of app.example.com');
  });

  it('caches each path pattern in the given order with the TTL, forwarding nothing beyond an empty cache key', () => {
    const t = renderOffloadStack(options({ paths: ['/b/*', '*.zip', '/a/*'], ttl: '2h' }));
    const behaviors = config(t).CacheBehaviors;
    expect(behaviors.map((b) => b.PathPattern)).toEqual(['/b/*', '*.zip', '/a/*']);
    for (const b of behaviors) {
      expect(b).toEqual({
        PathPattern: b.PathPattern,
        TargetOriginId: ORIGIN_ID,
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS'],
        CachedMethods: ['GET', 'HEAD'],
        CachePolicyId: { Ref: 'DownloadCachePolicy' },
        Compress: true,
      });
    }
    const policy = t.Resources.DownloadCachePolicy!.Properties!.CachePolicyConfig as JsonObject;
    // Unique per account across regions (two regions' stacks can share a name): the stack id's UUID.
    expect(JSON.stringify(policy.Name)).toContain('AWS::StackId');
    expect(policy).toMatchObject({
      MinTTL: 0,
      DefaultTTL: 7200,
      MaxTTL: 7200,
      ParametersInCacheKeyAndForwardedToOrigin: {
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
        CookiesConfig: { CookieBehavior: 'none' },
        HeadersConfig: { HeaderBehavior: 'none' },
        QueryStringsConfig: { QueryStringBehavior: 'none' },
      },
    });
  });

  it('reaches an https origin over TLS 1.2 only, and an http origin over http with the rule suppressed', () => {
    const https = config(renderOffloadStack(options())).Origins;
    expect(https).toEqual([
      {
        Id: ORIGIN_ID,
        DomainName: 'app.example.com',
        CustomOriginConfig: { OriginProtocolPolicy: 'https-only', HTTPPort: 80, HTTPSPort: 443, OriginSSLProtocols: ['TLSv1.2'], OriginReadTimeout: 60, OriginKeepaliveTimeout: 30 },
      },
    ]);
    const t = renderOffloadStack({ ...options(), origin: dnsOrigin('app.example.com', 'http') });
    expect(config(t).Origins[0]!.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'http-only' });
    expect(t.Resources.Distribution!.Metadata!.archctl).toEqual({
      rules_to_suppress: expect.arrayContaining([{ id: 'cloudfront-origin-https', reason: 'the origin has no HTTPS listener; archctl warned' }]),
    });
    expect(nagIds(t, 'Distribution')).toContain('AwsSolutions-CFR5');
    expect(nagIds(renderOffloadStack(options()), 'Distribution')).not.toContain('AwsSolutions-CFR5');
  });

  it('serves custom names with the us-east-1 certificate (sni-only, TLSv1.2_2021), else the default certificate', () => {
    const t = renderOffloadStack(options({ domain: 'Downloads.Example.com,*.cdn.example.com', certificateArn: CERT }));
    expect(config(t).Aliases).toEqual(['downloads.example.com', '*.cdn.example.com']);
    expect(config(t).ViewerCertificate).toEqual({ AcmCertificateArn: CERT, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' });
    expect(nagIds(t, 'Distribution')).not.toContain('AwsSolutions-CFR4');
    const plain = renderOffloadStack(options());
    expect(config(plain).Aliases).toBeUndefined();
    expect(config(plain).ViewerCertificate).toEqual({ CloudFrontDefaultCertificate: true });
    expect(nagIds(plain, 'Distribution')).toContain('AwsSolutions-CFR4');
  });

  it('adds Origin Shield only when asked', () => {
    expect(config(renderOffloadStack(options({ originShield: 'eu-west-1' }))).Origins[0]!.OriginShield).toEqual({ Enabled: true, OriginShieldRegion: 'eu-west-1' });
    expect(config(renderOffloadStack(options())).Origins[0]!.OriginShield).toBeUndefined();
  });

  it('with lockOrigin, sends the secret header resolved from a generated secret and outputs its ARN', () => {
    const t = renderOffloadStack(options({ lockOrigin: true }));
    expect(config(t).Origins[0]!.OriginCustomHeaders).toEqual([{ HeaderName: ORIGIN_HEADER, HeaderValue: { 'Fn::Sub': '{{resolve:secretsmanager:${OriginSecret}:SecretString}}' } }]);
    const secret = t.Resources.OriginSecret!;
    expect(secret.Type).toBe('AWS::SecretsManager::Secret');
    const generate = secret.Properties!.GenerateSecretString as { PasswordLength: number; ExcludePunctuation: boolean };
    expect(generate.ExcludePunctuation).toBe(true);
    expect(generate.PasswordLength).toBeGreaterThanOrEqual(32);
    expect(t.Outputs?.OriginSecretArn?.Value).toEqual({ Ref: 'OriginSecret' });
    const open = renderOffloadStack(options());
    expect(open.Resources.OriginSecret).toBeUndefined();
    expect(config(open).Origins[0]!.OriginCustomHeaders).toBeUndefined();
  });

  it('logs to a retained, encrypted, private, TLS-only bucket with ACLs enabled, and has the outputs and metadata deploy reads', () => {
    const t = renderOffloadStack(options());
    expect(config(t).Logging).toEqual({ Bucket: { 'Fn::GetAtt': ['LogBucket', 'RegionalDomainName'] }, Prefix: 'cloudfront/', IncludeCookies: false });
    const bucket = t.Resources.LogBucket!;
    expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(bucket.Properties).toMatchObject({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 90 }] },
    });
    expect(JSON.stringify(t.Resources.LogBucketPolicy)).toContain('"aws:SecureTransport":"false"');
    expect(Object.keys(t.Outputs ?? {})).toEqual(['DistributionId', 'DistributionDomainName', 'LogBucketName']);
    expect(t.Outputs?.DistributionDomainName?.Value).toEqual({ 'Fn::GetAtt': ['Distribution', 'DomainName'] });
    expect(t.Metadata).toMatchObject({ archctl: { pattern: 'offload-cdn', parameters: { origin: 'app.example.com', ttlSeconds: 86_400 } } });
  });
});

describe('checkOffloadFlags', () => {
  it('defaults to the update paths, one day, PriceClass_100, no custom name, no shield, no lock', () => {
    expect(checkOffloadFlags({})).toEqual({ paths: [...DEFAULT_PATHS], ttlSeconds: 86_400, priceClass: 'PriceClass_100', lockOrigin: false });
  });

  it.each([
    [{ ttl: '3600' }, { ttlSeconds: 3600 }],
    [{ ttl: '30m' }, { ttlSeconds: 1800 }],
    [{ ttl: '365d' }, { ttlSeconds: 31_536_000 }],
    [{ priceClass: '200' }, { priceClass: 'PriceClass_200' }],
    [{ priceClass: 'ALL' }, { priceClass: 'PriceClass_All' }],
    [{ priceClass: 'PriceClass_100' }, { priceClass: 'PriceClass_100' }],
    [{ paths: ['/a/*,*.iso', "/odd~$'@:+&name?.bin"] }, { paths: ['/a/*', '*.iso', "/odd~$'@:+&name?.bin"] }],
    [{ originShield: 'ap-south-1' }, { originShieldRegion: 'ap-south-1' }],
    [{ lockOrigin: true }, { lockOrigin: true }],
  ] as [Flags, Partial<OffloadOptions>][])('%j -> %j', (flags, expected) => {
    expect(checkOffloadFlags(flags)).toMatchObject(expected);
  });

  it('picks the Origin Shield region for a bare --origin-shield from the origin region', () => {
    expect(checkOffloadFlags({ originShield: true }, { region: 'eu-west-1' }).originShieldRegion).toBe('eu-west-1');
    expect(checkOffloadFlags({ originShield: true }, { region: 'eu-north-1' }).originShieldRegion).toBe('eu-west-2');
  });

  it.each([
    [{ paths: ['updates/*'] }, 'must start with / or *', 'write /updates/*'],
    [{ paths: ['/my files/*'] }, 'contains a space', '/my?files/*'],
    [{ paths: ['/a%20b'] }, '"%" is not allowed', 'wildcards * and ?'],
    [{ paths: ['/*'] }, 'matches every request', '/updates/*'],
    [{ paths: ['/a/*,'] }, 'empty entry', '--paths "/updates/*,*.zip"'],
    [{ paths: ['/a/*', '/a/*'] }, 'twice', 'once'],
    [{ paths: ['/' + 'x'.repeat(255)] }, '256 characters long', 'wildcard'],
    [{ paths: Array.from({ length: 26 }, (_, i) => `/p${i}/*`) }, 'at most 25 cache behaviours', 'merge patterns'],
    [{ ttl: '0' }, 'outside 1 second .. 365 days', '30m, 1d'],
    [{ ttl: '366d' }, 'outside 1 second .. 365 days', '365 days'],
    [{ ttl: '-5' }, 'negative', '1 second to 365 days'],
    [{ ttl: '1w' }, '"w" is not a unit', '7d'],
    [{ priceClass: '300' }, 'not a CloudFront price class', '100'],
    [{ domain: 'downloads.example.com' }, 'needs --certificate-arn', 'us-east-1'],
    [{ certificateArn: CERT }, '--certificate-arn needs --domain', '--domain'],
    [{ domain: 'a.example.com', certificateArn: CERT.replace('us-east-1', 'eu-west-1') }, 'CloudFront only accepts ACM certificates from us-east-1', 'us-east-1'],
    [{ domain: 'a.example.com', certificateArn: 'arn:aws:iam::123456789012:server-certificate/x' }, 'not an ACM certificate ARN', 'arn:aws:acm:us-east-1'],
    [{ domain: 'a.*.example.com', certificateArn: CERT }, 'wildcard that is not the whole first label', '*.example.com'],
    [{ domain: 'bad_name.example.com', certificateArn: CERT }, 'invalid label', '--domain downloads.example.com'],
    [{ domain: 'localhost', certificateArn: CERT }, 'no dot', '--domain'],
    [{ originShield: 'eu-west-9' }, 'unknown AWS region "eu-west-9" (from --origin-shield)', 'eu-west-1'],
    [{ originShield: true }, '--origin-shield has no known Origin Shield region', '--origin-shield us-east-1'],
  ] as [Flags, string, string][])('%j: one usage line with the fix', (flags, message, fix) => {
    const err = failure(() => checkOffloadFlags(flags));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(message);
    expect(err.message).not.toContain('\n');
    expect(err.fix).toContain(fix);
  });
});

describe('dnsOrigin', () => {
  it('takes a DNS name, lower-cased, https by default; http is warned about', () => {
    expect(dnsOrigin(' App.Example.com ')).toEqual({ kind: 'dns', domainName: 'app.example.com', protocol: 'https', httpPort: 80, httpsPort: 443, warnings: [] });
    expect(dnsOrigin('app.example.com', 'http').warnings).toEqual([expect.stringContaining('plain HTTP')]);
  });

  it.each([
    ['https://app.example.com/', 'is a URL', '--origin app.example.com'],
    ['http://App.example.com:8080/x', 'is a URL', '--origin app.example.com'],
    ['app.example.com/downloads', 'has a path', '--origin app.example.com'],
    ['app.example.com:8443', 'has a port', '--origin app.example.com'],
    ['10.0.0.5', 'is an IP address', 'DNS record'],
    ['fd00::1', 'is an IP address', 'DNS record'],
    ['app', 'no dot', 'elb.amazonaws.com'],
    ['-app.example.com', 'invalid label', 'app.example.com'],
  ])('%s: refused with the fix', (name, message, fix) => {
    const err = failure(() => dnsOrigin(name));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(message);
    expect(err.fix).toContain(fix);
  });
});
