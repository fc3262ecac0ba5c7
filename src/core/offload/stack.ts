/**
 * The CloudFront stack archctl offload deploys in front of an existing origin.
 * The app stays as it is: everything passes through uncached except the path
 * patterns given, which are cached with one TTL. Pure: the same options give
 * the same template.
 */
import type { CfnResource, CfnTemplate, Json, JsonObject } from '../types.js';
import { ORIGIN_HEADER, type OffloadOptions } from './options.js';

/** Metadata.archctl.pattern of the stack, for validate/deploy bookkeeping. */
export const OFFLOAD_PATTERN = 'offload-cdn';
/** AWS managed policies; ids as the CloudFront Developer Guide lists them for CloudFormation. */
export const CACHING_DISABLED_POLICY_ID = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
export const ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID = '216adef6-5c7f-47e4-b989-5492eafa07d3';
export const ORIGIN_ID = 'app-origin';
export const LOG_PREFIX = 'cloudfront/';
export const LOG_RETENTION_DAYS = 90;

const ALL_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'];
const HTTP_ORIGIN_REASON = 'the origin has no HTTPS listener; archctl warned';

type Suppression = { id: string; reason: string };

function suppressions(archctl: Suppression[], nag: Suppression[]): JsonObject {
  return { cdk_nag: { rules_to_suppress: nag }, ...(archctl.length > 0 ? { archctl: { rules_to_suppress: archctl } } : {}) };
}

function distributionSuppressions(o: OffloadOptions): JsonObject {
  const geo = 'Downloads are served to every country the app already serves: the origin had no geo restriction before CloudFront, and restricting countries is a business decision to add to the distribution later.';
  const waf = 'archctl offload retrofits a CDN for public downloads in front of an app that had no web ACL; AWS WAF is a separate monthly cost decision (per web ACL, rule and request), added through DistributionConfig.WebACLId when wanted.';
  const archctl: Suppression[] = [{ id: 'cloudfront-geo-restriction', reason: geo }, { id: 'cloudfront-waf', reason: waf }];
  const nag: Suppression[] = [{ id: 'AwsSolutions-CFR1', reason: geo }, { id: 'AwsSolutions-CFR2', reason: waf }];
  if (!o.aliases) {
    // The rule pack's cloudfront-viewer-tls applies only with Aliases; cdk-nag CFR4 flags the default certificate itself.
    nag.push({
      id: 'AwsSolutions-CFR4',
      reason: 'No custom domain was given, so viewers use the default *.cloudfront.net certificate, whose minimum TLS version CloudFront fixes itself; pass --domain with --certificate-arn for sni-only with TLSv1.2_2021.',
    });
  }
  if (o.origin.protocol === 'http') {
    archctl.push({ id: 'cloudfront-origin-https', reason: HTTP_ORIGIN_REASON });
    nag.push({ id: 'AwsSolutions-CFR5', reason: HTTP_ORIGIN_REASON });
  }
  return suppressions(archctl, nag);
}

function origin(o: OffloadOptions): JsonObject {
  const { domainName, protocol, httpPort, httpsPort } = o.origin;
  return {
    Id: ORIGIN_ID,
    DomainName: domainName,
    CustomOriginConfig: {
      OriginProtocolPolicy: protocol === 'https' ? 'https-only' : 'http-only',
      HTTPPort: httpPort,
      HTTPSPort: httpsPort,
      OriginSSLProtocols: ['TLSv1.2'],
      // The longest wait for the origin's first byte (and between packets) without a quota increase.
      OriginReadTimeout: 60,
      // Shorter than a load balancer's default 60 s idle timeout, so CloudFront never reuses a connection the origin is closing.
      OriginKeepaliveTimeout: 30,
    },
    ...(o.originShieldRegion ? { OriginShield: { Enabled: true, OriginShieldRegion: o.originShieldRegion } } : {}),
    // Resolved by CloudFormation at deploy time (a secretsmanager dynamic reference works in any
    // resource property, and the same-stack secret's ARN comes from Ref). The value is visible in
    // the distribution's config, and a changed secret reaches CloudFront only with a stack update.
    ...(o.lockOrigin ? { OriginCustomHeaders: [{ HeaderName: ORIGIN_HEADER, HeaderValue: { 'Fn::Sub': '{{resolve:secretsmanager:${OriginSecret}:SecretString}}' } }] } : {}),
  };
}

/**
 * One behaviour per path pattern, in the given order (CloudFront uses the first
 * that matches). Nothing reaches the origin beyond the cache key (no cookies, no
 * headers, no query strings), so a cached file is the same for everyone. Range
 * requests still work: CloudFront answers a Range GET from the cached object, or
 * fetches (a larger) range from the origin and caches it; Range is not part of
 * the cache policy. Only GET and HEAD are cached; OPTIONS passes through.
 * Without the viewer's Host the origin sees Host = the origin domain name.
 */
function cachedBehaviors(o: OffloadOptions): JsonObject[] {
  return o.paths.map((path) => ({
    PathPattern: path,
    TargetOriginId: ORIGIN_ID,
    ViewerProtocolPolicy: 'redirect-to-https',
    AllowedMethods: ['GET', 'HEAD', 'OPTIONS'],
    CachedMethods: ['GET', 'HEAD'],
    CachePolicyId: { Ref: 'DownloadCachePolicy' },
    ...(o.aliases ? { OriginRequestPolicyId: { Ref: 'DownloadOriginRequestPolicy' } } : {}),
    Compress: true,
  }));
}

/**
 * With your own domain, the cached paths also forward the viewer's Host (not in
 * the cache key): an HTTPS origin's certificate covers that name, not the load
 * balancer's *.elb.amazonaws.com one, and CloudFront accepts the origin's
 * certificate when it matches the forwarded Host. Name-based virtual hosts on
 * the origin then see the same Host on every path.
 */
function originRequestPolicy(): CfnResource {
  return {
    Type: 'AWS::CloudFront::OriginRequestPolicy',
    Properties: {
      OriginRequestPolicyConfig: {
        Name: { 'Fn::Join': ['-', ['archctl-offload-host', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]] },
        Comment: 'archctl offload: forward the viewer Host to the origin on cached paths',
        CookiesConfig: { CookieBehavior: 'none' },
        HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Host'] },
        QueryStringsConfig: { QueryStringBehavior: 'none' },
      },
    },
  };
}

/**
 * The cache policy of the cached paths. MinTTL is 0 so that an origin's explicit
 * no-store / no-cache / private (or a short max-age) still wins: the app keeps
 * control of what must not be cached. DefaultTTL applies when the origin sends
 * no caching headers (a plain file server), and MaxTTL caps a longer max-age.
 * The query string is not in the key: a "?v=2" cache-buster returns the cached
 * file; publish changed files under a new name, or invalidate them.
 */
function cachePolicy(o: OffloadOptions): CfnResource {
  return {
    Type: 'AWS::CloudFront::CachePolicy',
    Properties: {
      CachePolicyConfig: {
        // Names are unique per account across regions, and at most 128 characters: the stack
        // id's UUID is both, where two regions' stacks may share a name.
        Name: { 'Fn::Join': ['-', ['archctl-offload', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]] },
        Comment: `archctl offload: cached paths, TTL ${o.ttlSeconds} s`,
        MinTTL: 0,
        DefaultTTL: o.ttlSeconds,
        MaxTTL: o.ttlSeconds,
        ParametersInCacheKeyAndForwardedToOrigin: {
          EnableAcceptEncodingGzip: true,
          EnableAcceptEncodingBrotli: true,
          CookiesConfig: { CookieBehavior: 'none' },
          HeadersConfig: { HeaderBehavior: 'none' },
          QueryStringsConfig: { QueryStringBehavior: 'none' },
        },
      },
    },
  };
}

function viewerCertificate(o: OffloadOptions): JsonObject {
  if (o.aliases) return { AcmCertificateArn: o.aliases.certificateArn, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' };
  // The default certificate takes no MinimumProtocolVersion (CloudFront sets it); see the CFR4 suppression.
  return { CloudFrontDefaultCertificate: true };
}

function distribution(o: OffloadOptions): CfnResource {
  return {
    Type: 'AWS::CloudFront::Distribution',
    Metadata: distributionSuppressions(o),
    Properties: {
      DistributionConfig: {
        Enabled: true,
        // CloudFront limits the comment to 128 characters.
        Comment: `archctl offload in front of ${o.origin.domainName}`.slice(0, 128),
        ...(o.aliases ? { Aliases: o.aliases.names } : {}),
        Origins: [origin(o)],
        // Everything not matched below goes to the app exactly as before: no caching, every
        // header, cookie and query string forwarded, every method allowed, no compression.
        // AllViewer forwards the viewer's Host, so an HTTPS origin's certificate must cover
        // that name or the origin domain name (CloudFront accepts either).
        DefaultCacheBehavior: {
          TargetOriginId: ORIGIN_ID,
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ALL_METHODS,
          CachedMethods: ['GET', 'HEAD'],
          CachePolicyId: CACHING_DISABLED_POLICY_ID,
          OriginRequestPolicyId: ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID,
          Compress: false,
        },
        CacheBehaviors: cachedBehaviors(o),
        HttpVersion: 'http2and3',
        IPV6Enabled: true,
        PriceClass: o.priceClass,
        Logging: { Bucket: { 'Fn::GetAtt': ['LogBucket', 'RegionalDomainName'] }, Prefix: LOG_PREFIX, IncludeCookies: false },
        ViewerCertificate: viewerCertificate(o),
      },
    },
  };
}

const LOG_BUCKET_REASON = 'This bucket only receives the distribution\'s access logs: logging its own access would loop into itself, and a second log bucket would only move the problem.';

/**
 * CloudFront standard logging writes through the bucket's ACL (it grants its
 * log-delivery account itself), so ACLs must stay enabled: BucketOwnerPreferred,
 * not the default BucketOwnerEnforced. SSE-S3, because CloudFront cannot write
 * to a bucket encrypted with the AWS managed KMS key. Retained on delete.
 */
function logBucket(): CfnResource {
  return {
    Type: 'AWS::S3::Bucket',
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Metadata: suppressions([{ id: 's3-access-logs', reason: LOG_BUCKET_REASON }], [{ id: 'AwsSolutions-S1', reason: LOG_BUCKET_REASON }]),
    Properties: {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [{ Id: 'ExpireAccessLogs', Status: 'Enabled', ExpirationInDays: LOG_RETENTION_DAYS }] },
    },
  };
}

function logBucketPolicy(): CfnResource {
  const deny: JsonObject = {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [{ 'Fn::GetAtt': ['LogBucket', 'Arn'] }, { 'Fn::Sub': '${LogBucket.Arn}/*' }],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
  return { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'LogBucket' }, PolicyDocument: { Version: '2012-10-17', Statement: [deny] } } };
}

function originSecret(o: OffloadOptions): CfnResource {
  const reason =
    'The value is the origin header CloudFront sends and the load balancer listener rule checks; automatic rotation would change it without updating the distribution (CloudFormation resolves it only on a stack update) or the listener rule, locking CloudFront out of the origin. Rotate by changing both together.';
  return {
    Type: 'AWS::SecretsManager::Secret',
    // Disposable: a new stack generates a new value, and the lock is applied again with it.
    DeletionPolicy: 'Delete',
    UpdateReplacePolicy: 'Delete',
    Metadata: suppressions([], [{ id: 'AwsSolutions-SMG4', reason }]),
    Properties: {
      Description: `archctl offload: value of the ${ORIGIN_HEADER} header CloudFront sends to ${o.origin.domainName}`,
      // Alphanumeric only: the value travels as an HTTP header and in a listener rule condition.
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
    },
  };
}

/** What the stack was rendered from, for `archctl offload status` and deploy bookkeeping. */
function parameters(o: OffloadOptions): JsonObject {
  const out: JsonObject = { origin: o.origin.domainName, originKind: o.origin.kind, protocol: o.origin.protocol, paths: o.paths, ttlSeconds: o.ttlSeconds, priceClass: o.priceClass, lockOrigin: o.lockOrigin };
  if (o.aliases) out.aliases = { names: o.aliases.names, certificateArn: o.aliases.certificateArn };
  if (o.originShieldRegion) out.originShieldRegion = o.originShieldRegion;
  return out;
}

const output = (description: string, value: Json): JsonObject => ({ Description: description, Value: value });

/** The CloudFront stack: a plain CloudFormation template. */
export function renderOffloadStack(o: OffloadOptions): CfnTemplate {
  const resources: Record<string, CfnResource> = {
    LogBucket: logBucket(),
    LogBucketPolicy: logBucketPolicy(),
    DownloadCachePolicy: cachePolicy(o),
    ...(o.aliases ? { DownloadOriginRequestPolicy: originRequestPolicy() } : {}),
    ...(o.lockOrigin ? { OriginSecret: originSecret(o) } : {}),
    Distribution: distribution(o),
  };
  const outputs: Record<string, JsonObject> = {
    DistributionId: output('CloudFront distribution id (for invalidations)', { Ref: 'Distribution' }),
    DistributionDomainName: output('Point DNS (or clients) here', { 'Fn::GetAtt': ['Distribution', 'DomainName'] }),
    LogBucketName: output(`Access logs under ${LOG_PREFIX}, kept ${LOG_RETENTION_DAYS} days`, { Ref: 'LogBucket' }),
    ...(o.lockOrigin ? { OriginSecretArn: output(`Secret holding the ${ORIGIN_HEADER} header value`, { Ref: 'OriginSecret' }) } : {}),
  };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `archctl offload: CloudFront in front of ${o.origin.domainName}; ${o.paths.length} path pattern(s) cached, everything else passed through`,
    Metadata: { archctl: { pattern: OFFLOAD_PATTERN, parameters: parameters(o) } },
    Resources: resources,
    Outputs: outputs,
  };
}
