import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateRules, reasonProblem, summarize } from '../src/core/evaluate.js';
import type { Rule } from '../src/core/rule-types.js';
import { rules } from '../src/core/rules/index.js';
import type { CfnResource, CfnTemplate, Finding, JsonObject } from '../src/core/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const rulesDir = join(here, '..', 'src', 'core', 'rules');

const byId = new Map<string, Rule>(rules.map((r) => [r.id, r]));

function ruleById(id: string): Rule {
  const rule = byId.get(id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

type Resources = Record<string, CfnResource>;

/** Findings of one rule on a template made of `resources`. */
function run(ruleId: string, resources: Resources): Finding[] {
  return evaluateRules({ Resources: resources }, [ruleById(ruleId)]).filter((f) => f.ruleId === ruleId);
}

const res = (Type: string, Properties: JsonObject = {}, extra: Partial<CfnResource> = {}): CfnResource => ({ Type, Properties, ...extra });
const ref = (id: string): JsonObject => ({ Ref: id });
const att = (id: string, a: string): JsonObject => ({ 'Fn::GetAtt': [id, a] });
const sub = (s: string): JsonObject => ({ 'Fn::Sub': s });

// ---------------------------------------------------------------------------
// Shared fixture pieces

const BPA = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
const sslDeny = (resources: JsonObject[], service = 's3'): JsonObject => ({
  Effect: 'Deny',
  Principal: '*',
  Action: `${service}:*`,
  Resource: resources,
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

const stageWide = (extra: JsonObject): JsonObject => ({ ResourcePath: '/*', HttpMethod: '*', ...extra });
const api = res('AWS::ApiGateway::RestApi', { Name: 'api' });
const cachedStage = (extra: JsonObject = {}): CfnResource =>
  res('AWS::ApiGateway::Stage', {
    RestApiId: ref('Api'),
    DeploymentId: ref('Deployment'),
    StageName: 'prod',
    CacheClusterEnabled: true,
    CacheClusterSize: '0.5',
    MethodSettings: [stageWide({ CachingEnabled: true, CacheDataEncrypted: true })],
    ...extra,
  });
const cognitoGet = (extra: JsonObject = {}): CfnResource =>
  res('AWS::ApiGateway::Method', {
    RestApiId: ref('Api'),
    ResourceId: ref('ItemsResource'),
    HttpMethod: 'GET',
    AuthorizationType: 'COGNITO_USER_POOLS',
    AuthorizerId: ref('Authorizer'),
    RequestValidatorId: ref('Validator'),
    RequestParameters: { 'method.request.header.Authorization': true },
    Integration: { Type: 'AWS_PROXY', CacheKeyParameters: ['method.request.header.Authorization'] },
    ...extra,
  });
const tokenAuthorizer = (IdentitySource: string): CfnResource =>
  res('AWS::ApiGateway::Authorizer', { RestApiId: ref('Api'), Name: 'token', Type: 'TOKEN', AuthorizerUri: sub('${AuthFn.Arn}'), IdentitySource });
const cacheControlResource = (strategy = 'FAIL_WITH_403', require = 'true'): CfnResource =>
  res('Custom::ApiStageCacheControl', {
    ServiceToken: att('CacheControlFn', 'Arn'),
    RestApiId: ref('Api'),
    StageName: ref('Stage'),
    PatchOperations: [
      { op: 'replace', path: '/*/*/caching/requireAuthorizationForCacheControl', value: require },
      { op: 'replace', path: '/*/*/caching/unauthorizedCacheControlHeaderStrategy', value: strategy },
    ],
  });

const bodyValidator = (body: boolean): CfnResource => res('AWS::ApiGateway::RequestValidator', { RestApiId: ref('Api'), ValidateRequestBody: body, ValidateRequestParameters: true });
const bodyMethod = (HttpMethod: string, extra: JsonObject = {}): CfnResource =>
  cognitoGet({ HttpMethod, RequestParameters: {}, RequestModels: { 'application/json': ref('TodoModel') }, ...extra });

const trustDoc = (conditions: JsonObject): JsonObject => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: conditions,
    },
  ],
});
const goodTrust = trustDoc({
  StringEquals: { 'cognito-identity.amazonaws.com:aud': ref('IdentityPool') },
  'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
});
/** A trust statement for the Cognito identity service with the given action(s) and no condition. */
const cognitoTrust = (Action: JsonObject[string], extra: JsonObject = {}): JsonObject => ({
  Effect: 'Allow',
  Principal: { Federated: 'cognito-identity.amazonaws.com' },
  Action,
  ...extra,
});
const trustRole = (statements: JsonObject[]): CfnResource => res('AWS::IAM::Role', { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: statements } });
const identityPoolTemplate = (role: CfnResource): Resources => ({
  IdentityPool: res('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: false }),
  AuthRole: role,
  Attachment: res('AWS::Cognito::IdentityPoolRoleAttachment', { IdentityPoolId: ref('IdentityPool'), Roles: { authenticated: att('AuthRole', 'Arn') } }),
  Bucket: res('AWS::S3::Bucket'),
});
const roleMappingAttachment = (mapping: JsonObject): CfnResource =>
  res('AWS::Cognito::IdentityPoolRoleAttachment', {
    IdentityPoolId: ref('IdentityPool'),
    Roles: { authenticated: att('AuthRole', 'Arn') },
    RoleMappings: { userPool: { IdentityProvider: sub('cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}:${UserPoolClient}'), ...mapping } },
  });
const SUB = '${cognito-identity.amazonaws.com:sub}';
const perUserPolicy = (statements: JsonObject[]): CfnResource =>
  res('AWS::IAM::Role', {
    AssumeRolePolicyDocument: goodTrust,
    Policies: [{ PolicyName: 'files', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
  });
const perUserObjects: JsonObject = {
  Effect: 'Allow',
  Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
  Resource: sub(`arn:\${AWS::Partition}:s3:::\${Bucket}/${SUB}/*`),
};
const perUserList: JsonObject = {
  Effect: 'Allow',
  Action: 's3:ListBucket',
  Resource: att('Bucket', 'Arn'),
  Condition: { StringLike: { 's3:prefix': [`${SUB}/`, `${SUB}/*`] } },
};

const policy = (statements: JsonObject[]): CfnResource =>
  res('AWS::IAM::Policy', { PolicyName: 'p', Roles: [ref('Role')], PolicyDocument: { Version: '2012-10-17', Statement: statements } });
const allow = (Action: JsonObject[string], Resource: JsonObject[string], extra: JsonObject = {}): JsonObject => ({ Effect: 'Allow', Action, Resource, ...extra });

const apiPermission = (SourceArn: JsonObject[string]): CfnResource =>
  res('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', FunctionName: ref('Fn'), Principal: 'apigateway.amazonaws.com', SourceArn });

const fn = (extra: JsonObject = {}): CfnResource =>
  res('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Handler: 'index.handler', Role: att('FnRole', 'Arn'), Code: { ZipFile: 'x' }, ...extra });
const streamTable = res('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } });
const streamEsm = (extra: JsonObject = {}): CfnResource =>
  res('AWS::Lambda::EventSourceMapping', { FunctionName: ref('Fn'), EventSourceArn: att('Table', 'StreamArn'), StartingPosition: 'LATEST', ...extra });
const goodStreamEsm = streamEsm({
  MaximumRetryAttempts: 3,
  BisectBatchOnFunctionError: true,
  DestinationConfig: { OnFailure: { Destination: att('Dlq', 'Arn') } },
  FunctionResponseTypes: ['ReportBatchItemFailures'],
  FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
});
const sqsEsm = (extra: JsonObject = {}): CfnResource => res('AWS::Lambda::EventSourceMapping', { FunctionName: ref('Fn'), EventSourceArn: att('Queue', 'Arn'), ...extra });

const s3Consumer = (fnExtra: JsonObject = {}): Resources => ({
  Fn: fn(fnExtra),
  Uploads: res('AWS::S3::Bucket', { NotificationConfiguration: { LambdaConfigurations: [{ Event: 's3:ObjectCreated:*', Function: att('Fn', 'Arn') }] } }),
});

const dbInstance = (extra: JsonObject = {}): CfnResource =>
  res('AWS::RDS::DBInstance', {
    Engine: 'postgres',
    DBInstanceClass: 'db.t4g.micro',
    StorageEncrypted: true,
    PubliclyAccessible: false,
    DBSubnetGroupName: ref('DbSubnets'),
    VPCSecurityGroups: [att('DbSg', 'GroupId')],
    DeletionProtection: true,
    BackupRetentionPeriod: 7,
    MasterUsername: 'app',
    ManageMasterUserPassword: true,
    ...extra,
  });
const subnet = (extra: JsonObject = {}): CfnResource => res('AWS::EC2::Subnet', { VpcId: ref('Vpc'), CidrBlock: '10.0.1.0/24', ...extra });
const network = (publicRoute: boolean): Resources => ({
  Vpc: res('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' }),
  Igw: res('AWS::EC2::InternetGateway'),
  SubnetA: subnet(),
  RouteTable: res('AWS::EC2::RouteTable', { VpcId: ref('Vpc') }),
  Assoc: res('AWS::EC2::SubnetRouteTableAssociation', { SubnetId: ref('SubnetA'), RouteTableId: ref('RouteTable') }),
  ...(publicRoute ? { DefaultRoute: res('AWS::EC2::Route', { RouteTableId: ref('RouteTable'), DestinationCidrBlock: '0.0.0.0/0', GatewayId: ref('Igw') }) } : {}),
  DbSubnets: res('AWS::RDS::DBSubnetGroup', { DBSubnetGroupDescription: 'db', SubnetIds: [ref('SubnetA')] }),
});

const alb = (extra: JsonObject = {}): CfnResource =>
  res('AWS::ElasticLoadBalancingV2::LoadBalancer', {
    Scheme: 'internet-facing',
    SecurityGroups: [ref('AlbSg')],
    Subnets: [ref('SubnetA'), ref('SubnetB')],
    LoadBalancerAttributes: [
      { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      { Key: 'access_logs.s3.enabled', Value: 'true' },
      { Key: 'access_logs.s3.bucket', Value: ref('LogBucket') },
    ],
    ...extra,
  });
const httpsListener = (extra: JsonObject = {}): CfnResource =>
  res('AWS::ElasticLoadBalancingV2::Listener', {
    LoadBalancerArn: ref('Alb'),
    Port: 443,
    Protocol: 'HTTPS',
    SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    Certificates: [{ CertificateArn: ref('Cert') }],
    DefaultActions: [{ Type: 'forward', TargetGroupArn: ref('Tg') }],
    ...extra,
  });
const redirectListener = res('AWS::ElasticLoadBalancingV2::Listener', {
  LoadBalancerArn: ref('Alb'),
  Port: 80,
  Protocol: 'HTTP',
  DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
});
const sg = (ingress: JsonObject[]): CfnResource => res('AWS::EC2::SecurityGroup', { GroupDescription: 'g', VpcId: ref('Vpc'), SecurityGroupIngress: ingress });
const world = (port: number): JsonObject => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, CidrIp: '0.0.0.0/0' });
const headerRule = (header = 'X-Origin-Verify'): CfnResource =>
  res('AWS::ElasticLoadBalancingV2::ListenerRule', {
    ListenerArn: ref('Listener'),
    Priority: 1,
    Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: header, Values: ['{{resolve:secretsmanager:OriginSecret}}'] } }],
    Actions: [{ Type: 'forward', TargetGroupArn: ref('Tg') }],
  });
const lockedListener = httpsListener({ DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '403' } }] });
const distributionSending = (header: string): CfnResource =>
  res('AWS::CloudFront::Distribution', {
    DistributionConfig: {
      Enabled: true,
      Origins: [
        {
          Id: 'alb',
          DomainName: att('Alb', 'DNSName'),
          CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
          OriginCustomHeaders: [{ HeaderName: header, HeaderValue: '{{resolve:secretsmanager:OriginSecret}}' }],
        },
      ],
      DefaultCacheBehavior: { TargetOriginId: 'alb', ViewerProtocolPolicy: 'redirect-to-https' },
    },
  });

const distribution = (config: JsonObject): CfnResource =>
  res('AWS::CloudFront::Distribution', {
    DistributionConfig: { Enabled: true, DefaultCacheBehavior: { TargetOriginId: 'o', ViewerProtocolPolicy: 'redirect-to-https' }, ...config },
  });
const s3Origin = (extra: JsonObject): JsonObject => ({ Id: 'o', DomainName: att('Site', 'RegionalDomainName'), ...extra });

const selfTrigger = (prefix: string | undefined, writeArn: JsonObject | string): Resources => ({
  Images: res('AWS::S3::Bucket', {
    NotificationConfiguration: {
      LambdaConfigurations: [
        {
          Event: 's3:ObjectCreated:*',
          Function: att('Fn', 'Arn'),
          ...(prefix === undefined ? {} : { Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: prefix }] } } }),
        },
      ],
    },
  }),
  Fn: fn(),
  FnRole: res('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {},
    Policies: [
      {
        PolicyName: 'rw',
        PolicyDocument: {
          Statement: [
            allow('s3:GetObject', sub('${Images.Arn}/uploads/*')),
            allow('s3:PutObject', writeArn),
          ],
        },
      },
    ],
  }),
});

// ---------------------------------------------------------------------------
// Compliant and non-compliant fixtures for every rule

interface Case {
  name: string;
  resources: Resources;
  /** Logical ids expected in the findings (bad cases). */
  flagged?: string[];
}

const cases: Record<string, { good: Case[]; bad: Case[] }> = {
  's3-block-public-access': {
    good: [
      { name: 'all four flags', resources: { B: res('AWS::S3::Bucket', { PublicAccessBlockConfiguration: BPA }) } },
      {
        name: 'string "true" flags',
        resources: {
          B: res('AWS::S3::Bucket', { PublicAccessBlockConfiguration: { BlockPublicAcls: 'true', BlockPublicPolicy: 'true', IgnorePublicAcls: 'true', RestrictPublicBuckets: 'true' } }),
        },
      },
    ],
    bad: [
      { name: 'no configuration', resources: { B: res('AWS::S3::Bucket') }, flagged: ['B'] },
      { name: 'one flag false', resources: { B: res('AWS::S3::Bucket', { PublicAccessBlockConfiguration: { ...BPA, BlockPublicPolicy: false } }) }, flagged: ['B'] },
    ],
  },
  's3-encryption': {
    good: [
      { name: 'AES256', resources: { B: res('AWS::S3::Bucket', { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }) } },
      {
        name: 'KMS key by GetAtt',
        resources: {
          B: res('AWS::S3::Bucket', {
            BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: att('Key', 'Arn') } }] },
          }),
        },
      },
    ],
    bad: [{ name: 'no encryption', resources: { B: res('AWS::S3::Bucket') }, flagged: ['B'] }],
  },
  's3-ssl-only': {
    good: [
      {
        name: 'deny insecure transport',
        resources: {
          B: res('AWS::S3::Bucket'),
          P: res('AWS::S3::BucketPolicy', { Bucket: ref('B'), PolicyDocument: { Statement: [sslDeny([att('B', 'Arn'), sub('${B.Arn}/*')])] } }),
        },
      },
    ],
    bad: [
      { name: 'no policy', resources: { B: res('AWS::S3::Bucket') }, flagged: ['B'] },
      {
        name: 'policy without the deny',
        resources: {
          B: res('AWS::S3::Bucket'),
          P: res('AWS::S3::BucketPolicy', { Bucket: ref('B'), PolicyDocument: { Statement: [allow('s3:GetObject', sub('${B.Arn}/*'), { Principal: { Service: 'cloudfront.amazonaws.com' } })] } }),
        },
        flagged: ['B'],
      },
    ],
  },
  's3-no-public-acl': {
    good: [
      { name: 'no ACL', resources: { B: res('AWS::S3::Bucket') } },
      { name: 'Private', resources: { B: res('AWS::S3::Bucket', { AccessControl: 'Private' }) } },
    ],
    bad: [{ name: 'PublicRead', resources: { B: res('AWS::S3::Bucket', { AccessControl: 'PublicRead' }) }, flagged: ['B'] }],
  },
  's3-policy-no-public-principal': {
    good: [
      {
        name: 'CloudFront service principal and deny-all',
        resources: {
          P: res('AWS::S3::BucketPolicy', {
            Bucket: ref('B'),
            PolicyDocument: {
              Statement: [
                allow('s3:GetObject', sub('${B.Arn}/*'), { Principal: { Service: 'cloudfront.amazonaws.com' }, Condition: { StringEquals: { 'AWS:SourceArn': sub('arn:aws:cloudfront::${AWS::AccountId}:distribution/${Cdn}') } } }),
                sslDeny([att('B', 'Arn')]),
              ],
            },
          }),
        },
      },
    ],
    bad: [
      { name: 'Principal *', resources: { P: res('AWS::S3::BucketPolicy', { Bucket: ref('B'), PolicyDocument: { Statement: [allow('s3:GetObject', '*', { Principal: '*' })] } }) }, flagged: ['P'] },
      { name: 'AWS *', resources: { P: res('AWS::S3::BucketPolicy', { Bucket: ref('B'), PolicyDocument: { Statement: [allow('s3:GetObject', '*', { Principal: { AWS: ['*'] } })] } }) }, flagged: ['P'] },
    ],
  },
  's3-versioning': {
    good: [
      { name: 'enabled', resources: { B: res('AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Enabled' } }) } },
      {
        name: 'log bucket is exempt',
        resources: {
          Logs: res('AWS::S3::Bucket'),
          B: res('AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Enabled' }, LoggingConfiguration: { DestinationBucketName: ref('Logs') } }),
        },
      },
    ],
    bad: [
      { name: 'absent', resources: { B: res('AWS::S3::Bucket') }, flagged: ['B'] },
      { name: 'suspended', resources: { B: res('AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Suspended' } }) }, flagged: ['B'] },
    ],
  },
  's3-access-logs': {
    good: [{ name: 'logs to a log bucket', resources: { B: res('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: ref('Logs'), LogFilePrefix: 'b/' } }) } }],
    bad: [
      { name: 'no logging', resources: { B: res('AWS::S3::Bucket') }, flagged: ['B'] },
      { name: 'logs into itself', resources: { B: res('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: ref('B') } }) }, flagged: ['B'] },
    ],
  },
  's3-no-website-hosting': {
    good: [{ name: 'plain bucket', resources: { B: res('AWS::S3::Bucket') } }],
    bad: [{ name: 'website', resources: { B: res('AWS::S3::Bucket', { WebsiteConfiguration: { IndexDocument: 'index.html' } }) }, flagged: ['B'] }],
  },
  'cloudfront-s3-origin-oac': {
    good: [
      { name: 'OAC', resources: { Site: res('AWS::S3::Bucket'), Cdn: distribution({ Origins: [s3Origin({ OriginAccessControlId: att('Oac', 'Id'), S3OriginConfig: { OriginAccessIdentity: '' } })] }) } },
      { name: 'custom origin is not S3', resources: { Cdn: distribution({ Origins: [{ Id: 'o', DomainName: 'example.com', CustomOriginConfig: { OriginProtocolPolicy: 'https-only' } }] }) } },
    ],
    bad: [
      { name: 'no OAC', resources: { Site: res('AWS::S3::Bucket'), Cdn: distribution({ Origins: [s3Origin({ S3OriginConfig: {} })] }) }, flagged: ['Cdn'] },
      {
        name: 'OAI',
        resources: { Site: res('AWS::S3::Bucket'), Cdn: distribution({ Origins: [s3Origin({ S3OriginConfig: { OriginAccessIdentity: sub('origin-access-identity/cloudfront/${Oai}') } })] }) },
        flagged: ['Cdn'],
      },
      {
        name: 'website endpoint',
        resources: { Cdn: distribution({ Origins: [{ Id: 'o', DomainName: 'site.s3-website-eu-west-1.amazonaws.com', CustomOriginConfig: { OriginProtocolPolicy: 'http-only' } }] }) },
        flagged: ['Cdn'],
      },
    ],
  },
  'cloudfront-viewer-https': {
    good: [{ name: 'redirect', resources: { Cdn: distribution({ CacheBehaviors: [{ PathPattern: '/api/*', TargetOriginId: 'o', ViewerProtocolPolicy: 'https-only' }] }) } }],
    bad: [{ name: 'allow-all on a behavior', resources: { Cdn: distribution({ CacheBehaviors: [{ PathPattern: '/img/*', TargetOriginId: 'o', ViewerProtocolPolicy: 'allow-all' }] }) }, flagged: ['Cdn'] }],
  },
  'cloudfront-viewer-tls': {
    good: [
      { name: 'no custom domain', resources: { Cdn: distribution({ ViewerCertificate: { CloudFrontDefaultCertificate: true } }) } },
      {
        name: 'sni-only TLSv1.2_2021',
        resources: { Cdn: distribution({ Aliases: ['app.example.com'], ViewerCertificate: { AcmCertificateArn: ref('Cert'), SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' } }) },
      },
      {
        name: 'conditional custom domain',
        resources: {
          Cdn: distribution({
            Aliases: { 'Fn::If': ['HasDomain', [ref('Domain')], ref('AWS::NoValue')] },
            ViewerCertificate: {
              'Fn::If': ['HasDomain', { AcmCertificateArn: ref('Cert'), SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' }, { CloudFrontDefaultCertificate: true }],
            },
          }),
        },
      },
    ],
    bad: [
      { name: 'old TLS', resources: { Cdn: distribution({ Aliases: ['app.example.com'], ViewerCertificate: { AcmCertificateArn: ref('Cert'), SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1' } }) }, flagged: ['Cdn'] },
      { name: 'vip', resources: { Cdn: distribution({ Aliases: ['app.example.com'], ViewerCertificate: { AcmCertificateArn: ref('Cert'), SslSupportMethod: 'vip', MinimumProtocolVersion: 'TLSv1.2_2021' } }) }, flagged: ['Cdn'] },
    ],
  },
  'cloudfront-origin-https': {
    good: [{ name: 'https-only TLSv1.2', resources: { Cdn: distribution({ Origins: [{ Id: 'o', DomainName: 'api.example.com', CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] } }] }) } }],
    bad: [
      { name: 'http-only', resources: { Cdn: distribution({ Origins: [{ Id: 'o', DomainName: 'a.example.com', CustomOriginConfig: { OriginProtocolPolicy: 'http-only' } }] }) }, flagged: ['Cdn'] },
      { name: 'TLSv1.1 allowed', resources: { Cdn: distribution({ Origins: [{ Id: 'o', DomainName: 'a.example.com', CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.1', 'TLSv1.2'] } }] }) }, flagged: ['Cdn'] },
      { name: 'protocols unset', resources: { Cdn: distribution({ Origins: [{ Id: 'o', DomainName: 'a.example.com', CustomOriginConfig: { OriginProtocolPolicy: 'https-only' } }] }) }, flagged: ['Cdn'] },
    ],
  },
  'cloudfront-access-logging': {
    good: [
      { name: 'legacy logging', resources: { Cdn: distribution({ Logging: { Bucket: att('Logs', 'RegionalDomainName'), Prefix: 'cdn/' } }) } },
      { name: 'logging v2', resources: { Cdn: distribution({}), Src: res('AWS::Logs::DeliverySource', { Name: 'cdn', LogType: 'ACCESS_LOGS', ResourceArn: sub('arn:aws:cloudfront::${AWS::AccountId}:distribution/${Cdn}') }) } },
    ],
    bad: [{ name: 'none', resources: { Cdn: distribution({}) }, flagged: ['Cdn'] }],
  },
  'cloudfront-geo-restriction': {
    good: [{ name: 'whitelist', resources: { Cdn: distribution({ Restrictions: { GeoRestriction: { RestrictionType: 'whitelist', Locations: ['FR'] } } }) } }],
    bad: [{ name: 'none', resources: { Cdn: distribution({}) }, flagged: ['Cdn'] }],
  },
  'cloudfront-waf': {
    good: [{ name: 'web ACL', resources: { Cdn: distribution({ WebACLId: att('Acl', 'Arn') }) } }],
    bad: [{ name: 'none', resources: { Cdn: distribution({}) }, flagged: ['Cdn'] }],
  },
  'apigw-access-logs': {
    good: [
      { name: 'destination and format', resources: { Stage: res('AWS::ApiGateway::Stage', { RestApiId: ref('Api'), AccessLogSetting: { DestinationArn: att('Logs', 'Arn'), Format: '{"requestId":"$context.requestId"}' } }) } },
      { name: 'deployment without a stage', resources: { Deployment: res('AWS::ApiGateway::Deployment', { RestApiId: ref('Api') }) } },
    ],
    bad: [
      { name: 'none', resources: { Stage: res('AWS::ApiGateway::Stage', { RestApiId: ref('Api') }) }, flagged: ['Stage'] },
      { name: 'deployment stage without logs', resources: { Deployment: res('AWS::ApiGateway::Deployment', { RestApiId: ref('Api'), StageName: 'prod' }) }, flagged: ['Deployment'] },
    ],
  },
  'apigw-execution-logs': {
    good: [
      { name: 'ERROR without data trace', resources: { Stage: res('AWS::ApiGateway::Stage', { MethodSettings: [stageWide({ LoggingLevel: 'ERROR', DataTraceEnabled: false })] }) } },
      {
        name: 'an override repeating the level',
        resources: { Stage: res('AWS::ApiGateway::Stage', { MethodSettings: [stageWide({ LoggingLevel: 'ERROR' }), { ResourcePath: '/~1items', HttpMethod: 'GET', LoggingLevel: 'INFO', DataTraceEnabled: false }] }) },
      },
    ],
    bad: [
      {
        name: 'an override turning logging OFF',
        resources: { Stage: res('AWS::ApiGateway::Stage', { MethodSettings: [stageWide({ LoggingLevel: 'ERROR' }), { ResourcePath: '/~1items', HttpMethod: 'GET', LoggingLevel: 'OFF' }] }) },
        flagged: ['Stage'],
      },
      {
        name: 'an override without a level (inherits nothing)',
        resources: { Stage: res('AWS::ApiGateway::Stage', { MethodSettings: [stageWide({ LoggingLevel: 'ERROR' }), { ResourcePath: '/~1items', HttpMethod: 'GET', CachingEnabled: true }] }) },
        flagged: ['Stage'],
      },
      {
        name: 'an override with data trace',
        resources: { Stage: res('AWS::ApiGateway::Stage', { MethodSettings: [stageWide({ LoggingLevel: 'ERROR' }), { ResourcePath: '/~1items', HttpMethod: 'POST', LoggingLevel: 'INFO', DataTraceEnabled: true }] }) },
        flagged: ['Stage'],
      },
      { name: 'OFF', resources: { Stage: res('AWS::ApiGateway::Stage', { MethodSettings: [stageWide({ LoggingLevel: 'OFF' })] }) }, flagged: ['Stage'] },
      { name: 'data trace', resources: { Stage: res('AWS::ApiGateway::Stage', { MethodSettings: [stageWide({ LoggingLevel: 'INFO', DataTraceEnabled: true })] }) }, flagged: ['Stage'] },
    ],
  },
  'apigw-request-validator': {
    good: [
      { name: 'validator', resources: { M: cognitoGet() } },
      { name: 'OPTIONS', resources: { M: res('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS', AuthorizationType: 'NONE' }) } },
      { name: 'POST with a body validator and a model', resources: { Validator: bodyValidator(true), M: bodyMethod('POST') } },
      { name: 'DELETE takes no body', resources: { Validator: bodyValidator(false), M: bodyMethod('DELETE', { RequestModels: ref('AWS::NoValue') }) } },
    ],
    bad: [
      { name: 'none', resources: { M: res('AWS::ApiGateway::Method', { HttpMethod: 'POST', AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: ref('Authorizer') }) }, flagged: ['M'] },
      { name: 'POST with a parameters-only validator', resources: { Validator: bodyValidator(false), M: bodyMethod('POST') }, flagged: ['M'] },
      { name: 'PATCH with a validator that omits ValidateRequestBody', resources: { Validator: res('AWS::ApiGateway::RequestValidator', { RestApiId: ref('Api'), ValidateRequestParameters: true }), M: bodyMethod('PATCH') }, flagged: ['M'] },
      { name: 'PUT without RequestModels', resources: { Validator: bodyValidator(true), M: bodyMethod('PUT', { RequestModels: ref('AWS::NoValue') }) }, flagged: ['M'] },
      { name: 'POST with empty RequestModels', resources: { Validator: bodyValidator(true), M: bodyMethod('POST', { RequestModels: {} }) }, flagged: ['M'] },
    ],
  },
  'apigw-throttling': {
    good: [
      { name: 'stage-wide limits', resources: { Stage: res('AWS::ApiGateway::Stage', { MethodSettings: [stageWide({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })] }) } },
      {
        name: 'an override repeating the limits',
        resources: {
          Stage: res('AWS::ApiGateway::Stage', {
            MethodSettings: [stageWide({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }), { ResourcePath: '/~1items', HttpMethod: 'GET', ThrottlingRateLimit: '20', ThrottlingBurstLimit: ref('Burst') }],
          }),
        },
      },
      {
        name: 'deployment stage description',
        resources: { Deployment: res('AWS::ApiGateway::Deployment', { RestApiId: ref('Api'), StageName: 'prod', StageDescription: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } }) },
      },
    ],
    bad: [
      { name: 'rate only', resources: { Stage: res('AWS::ApiGateway::Stage', { MethodSettings: [stageWide({ ThrottlingRateLimit: 50 })] }) }, flagged: ['Stage'] },
      { name: 'stage-wide -1 (no limit)', resources: { Stage: res('AWS::ApiGateway::Stage', { MethodSettings: [stageWide({ ThrottlingRateLimit: -1, ThrottlingBurstLimit: -1 })] }) }, flagged: ['Stage'] },
      { name: 'stage-wide burst 0', resources: { Stage: res('AWS::ApiGateway::Stage', { MethodSettings: [stageWide({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: '0' })] }) }, flagged: ['Stage'] },
      {
        name: 'an override without limits (inherits nothing)',
        resources: {
          Stage: res('AWS::ApiGateway::Stage', {
            MethodSettings: [stageWide({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }), { ResourcePath: '/~1items', HttpMethod: 'GET', CachingEnabled: true }],
          }),
        },
        flagged: ['Stage'],
      },
      {
        name: 'an override with -1',
        resources: {
          Stage: res('AWS::ApiGateway::Stage', {
            MethodSettings: [stageWide({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }), { ResourcePath: '/~1items', HttpMethod: 'POST', ThrottlingRateLimit: -1, ThrottlingBurstLimit: 100 }],
          }),
        },
        flagged: ['Stage'],
      },
      {
        name: 'deployment stage description with -1',
        resources: { Deployment: res('AWS::ApiGateway::Deployment', { RestApiId: ref('Api'), StageName: 'prod', StageDescription: { ThrottlingRateLimit: -1, ThrottlingBurstLimit: 100 } }) },
        flagged: ['Deployment'],
      },
    ],
  },
  'apigw-xray': {
    good: [{ name: 'tracing', resources: { Stage: res('AWS::ApiGateway::Stage', { TracingEnabled: true }) } }],
    bad: [{ name: 'no tracing', resources: { Stage: res('AWS::ApiGateway::Stage', {}) }, flagged: ['Stage'] }],
  },
  'apigw-cognito-authorizer': {
    good: [
      { name: 'Cognito', resources: { M: cognitoGet(), Authorizer: res('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS', ProviderARNs: [att('Pool', 'Arn')] }) } },
      { name: 'CORS preflight (MOCK)', resources: { M: res('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS', AuthorizationType: 'NONE', Integration: { Type: 'MOCK' } }) } },
    ],
    bad: [
      { name: 'NONE', resources: { M: res('AWS::ApiGateway::Method', { HttpMethod: 'GET', AuthorizationType: 'NONE' }) }, flagged: ['M'] },
      {
        name: 'OPTIONS proxying to a Lambda',
        resources: {
          M: res('AWS::ApiGateway::Method', {
            HttpMethod: 'OPTIONS',
            AuthorizationType: 'NONE',
            Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: sub('arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations') },
          }),
        },
        flagged: ['M'],
      },
      { name: 'OPTIONS without an integration', resources: { M: res('AWS::ApiGateway::Method', { HttpMethod: 'options', AuthorizationType: 'NONE' }) }, flagged: ['M'] },
      { name: 'lambda authorizer', resources: { M: cognitoGet(), Authorizer: res('AWS::ApiGateway::Authorizer', { Type: 'TOKEN' }) }, flagged: ['M'] },
    ],
  },
  'apigw-cache-encrypted': {
    good: [
      { name: 'no cache', resources: { Stage: res('AWS::ApiGateway::Stage', { MethodSettings: [stageWide({ LoggingLevel: 'ERROR' })] }) } },
      { name: 'encrypted', resources: { Stage: cachedStage() } },
    ],
    bad: [
      { name: 'cached, not encrypted', resources: { Stage: cachedStage({ MethodSettings: [stageWide({ CachingEnabled: true })] }) }, flagged: ['Stage'] },
      { name: 'cluster only', resources: { Stage: cachedStage({ MethodSettings: [] }) }, flagged: ['Stage'] },
    ],
  },
  'apigw-cache-key-per-user': {
    good: [
      { name: 'identity in the cache key', resources: { Api: api, Stage: cachedStage(), M: cognitoGet() } },
      { name: 'no cache', resources: { Api: api, Stage: res('AWS::ApiGateway::Stage', { RestApiId: ref('Api') }), M: cognitoGet({ RequestParameters: {}, Integration: { Type: 'AWS_PROXY' } }) } },
      { name: 'POST is not cached', resources: { Api: api, Stage: cachedStage(), M: cognitoGet({ HttpMethod: 'POST', RequestParameters: {}, Integration: { Type: 'AWS_PROXY' } }) } },
      { name: 'public method (NONE)', resources: { Api: api, Stage: cachedStage(), M: cognitoGet({ AuthorizationType: 'NONE', AuthorizerId: ref('AWS::NoValue'), RequestParameters: {}, Integration: { Type: 'AWS_PROXY' } }) } },
      {
        name: "Lambda authorizer's header in the key",
        resources: {
          Api: api,
          Stage: cachedStage(),
          Authorizer: tokenAuthorizer('method.request.header.X-Api-Token'),
          M: cognitoGet({
            AuthorizationType: 'CUSTOM',
            RequestParameters: { 'method.request.header.x-api-token': true },
            Integration: { Type: 'AWS_PROXY', CacheKeyParameters: ['method.request.header.X-Api-Token'] },
          }),
        },
      },
    ],
    bad: [
      {
        name: 'identity missing from CacheKeyParameters',
        resources: { Api: api, Stage: cachedStage(), M: cognitoGet({ Integration: { Type: 'AWS_PROXY', CacheKeyParameters: ['method.request.path.id'] } }) },
        flagged: ['M'],
      },
      { name: 'identity not a request parameter', resources: { Api: api, Stage: cachedStage(), M: cognitoGet({ RequestParameters: { 'method.request.path.id': true } }) }, flagged: ['M'] },
      {
        name: 'CUSTOM without the identity in the key',
        resources: { Api: api, Stage: cachedStage(), M: cognitoGet({ AuthorizationType: 'CUSTOM', RequestParameters: {}, Integration: { Type: 'AWS_PROXY' } }) },
        flagged: ['M'],
      },
      {
        name: "CUSTOM keyed on Authorization while the authorizer reads another header",
        resources: { Api: api, Stage: cachedStage(), Authorizer: tokenAuthorizer('method.request.header.X-Api-Token'), M: cognitoGet({ AuthorizationType: 'CUSTOM' }) },
        flagged: ['M'],
      },
      {
        name: 'CUSTOM REQUEST authorizer on context only',
        resources: {
          Api: api,
          Stage: cachedStage(),
          Authorizer: res('AWS::ApiGateway::Authorizer', { RestApiId: ref('Api'), Type: 'REQUEST', AuthorizerUri: sub('${AuthFn.Arn}'), IdentitySource: 'context.identity.sourceIp' }),
          M: cognitoGet({ AuthorizationType: 'CUSTOM' }),
        },
        flagged: ['M'],
      },
      {
        name: 'AWS_IAM cached GET',
        resources: { Api: api, Stage: cachedStage(), M: cognitoGet({ AuthorizationType: 'AWS_IAM', AuthorizerId: ref('AWS::NoValue') }) },
        flagged: ['M'],
      },
    ],
  },
  'apigw-cache-invalidation-auth': {
    good: [
      { name: 'no cache', resources: { Stage: res('AWS::ApiGateway::Stage', { RestApiId: ref('Api') }) } },
      { name: 'custom resource patches the stage', resources: { Api: api, Stage: cachedStage(), CacheControl: cacheControlResource() } },
      {
        name: 'CDK AwsCustomResource with a JSON string',
        resources: {
          Api: api,
          Stage: cachedStage(),
          CacheControl: res('Custom::AWS', {
            ServiceToken: att('AwsCustomResourceProvider', 'Arn'),
            Create: {
              'Fn::Join': [
                '',
                [
                  '{"service":"APIGateway","action":"updateStage","parameters":{"restApiId":"',
                  ref('Api'),
                  '","stageName":"',
                  ref('Stage'),
                  '","patchOperations":[{"op":"replace","path":"/*/*/caching/requireAuthorizationForCacheControl","value":"true"},{"op":"replace","path":"/*/*/caching/unauthorizedCacheControlHeaderStrategy","value":"FAIL_WITH_403"}]},"physicalResourceId":{"id":"cache-control"}}',
                ],
              ],
            },
          }),
        },
      },
    ],
    bad: [
      { name: 'no custom resource', resources: { Api: api, Stage: cachedStage() }, flagged: ['Stage'] },
      { name: 'succeeds with header', resources: { Api: api, Stage: cachedStage(), CacheControl: cacheControlResource('SUCCEED_WITH_RESPONSE_HEADER') }, flagged: ['Stage'] },
      {
        name: 'properties written into MethodSettings',
        resources: {
          Api: api,
          Stage: cachedStage({
            MethodSettings: [stageWide({ CachingEnabled: true, CacheDataEncrypted: true, RequireAuthorizationForCacheControl: true, UnauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403' })],
          }),
          CacheControl: cacheControlResource(),
        },
        flagged: ['Stage'],
      },
      {
        name: 'per-method override not patched',
        resources: {
          Api: api,
          Stage: cachedStage({
            MethodSettings: [stageWide({ CachingEnabled: true, CacheDataEncrypted: true }), { ResourcePath: '/~1items', HttpMethod: 'GET', CachingEnabled: true, CacheDataEncrypted: true }],
          }),
          CacheControl: cacheControlResource(),
        },
        flagged: ['Stage'],
      },
    ],
  },
  'cognito-password-policy': {
    good: [
      {
        name: 'strong',
        resources: { Pool: res('AWS::Cognito::UserPool', { Policies: { PasswordPolicy: { MinimumLength: 12, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true } } }) },
      },
    ],
    bad: [
      { name: 'short', resources: { Pool: res('AWS::Cognito::UserPool', { Policies: { PasswordPolicy: { MinimumLength: 6, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true } } }) }, flagged: ['Pool'] },
      { name: 'no symbols', resources: { Pool: res('AWS::Cognito::UserPool', { Policies: { PasswordPolicy: { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true } } }) }, flagged: ['Pool'] },
      { name: 'no policy', resources: { Pool: res('AWS::Cognito::UserPool') }, flagged: ['Pool'] },
    ],
  },
  'cognito-mfa': {
    good: [
      { name: 'OPTIONAL', resources: { Pool: res('AWS::Cognito::UserPool', { MfaConfiguration: 'OPTIONAL', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] }) } },
      { name: 'ON with TOTP and SMS', resources: { Pool: res('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', EnabledMfas: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'] }) } },
      {
        name: 'ON with SMS and an SmsConfiguration',
        resources: { Pool: res('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', EnabledMfas: ['SMS_MFA'], SmsConfiguration: { SnsCallerArn: att('SmsRole', 'Arn'), ExternalId: 'todo-sms' } }) },
      },
    ],
    bad: [
      { name: 'OFF by default', resources: { Pool: res('AWS::Cognito::UserPool') }, flagged: ['Pool'] },
      { name: 'OPTIONAL without a factor', resources: { Pool: res('AWS::Cognito::UserPool', { MfaConfiguration: 'OPTIONAL' }) }, flagged: ['Pool'] },
      { name: 'ON with SMS but no SmsConfiguration', resources: { Pool: res('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', EnabledMfas: ['SMS_MFA'] }) }, flagged: ['Pool'] },
    ],
  },
  'cognito-identity-pool-no-unauth': {
    good: [
      { name: 'false', resources: { IdentityPool: res('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: false }) } },
      { name: 'attachment with the authenticated role only', resources: identityPoolTemplate(res('AWS::IAM::Role', { AssumeRolePolicyDocument: goodTrust })) },
    ],
    bad: [
      { name: 'true', resources: { IdentityPool: res('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: true }) }, flagged: ['IdentityPool'] },
      {
        name: 'attachment with an unauthenticated role',
        resources: {
          ...identityPoolTemplate(res('AWS::IAM::Role', { AssumeRolePolicyDocument: goodTrust })),
          Attachment: res('AWS::Cognito::IdentityPoolRoleAttachment', { IdentityPoolId: ref('IdentityPool'), Roles: { authenticated: att('AuthRole', 'Arn'), unauthenticated: att('GuestRole', 'Arn') } }),
        },
        flagged: ['Attachment'],
      },
      {
        name: 'conditional unauthenticated role',
        resources: {
          Attachment: res('AWS::Cognito::IdentityPoolRoleAttachment', {
            IdentityPoolId: ref('IdentityPool'),
            Roles: { authenticated: att('AuthRole', 'Arn'), unauthenticated: { 'Fn::If': ['Guests', att('GuestRole', 'Arn'), ref('AWS::NoValue')] } },
          }),
        },
        flagged: ['Attachment'],
      },
    ],
  },
  'cognito-identity-no-role-mappings': {
    good: [
      { name: 'authenticated role only', resources: identityPoolTemplate(res('AWS::IAM::Role', { AssumeRolePolicyDocument: goodTrust })) },
      { name: 'empty mappings', resources: { Attachment: res('AWS::Cognito::IdentityPoolRoleAttachment', { IdentityPoolId: ref('IdentityPool'), Roles: { authenticated: att('AuthRole', 'Arn') }, RoleMappings: {} }) } },
    ],
    bad: [
      { name: 'Token mapping', resources: { Attachment: roleMappingAttachment({ Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' }) }, flagged: ['Attachment'] },
      {
        name: 'Rules mapping',
        resources: {
          Attachment: roleMappingAttachment({
            Type: 'Rules',
            AmbiguousRoleResolution: 'Deny',
            RulesConfiguration: { Rules: [{ Claim: 'custom:tier', MatchType: 'Equals', Value: 'admin', RoleARN: att('AdminRole', 'Arn') }] },
          }),
        },
        flagged: ['Attachment'],
      },
      {
        name: 'conditional mappings',
        resources: {
          Attachment: res('AWS::Cognito::IdentityPoolRoleAttachment', {
            IdentityPoolId: ref('IdentityPool'),
            Roles: { authenticated: att('AuthRole', 'Arn') },
            RoleMappings: { 'Fn::If': ['Groups', { pool: { IdentityProvider: 'x', Type: 'Token' } }, ref('AWS::NoValue')] },
          }),
        },
        flagged: ['Attachment'],
      },
    ],
  },
  'cognito-identity-role-trust': {
    good: [
      { name: 'aud and amr pinned', resources: identityPoolTemplate(res('AWS::IAM::Role', { AssumeRolePolicyDocument: goodTrust })) },
      {
        name: 'a service statement beside the pinned one',
        resources: identityPoolTemplate(
          trustRole([...((goodTrust.Statement as JsonObject[]) ?? []), { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
        ),
      },
      {
        name: 'sts:* denied, not allowed',
        resources: identityPoolTemplate(trustRole([...((goodTrust.Statement as JsonObject[]) ?? []), { ...cognitoTrust('sts:*'), Effect: 'Deny' }])),
      },
    ],
    bad: [
      { name: 'sts:* without conditions', resources: identityPoolTemplate(trustRole([cognitoTrust('sts:*')])), flagged: ['Attachment'] },
      { name: '* without conditions', resources: identityPoolTemplate(trustRole([cognitoTrust('*')])), flagged: ['Attachment'] },
      { name: 'sts:AssumeRole* in a list', resources: identityPoolTemplate(trustRole([cognitoTrust(['sts:TagSession', 'sts:AssumeRole*'])])), flagged: ['Attachment'] },
      { name: 'other case and ? wildcard', resources: identityPoolTemplate(trustRole([cognitoTrust('STS:assumerolewith?ebidentity')])), flagged: ['Attachment'] },
      { name: 'NotAction', resources: identityPoolTemplate(trustRole([{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, NotAction: 'sts:AssumeRole' }])), flagged: ['Attachment'] },
      {
        name: 'an unconditioned sts:* statement beside the pinned one',
        resources: identityPoolTemplate(trustRole([...((goodTrust.Statement as JsonObject[]) ?? []), cognitoTrust('sts:*')])),
        flagged: ['Attachment'],
      },
      {
        name: 'no aud',
        resources: identityPoolTemplate(res('AWS::IAM::Role', { AssumeRolePolicyDocument: trustDoc({ 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } }) })),
        flagged: ['Attachment'],
      },
      {
        name: 'amr allows guests',
        resources: identityPoolTemplate(
          res('AWS::IAM::Role', {
            AssumeRolePolicyDocument: trustDoc({
              StringEquals: { 'cognito-identity.amazonaws.com:aud': ref('IdentityPool') },
              'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': ['authenticated', 'unauthenticated'] },
            }),
          }),
        ),
        flagged: ['Attachment'],
      },
      {
        name: 'aud pinned to another pool',
        resources: identityPoolTemplate(
          res('AWS::IAM::Role', {
            AssumeRolePolicyDocument: trustDoc({
              StringEquals: { 'cognito-identity.amazonaws.com:aud': 'eu-west-1:00000000-0000-0000-0000-000000000000' },
              'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
            }),
          }),
        ),
        flagged: ['Attachment'],
      },
    ],
  },
  'cognito-identity-s3-per-user': {
    good: [
      { name: 'per-user prefix', resources: identityPoolTemplate(perUserPolicy([perUserObjects, perUserList])) },
      {
        name: 'escaped variable in Fn::Sub and a fixed prefix',
        resources: identityPoolTemplate(
          perUserPolicy([
            { ...perUserObjects, Resource: sub('arn:${AWS::Partition}:s3:::${Bucket}/private/${!cognito-identity.amazonaws.com:sub}/*') },
            { ...perUserList, Condition: { StringLike: { 's3:prefix': [`private/${SUB}/`, `private/${SUB}/*`] } } },
          ]),
        ),
      },
    ],
    bad: [
      { name: 'whole bucket', resources: identityPoolTemplate(perUserPolicy([{ ...perUserObjects, Resource: sub('${Bucket.Arn}/*') }])), flagged: ['Attachment'] },
      { name: 'list without prefix condition', resources: identityPoolTemplate(perUserPolicy([perUserObjects, { ...perUserList, Condition: {} }])), flagged: ['Attachment'] },
      {
        name: 'list prefix without the sub',
        resources: identityPoolTemplate(perUserPolicy([perUserObjects, { ...perUserList, Condition: { StringLike: { 's3:prefix': ['*'] } } }])),
        flagged: ['Attachment'],
      },
    ],
  },
  'iam-no-wildcard-actions': {
    good: [
      { name: 'exact actions', resources: { P: policy([allow(['dynamodb:GetItem', 'dynamodb:Query'], att('Table', 'Arn'))]) } },
      { name: 'exact trust actions', resources: { Role: trustRole([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }]) } },
    ],
    bad: [
      { name: 'service:*', resources: { P: policy([allow('s3:*', sub('${B.Arn}/*'))]) }, flagged: ['P'] },
      { name: 'sts:* in a trust policy', resources: { Role: trustRole([cognitoTrust('sts:*', { Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': ref('IdentityPool') } } })]) }, flagged: ['Role'] },
      { name: 'sts:AssumeRole* in a trust policy', resources: { Role: trustRole([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole*' }]) }, flagged: ['Role'] },
      { name: '* in a role', resources: { Role: res('AWS::IAM::Role', { Policies: [{ PolicyName: 'x', PolicyDocument: { Statement: [allow('*', '*')] } }] }) }, flagged: ['Role'] },
      { name: 'partial wildcard', resources: { P: policy([allow('s3:Get*', sub('${B.Arn}/*'))]) }, flagged: ['P'] },
      { name: 'NotAction', resources: { P: policy([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]) }, flagged: ['P'] },
    ],
  },
  'iam-no-wildcard-resources': {
    good: [
      { name: 'table and its indexes', resources: { P: policy([allow(['dynamodb:Query'], [att('Table', 'Arn'), sub('${Table.Arn}/index/*')])]) } },
      { name: 'X-Ray needs *', resources: { P: policy([allow(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], '*')]) } },
      { name: 'bucket objects', resources: { P: policy([allow('s3:GetObject', sub('arn:${AWS::Partition}:s3:::${Bucket}/*'))]) } },
      { name: 'Fn::Join ARN', resources: { P: policy([allow('sqs:SendMessage', { 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':sqs:', ref('AWS::Region'), ':', ref('AWS::AccountId'), ':', att('Queue', 'QueueName')]] })]) } },
      { name: 'a bucket prefix', resources: { P: policy([allow('s3:GetObject', sub('${Bucket.Arn}/prefix/*'))]) } },
      { name: 'the per-user folder', resources: { P: policy([allow('s3:GetObject', sub('arn:${AWS::Partition}:s3:::${Bucket}/${!cognito-identity.amazonaws.com:sub}/*'))]) } },
      { name: "a function's log streams", resources: { P: policy([allow('logs:PutLogEvents', sub('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/${Fn}:*'))]) } },
      { name: 'a named table by Sub', resources: { P: policy([allow('dynamodb:Query', sub('arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Table}/index/*'))]) } },
      { name: 'one stage of one API', resources: { P: policy([allow('apigateway:PATCH', sub('arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Stage}'))]) } },
    ],
    bad: [
      { name: 'Resource *', resources: { P: policy([allow('dynamodb:GetItem', '*')]) }, flagged: ['P'] },
      { name: 'every table', resources: { P: policy([allow('dynamodb:GetItem', 'arn:aws:dynamodb:*:*:table/*')]) }, flagged: ['P'] },
      { name: 'every table by Sub', resources: { P: policy([allow('dynamodb:GetItem', sub('arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*'))]) }, flagged: ['P'] },
      { name: 'every index of every table', resources: { P: policy([allow('dynamodb:Query', sub('arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*/index/*'))]) }, flagged: ['P'] },
      { name: 'every log group and stream', resources: { P: policy([allow('logs:PutLogEvents', sub('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*:*'))]) }, flagged: ['P'] },
      { name: 'every stream of every log group', resources: { P: policy([allow('logs:PutLogEvents', 'arn:aws:logs:eu-west-1:123456789012:log-group:*:log-stream:*')]) }, flagged: ['P'] },
      { name: 'every function version', resources: { P: policy([allow('lambda:InvokeFunction', sub('arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*:*'))]) }, flagged: ['P'] },
      { name: 'every REST API', resources: { P: policy([allow('apigateway:GET', sub('arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/*'))]) }, flagged: ['P'] },
      { name: 'mixed star-only and other actions', resources: { P: policy([allow(['xray:PutTraceSegments', 's3:GetObject'], '*')]) }, flagged: ['P'] },
    ],
  },
  'iam-no-aws-managed-policies': {
    good: [{ name: 'customer managed', resources: { Role: res('AWS::IAM::Role', { ManagedPolicyArns: [ref('AppPolicy')] }) } }],
    bad: [
      { name: 'literal', resources: { Role: res('AWS::IAM::Role', { ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3FullAccess'] }) }, flagged: ['Role'] },
      { name: 'Fn::Sub', resources: { Role: res('AWS::IAM::Role', { ManagedPolicyArns: [sub('arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')] }) }, flagged: ['Role'] },
      {
        name: 'Fn::Join',
        resources: { Role: res('AWS::IAM::Role', { ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':iam::aws:policy/AWSXRayDaemonWriteAccess']] }] }) },
        flagged: ['Role'],
      },
    ],
  },
  'lambda-latest-runtime': {
    good: [
      { name: 'latest', resources: { Fn: fn() } },
      { name: 'container image', resources: { Fn: res('AWS::Lambda::Function', { PackageType: 'Image', Code: { ImageUri: 'x' } }) } },
      { name: 'not Node.js', resources: { Fn: fn({ Runtime: 'python3.13' }) } },
    ],
    bad: [{ name: 'nodejs20.x', resources: { Fn: fn({ Runtime: 'nodejs20.x' }) }, flagged: ['Fn'] }],
  },
  'lambda-permission-source-arn': {
    good: [
      { name: 'API Gateway with SourceArn', resources: { P: res('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', FunctionName: ref('Fn'), Principal: 'apigateway.amazonaws.com', SourceArn: sub('arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/GET/items') }) } },
      { name: 'another account', resources: { P: res('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', FunctionName: ref('Fn'), Principal: '123456789012' }) } },
      { name: 'one route, any stage', resources: { P: apiPermission(sub('arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/GET/todos')) } },
      { name: 'S3 ARN without region or account', resources: { P: res('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', FunctionName: ref('Fn'), Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::uploads-bucket', SourceAccount: ref('AWS::AccountId') }) } },
    ],
    bad: [
      { name: 'no SourceArn', resources: { P: res('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', FunctionName: ref('Fn'), Principal: 'apigateway.amazonaws.com' }) }, flagged: ['P'] },
      { name: 'public', resources: { P: res('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', FunctionName: ref('Fn'), Principal: '*' }) }, flagged: ['P'] },
      { name: 'any region and account', resources: { P: apiPermission('arn:aws:execute-api:*:*:*') }, flagged: ['P'] },
      { name: 'Sub with :*:*:', resources: { P: apiPermission(sub('arn:${AWS::Partition}:execute-api:*:*:${Api}/*/GET/todos')) }, flagged: ['P'] },
      { name: 'any account', resources: { P: apiPermission(sub('arn:${AWS::Partition}:execute-api:${AWS::Region}:*:${Api}/*/GET/todos')) }, flagged: ['P'] },
      { name: 'any region', resources: { P: apiPermission({ 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':execute-api:*:', ref('AWS::AccountId'), ':', ref('Api'), '/*']] }) }, flagged: ['P'] },
    ],
  },
  'lambda-permission-s3-source-account': {
    good: [
      { name: 'S3 with SourceAccount', resources: { P: res('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', FunctionName: ref('Fn'), Principal: 's3.amazonaws.com', SourceArn: att('B', 'Arn'), SourceAccount: ref('AWS::AccountId') }) } },
      { name: 'not S3', resources: { P: res('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', FunctionName: ref('Fn'), Principal: 'events.amazonaws.com', SourceArn: att('Rule', 'Arn') }) } },
    ],
    bad: [{ name: 'S3 without SourceAccount', resources: { P: res('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', FunctionName: ref('Fn'), Principal: 's3.amazonaws.com', SourceArn: att('B', 'Arn') }) }, flagged: ['P'] }],
  },
  'lambda-consumer-reserved-concurrency': {
    good: [
      { name: 'stream consumer with reserved concurrency', resources: { Table: streamTable, Fn: fn({ ReservedConcurrentExecutions: 5 }), Esm: streamEsm() } },
      { name: 'API function', resources: { Fn: fn() } },
    ],
    bad: [
      { name: 'stream consumer', resources: { Table: streamTable, Fn: fn(), Esm: streamEsm() }, flagged: ['Fn'] },
      { name: 'S3 consumer', resources: s3Consumer(), flagged: ['Fn'] },
    ],
  },
  'lambda-consumer-on-failure': {
    good: [
      {
        name: 'EventInvokeConfig on failure',
        resources: {
          ...s3Consumer(),
          Invoke: res('AWS::Lambda::EventInvokeConfig', { FunctionName: ref('Fn'), Qualifier: '$LATEST', DestinationConfig: { OnFailure: { Destination: att('Dlq', 'Arn') } } }),
        },
      },
      { name: 'DLQ', resources: s3Consumer({ DeadLetterConfig: { TargetArn: att('Dlq', 'Arn') } }) },
    ],
    bad: [{ name: 'nothing', resources: s3Consumer(), flagged: ['Fn'] }],
  },
  'lambda-log-group': {
    good: [
      { name: 'LoggingConfig', resources: { Fn: fn({ LoggingConfig: { LogGroup: ref('FnLogs') } }) } },
      { name: 'named log group', resources: { Fn: fn(), FnLogs: res('AWS::Logs::LogGroup', { LogGroupName: sub('/aws/lambda/${Fn}'), RetentionInDays: 30 }) } },
    ],
    bad: [{ name: 'none', resources: { Fn: fn() }, flagged: ['Fn'] }],
  },
  'esm-max-retry-attempts': {
    good: [
      { name: '3', resources: { Table: streamTable, Esm: streamEsm({ MaximumRetryAttempts: 3 }) } },
      { name: 'SQS source', resources: { Queue: res('AWS::SQS::Queue'), Esm: sqsEsm() } },
    ],
    bad: [
      { name: 'unset', resources: { Table: streamTable, Esm: streamEsm() }, flagged: ['Esm'] },
      { name: 'infinite', resources: { Table: streamTable, Esm: streamEsm({ MaximumRetryAttempts: -1 }) }, flagged: ['Esm'] },
      { name: 'too many', resources: { Table: streamTable, Esm: streamEsm({ MaximumRetryAttempts: 10 }) }, flagged: ['Esm'] },
    ],
  },
  'esm-bisect-batch': {
    good: [{ name: 'bisect', resources: { Table: streamTable, Esm: goodStreamEsm } }],
    bad: [{ name: 'no bisect', resources: { Table: streamTable, Esm: streamEsm() }, flagged: ['Esm'] }],
  },
  'esm-on-failure-destination': {
    good: [
      { name: 'stream destination', resources: { Table: streamTable, Esm: goodStreamEsm } },
      { name: 'SQS redrive (object)', resources: { Queue: res('AWS::SQS::Queue', { RedrivePolicy: { deadLetterTargetArn: att('Dlq', 'Arn'), maxReceiveCount: 5 } }), Esm: sqsEsm() } },
      { name: 'SQS redrive (JSON string)', resources: { Queue: res('AWS::SQS::Queue', { RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:123456789012:dlq","maxReceiveCount":5}' }), Esm: sqsEsm() } },
    ],
    bad: [
      { name: 'stream without destination', resources: { Table: streamTable, Esm: streamEsm() }, flagged: ['Esm'] },
      { name: 'SQS without DLQ', resources: { Queue: res('AWS::SQS::Queue'), Esm: sqsEsm() }, flagged: ['Esm'] },
    ],
  },
  'esm-report-batch-item-failures': {
    good: [{ name: 'partial batch', resources: { Queue: res('AWS::SQS::Queue'), Esm: sqsEsm({ FunctionResponseTypes: ['ReportBatchItemFailures'] }) } }],
    bad: [{ name: 'missing', resources: { Table: streamTable, Esm: streamEsm() }, flagged: ['Esm'] }],
  },
  'esm-filter-criteria': {
    good: [
      { name: 'filtered', resources: { Table: streamTable, Esm: goodStreamEsm } },
      { name: 'SQS is not filtered here', resources: { Queue: res('AWS::SQS::Queue'), Esm: sqsEsm() } },
    ],
    bad: [{ name: 'unfiltered DynamoDB stream', resources: { Table: streamTable, Esm: streamEsm() }, flagged: ['Esm'] }],
  },
  'dynamodb-pitr': {
    good: [
      { name: 'table', resources: { T: res('AWS::DynamoDB::Table', { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }) } },
      {
        name: 'global table replicas',
        resources: {
          T: res('AWS::DynamoDB::GlobalTable', {
            Replicas: [
              { Region: 'eu-west-1', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
              { Region: 'eu-central-1', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
            ],
          }),
        },
      },
    ],
    bad: [
      { name: 'table', resources: { T: res('AWS::DynamoDB::Table') }, flagged: ['T'] },
      {
        name: 'one replica without PITR',
        resources: {
          T: res('AWS::DynamoDB::GlobalTable', { Replicas: [{ Region: 'eu-west-1', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }, { Region: 'eu-central-1' }] }),
        },
        flagged: ['T'],
      },
    ],
  },
  'dynamodb-deletion-protection': {
    good: [
      { name: 'table', resources: { T: res('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true }) } },
      { name: 'global table', resources: { T: res('AWS::DynamoDB::GlobalTable', { Replicas: [{ Region: 'eu-west-1', DeletionProtectionEnabled: true }] }) } },
    ],
    bad: [
      { name: 'table', resources: { T: res('AWS::DynamoDB::Table') }, flagged: ['T'] },
      { name: 'replica', resources: { T: res('AWS::DynamoDB::GlobalTable', { Replicas: [{ Region: 'eu-west-1' }] }) }, flagged: ['T'] },
    ],
  },
  'dynamodb-retain': {
    good: [{ name: 'retain', resources: { T: res('AWS::DynamoDB::Table', {}, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }) } }],
    bad: [
      { name: 'unset', resources: { T: res('AWS::DynamoDB::Table') }, flagged: ['T'] },
      { name: 'delete', resources: { T: res('AWS::DynamoDB::GlobalTable', {}, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Retain' }) }, flagged: ['T'] },
    ],
  },
  'dax-encryption-at-rest': {
    good: [{ name: 'SSE', resources: { Dax: res('AWS::DAX::Cluster', { SSESpecification: { SSEEnabled: true } }) } }],
    bad: [{ name: 'none', resources: { Dax: res('AWS::DAX::Cluster') }, flagged: ['Dax'] }],
  },
  'dax-endpoint-tls': {
    good: [{ name: 'TLS', resources: { Dax: res('AWS::DAX::Cluster', { ClusterEndpointEncryptionType: 'TLS' }) } }],
    bad: [{ name: 'NONE', resources: { Dax: res('AWS::DAX::Cluster', { ClusterEndpointEncryptionType: 'NONE' }) }, flagged: ['Dax'] }],
  },
  'elasticache-in-vpc': {
    good: [
      { name: 'replication group', resources: { Cache: res('AWS::ElastiCache::ReplicationGroup', { CacheSubnetGroupName: ref('CacheSubnets'), SecurityGroupIds: [ref('CacheSg')] }) } },
      { name: 'serverless', resources: { Cache: res('AWS::ElastiCache::ServerlessCache', { SubnetIds: [ref('SubnetA')], SecurityGroupIds: [ref('CacheSg')] }) } },
    ],
    bad: [
      { name: 'default VPC', resources: { Cache: res('AWS::ElastiCache::ReplicationGroup') }, flagged: ['Cache'] },
      { name: 'serverless without subnets', resources: { Cache: res('AWS::ElastiCache::ServerlessCache', { SecurityGroupIds: [ref('CacheSg')] }) }, flagged: ['Cache'] },
    ],
  },
  'elasticache-encryption-at-rest': {
    good: [{ name: 'at rest', resources: { Cache: res('AWS::ElastiCache::ReplicationGroup', { AtRestEncryptionEnabled: true }) } }],
    bad: [
      { name: 'unset', resources: { Cache: res('AWS::ElastiCache::ReplicationGroup') }, flagged: ['Cache'] },
      { name: 'cache cluster', resources: { Cache: res('AWS::ElastiCache::CacheCluster', { Engine: 'redis' }) }, flagged: ['Cache'] },
    ],
  },
  'elasticache-in-transit-encryption': {
    good: [{ name: 'required', resources: { Cache: res('AWS::ElastiCache::ReplicationGroup', { TransitEncryptionEnabled: true, TransitEncryptionMode: 'required' }) } }],
    bad: [
      { name: 'preferred', resources: { Cache: res('AWS::ElastiCache::ReplicationGroup', { TransitEncryptionEnabled: true, TransitEncryptionMode: 'preferred' }) }, flagged: ['Cache'] },
      { name: 'off', resources: { Cache: res('AWS::ElastiCache::ReplicationGroup') }, flagged: ['Cache'] },
    ],
  },
  'elasticache-auth-token-secret': {
    good: [
      { name: 'secrets manager', resources: { Cache: res('AWS::ElastiCache::ReplicationGroup', { Engine: 'valkey', AuthToken: sub('{{resolve:secretsmanager:${CacheSecret}::password}}') }) } },
      { name: 'memcached', resources: { Cache: res('AWS::ElastiCache::ReplicationGroup', { Engine: 'memcached' }) } },
    ],
    bad: [
      { name: 'missing', resources: { Cache: res('AWS::ElastiCache::ReplicationGroup', { Engine: 'redis' }) }, flagged: ['Cache'] },
      { name: 'parameter', resources: { Cache: res('AWS::ElastiCache::ReplicationGroup', { AuthToken: ref('CacheToken') }) }, flagged: ['Cache'] },
    ],
  },
  'rds-storage-encrypted': {
    good: [
      { name: 'encrypted', resources: { Db: dbInstance() } },
      { name: 'cluster member', resources: { Db: res('AWS::RDS::DBInstance', { DBClusterIdentifier: ref('Cluster'), Engine: 'aurora-postgresql' }) } },
    ],
    bad: [{ name: 'unencrypted', resources: { Db: dbInstance({ StorageEncrypted: false }) }, flagged: ['Db'] }],
  },
  'rds-not-public': {
    good: [
      { name: 'private', resources: { Db: dbInstance() } },
      { name: 'aurora cluster', resources: { Cluster: res('AWS::RDS::DBCluster', { Engine: 'aurora-postgresql' }) } },
    ],
    bad: [
      { name: 'public', resources: { Db: dbInstance({ PubliclyAccessible: true }) }, flagged: ['Db'] },
      { name: 'unset', resources: { Db: res('AWS::RDS::DBInstance', { Engine: 'postgres' }) }, flagged: ['Db'] },
    ],
  },
  'rds-private-subnets': {
    good: [{ name: 'private subnet', resources: { ...network(false), Db: dbInstance() } }],
    bad: [
      { name: 'routed to an internet gateway', resources: { ...network(true), Db: dbInstance() }, flagged: ['Db'] },
      { name: 'no subnet group', resources: { Db: dbInstance({ DBSubnetGroupName: ref('AWS::NoValue') }) }, flagged: ['Db'] },
    ],
  },
  'rds-ingress-from-app-sg': {
    good: [{ name: 'from the app group', resources: { Db: dbInstance(), DbSg: sg([{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: ref('AppSg') }]) } }],
    bad: [
      { name: 'CIDR', resources: { Db: dbInstance(), DbSg: sg([{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIp: '10.0.0.0/16' }]) }, flagged: ['Db'] },
      {
        name: 'separate ingress resource',
        resources: { Db: dbInstance(), DbSg: sg([]), Open: res('AWS::EC2::SecurityGroupIngress', { GroupId: att('DbSg', 'GroupId'), IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIp: '0.0.0.0/0' }) },
        flagged: ['Db'],
      },
      { name: 'default group', resources: { Db: dbInstance({ VPCSecurityGroups: [] }) }, flagged: ['Db'] },
    ],
  },
  'rds-deletion-protection': {
    good: [{ name: 'on', resources: { Db: dbInstance() } }],
    bad: [{ name: 'off', resources: { Db: dbInstance({ DeletionProtection: false }) }, flagged: ['Db'] }],
  },
  'rds-backups': {
    good: [{ name: '7 days', resources: { Db: dbInstance() } }],
    bad: [
      { name: 'zero', resources: { Db: dbInstance({ BackupRetentionPeriod: 0 }) }, flagged: ['Db'] },
      { name: 'unset', resources: { Cluster: res('AWS::RDS::DBCluster', { Engine: 'aurora-postgresql' }) }, flagged: ['Cluster'] },
    ],
  },
  'rds-managed-master-password': {
    good: [
      { name: 'managed', resources: { Db: dbInstance() } },
      { name: 'read replica', resources: { Db: res('AWS::RDS::DBInstance', { SourceDBInstanceIdentifier: ref('Primary') }) } },
    ],
    bad: [{ name: 'literal password', resources: { Db: dbInstance({ ManageMasterUserPassword: false, MasterUserPassword: 'hunter22' }) }, flagged: ['Db'] }],
  },
  'elb-https-listener': {
    good: [
      { name: 'TLS 1.2 policy', resources: { Listener: httpsListener() } },
      { name: 'HTTP redirect', resources: { Listener: redirectListener } },
      { name: 'TCP passthrough', resources: { Listener: res('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'TCP', Port: 5432 }) } },
    ],
    bad: [
      { name: 'old policy', resources: { Listener: httpsListener({ SslPolicy: 'ELBSecurityPolicy-2016-08' }) }, flagged: ['Listener'] },
      { name: 'TLS 1.0 in a TLS13 policy', resources: { Listener: httpsListener({ SslPolicy: 'ELBSecurityPolicy-TLS13-1-0-2021-06' }) }, flagged: ['Listener'] },
      { name: 'HTTP forward', resources: { Listener: res('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: ref('Tg') }] }) }, flagged: ['Listener'] },
    ],
  },
  'elb-drop-invalid-headers': {
    good: [
      { name: 'on', resources: { Alb: alb() } },
      { name: 'NLB', resources: { Nlb: res('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network' }) } },
    ],
    bad: [{ name: 'off', resources: { Alb: alb({ LoadBalancerAttributes: [] }) }, flagged: ['Alb'] }],
  },
  'elb-access-logs': {
    good: [{ name: 'on', resources: { Alb: alb() } }],
    bad: [{ name: 'off', resources: { Alb: alb({ LoadBalancerAttributes: [{ Key: 'access_logs.s3.enabled', Value: 'false' }] }) }, flagged: ['Alb'] }],
  },
  'ec2-imdsv2': {
    good: [
      { name: 'launch template', resources: { Lt: res('AWS::EC2::LaunchTemplate', { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } } }) } },
      { name: 'instance', resources: { I: res('AWS::EC2::Instance', { MetadataOptions: { HttpTokens: 'required' } }) } },
    ],
    bad: [
      { name: 'optional', resources: { Lt: res('AWS::EC2::LaunchTemplate', { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'optional' } } }) }, flagged: ['Lt'] },
      { name: 'launch configuration', resources: { Lc: res('AWS::AutoScaling::LaunchConfiguration', { ImageId: 'ami-1', InstanceType: 't3.micro' }) }, flagged: ['Lc'] },
    ],
  },
  'ec2-ebs-encrypted': {
    good: [
      { name: 'encrypted root', resources: { Lt: res('AWS::EC2::LaunchTemplate', { LaunchTemplateData: { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3' } }] } }) } },
      { name: 'volume', resources: { V: res('AWS::EC2::Volume', { Encrypted: true, Size: 10 }) } },
    ],
    bad: [
      { name: 'unencrypted', resources: { I: res('AWS::EC2::Instance', { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8 } }] }) }, flagged: ['I'] },
      { name: 'no mappings', resources: { I: res('AWS::EC2::Instance', { ImageId: 'ami-1' }) }, flagged: ['I'] },
    ],
  },
  'ec2-no-open-ingress': {
    good: [
      { name: 'public ALB on 443 and 80 redirect', resources: { Alb: alb(), AlbSg: sg([world(443), world(80)]), Listener: httpsListener(), Http: redirectListener } },
      { name: 'app from ALB group', resources: { AppSg: sg([{ IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000, SourceSecurityGroupId: ref('AlbSg') }]) } },
    ],
    bad: [
      { name: 'SSH from the world', resources: { Bastion: sg([world(22)]) }, flagged: ['Bastion'] },
      { name: '443 on a non-ALB group', resources: { AppSg: sg([world(443)]) }, flagged: ['AppSg'] },
      {
        name: '80 forwarding on the ALB',
        resources: { Alb: alb(), AlbSg: sg([world(80)]), Http: res('AWS::ElasticLoadBalancingV2::Listener', { LoadBalancerArn: ref('Alb'), Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward' }] }) },
        flagged: ['AlbSg'],
      },
      { name: 'ingress resource, all ports, IPv6', resources: { Open: res('AWS::EC2::SecurityGroupIngress', { GroupId: ref('AppSg'), IpProtocol: '-1', CidrIpv6: '::/0' }) }, flagged: ['Open'] },
    ],
  },
  'alb-origin-lock-prefix-list': {
    good: [
      { name: 'not locked', resources: { Alb: alb(), AlbSg: sg([world(443)]), Listener: httpsListener() } },
      {
        name: 'locked with the prefix list',
        resources: {
          Alb: alb(),
          AlbSg: sg([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourcePrefixListId: { 'Fn::FindInMap': ['CloudFrontPrefixList', ref('AWS::Region'), 'Id'] } }]),
          Listener: lockedListener,
          Rule: headerRule(),
        },
      },
    ],
    bad: [{ name: 'locked but open to the world', resources: { Alb: alb(), AlbSg: sg([world(443)]), Listener: lockedListener, Rule: headerRule() }, flagged: ['Alb'] }],
  },
  'alb-origin-lock-secret-header': {
    good: [
      { name: 'not locked', resources: { Listener: httpsListener() } },
      { name: '403 default and header sent', resources: { Listener: lockedListener, Rule: headerRule(), Cdn: distributionSending('X-Origin-Verify') } },
    ],
    bad: [
      { name: 'default forwards', resources: { Listener: httpsListener(), Rule: headerRule() }, flagged: ['Listener'] },
      { name: 'header not sent by CloudFront', resources: { Listener: lockedListener, Rule: headerRule(), Cdn: distributionSending('X-Other') }, flagged: ['Listener'] },
    ],
  },
  's3-lambda-no-self-trigger': {
    good: [
      { name: 'output to another bucket', resources: { ...selfTrigger(undefined, sub('${Thumbs.Arn}/*')), Thumbs: res('AWS::S3::Bucket') } },
      { name: 'disjoint prefixes', resources: selfTrigger('uploads/', sub('${Images.Arn}/thumbnails/*')) },
    ],
    bad: [
      { name: 'no prefix filter', resources: selfTrigger(undefined, sub('${Images.Arn}/thumbnails/*')), flagged: ['Images'] },
      { name: 'writes anywhere', resources: selfTrigger('uploads/', sub('arn:${AWS::Partition}:s3:::${Images}/*')), flagged: ['Images'] },
      { name: 'output under the trigger prefix', resources: selfTrigger('uploads/', sub('${Images.Arn}/uploads/resized/*')), flagged: ['Images'] },
    ],
  },
  'ses-send-scoped': {
    good: [
      {
        name: 'identity and From address',
        resources: { P: policy([allow('ses:SendEmail', sub('arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/example.com'), { Condition: { StringEquals: { 'ses:FromAddress': 'no-reply@example.com' } } })]) },
      },
    ],
    bad: [
      { name: 'any identity', resources: { P: policy([allow('ses:SendEmail', '*', { Condition: { StringEquals: { 'ses:FromAddress': 'no-reply@example.com' } } })]) }, flagged: ['P'] },
      { name: 'no From condition', resources: { P: policy([allow(['ses:SendEmail', 'ses:SendRawEmail'], sub('arn:aws:ses:${AWS::Region}:${AWS::AccountId}:identity/example.com'))]) }, flagged: ['P'] },
    ],
  },
  'stateful-deletion-policy': {
    good: [{ name: 'both set', resources: { B: res('AWS::S3::Bucket', {}, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }) } }],
    bad: [
      { name: 'bucket', resources: { B: res('AWS::S3::Bucket') }, flagged: ['B'] },
      { name: 'user pool without UpdateReplacePolicy', resources: { Pool: res('AWS::Cognito::UserPool', {}, { DeletionPolicy: 'Retain' }) }, flagged: ['Pool'] },
    ],
  },
  'logs-retention': {
    good: [{ name: '30 days', resources: { L: res('AWS::Logs::LogGroup', { RetentionInDays: 30 }) } }],
    bad: [{ name: 'forever', resources: { L: res('AWS::Logs::LogGroup') }, flagged: ['L'] }],
  },
  'sqs-encryption': {
    good: [
      { name: 'SSE-SQS', resources: { Q: res('AWS::SQS::Queue', { SqsManagedSseEnabled: true }) } },
      { name: 'KMS', resources: { Q: res('AWS::SQS::Queue', { KmsMasterKeyId: ref('Key') }) } },
    ],
    bad: [
      { name: 'off', resources: { Q: res('AWS::SQS::Queue', { SqsManagedSseEnabled: false }) }, flagged: ['Q'] },
      { name: 'undeclared', resources: { Q: res('AWS::SQS::Queue') }, flagged: ['Q'] },
    ],
  },
  'sqs-ssl-only': {
    good: [{ name: 'queue policy', resources: { Q: res('AWS::SQS::Queue'), QP: res('AWS::SQS::QueuePolicy', { Queues: [ref('Q')], PolicyDocument: { Statement: [sslDeny([att('Q', 'Arn')], 'sqs')] } }) } }],
    bad: [{ name: 'none', resources: { Q: res('AWS::SQS::Queue') }, flagged: ['Q'] }],
  },
  'kms-key-rotation': {
    good: [
      { name: 'rotation', resources: { K: res('AWS::KMS::Key', { EnableKeyRotation: true }) } },
      { name: 'asymmetric', resources: { K: res('AWS::KMS::Key', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }) } },
    ],
    bad: [{ name: 'no rotation', resources: { K: res('AWS::KMS::Key') }, flagged: ['K'] }],
  },
};

// ---------------------------------------------------------------------------

describe('rule registry', () => {
  const files = readdirSync(rulesDir)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .sort();

  it('the rules directory holds only rule files and index.ts', () => {
    expect(readdirSync(rulesDir).filter((f) => !f.endsWith('.ts'))).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(35);
  });

  it('index.ts exports every rule file, with id === file name, sorted by id', async () => {
    expect(rules.map((r) => r.id)).toEqual(files.map((f) => basename(f, '.ts')));
    for (const file of files) {
      const mod = (await import(join(rulesDir, file))) as { rule?: Rule };
      expect(mod.rule, file).toBeDefined();
      expect(mod.rule?.id).toBe(basename(file, '.ts'));
      expect(rules).toContain(mod.rule);
    }
    const ids = rules.map((r) => r.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('index.ts imports each rule explicitly', () => {
    const source = readFileSync(join(rulesDir, 'index.ts'), 'utf8');
    for (const file of files) expect(source).toContain(`from './${basename(file, '.ts')}.js'`);
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s is complete', (id, rule) => {
    expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(['error', 'warning']).toContain(rule.level);
    expect(rule.explanation.trim().length).toBeGreaterThan(20);
    expect(rule.fix.trim().length).toBeGreaterThan(10);
    expect(rule.resourceTypes.length).toBeGreaterThan(0);
    for (const type of rule.resourceTypes) expect(type).toMatch(/^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/);
  });

  it('only the optional CloudFront protections are warnings', () => {
    expect(rules.filter((r) => r.level === 'warning').map((r) => r.id)).toEqual(['cloudfront-geo-restriction', 'cloudfront-waf']);
  });

  it('every rule has compliant and non-compliant fixtures', () => {
    for (const rule of rules) {
      const c = cases[rule.id];
      expect(c, rule.id).toBeDefined();
      expect(c?.good.length ?? 0, rule.id).toBeGreaterThan(0);
      expect(c?.bad.length ?? 0, rule.id).toBeGreaterThan(0);
    }
    expect(Object.keys(cases).sort()).toEqual(rules.map((r) => r.id));
  });
});

describe.each(Object.entries(cases))('%s', (ruleId, { good, bad }) => {
  it.each(good.map((c) => [c.name, c] as const))('compliant: %s', (_name, c) => {
    expect(run(ruleId, c.resources)).toEqual([]);
  });

  it.each(bad.map((c) => [c.name, c] as const))('non-compliant: %s', (_name, c) => {
    const findings = run(ruleId, c.resources);
    expect(findings.length).toBeGreaterThan(0);
    const rule = ruleById(ruleId);
    for (const f of findings) {
      expect(f.ruleId).toBe(ruleId);
      expect(f.source).toBe('rules');
      expect(f.level).toBe(rule.level);
      expect(f.fix).toBe(rule.fix);
      expect(f.message.length).toBeGreaterThan(5);
      expect(f.type).toBe(c.resources[f.logicalId]?.Type);
    }
    if (c.flagged) expect([...new Set(findings.map((f) => f.logicalId))].sort()).toEqual([...c.flagged].sort());
  });
});

// ---------------------------------------------------------------------------
// Precise paths and messages

describe('finding details', () => {
  it('points at the missing Block Public Access flag', () => {
    const [finding] = run('s3-block-public-access', { B: res('AWS::S3::Bucket', { PublicAccessBlockConfiguration: { ...BPA, BlockPublicPolicy: false } }) });
    expect(finding?.path).toBe('Properties.PublicAccessBlockConfiguration.BlockPublicPolicy');
    expect(finding?.message).toContain('BlockPublicPolicy');
  });

  it('reports one finding per global table replica', () => {
    const findings = run('dynamodb-pitr', { T: res('AWS::DynamoDB::GlobalTable', { Replicas: [{ Region: 'eu-west-1' }, { Region: 'us-east-1' }] }) });
    expect(findings.map((f) => f.path)).toEqual([
      'Properties.Replicas.0.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled',
      'Properties.Replicas.1.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled',
    ]);
    expect(findings[1]?.message).toContain('us-east-1');
  });

  it('explains that the cache-control settings are not CloudFormation properties', () => {
    const findings = run('apigw-cache-invalidation-auth', { Api: api, Stage: cachedStage() });
    expect(findings).toHaveLength(2);
    expect(findings.map((f) => f.message).join('\n')).toMatch(/CloudFormation has no property/);
    expect(findings.map((f) => f.message).join('\n')).toMatch(/\/\*\/\*\/caching\/unauthorizedCacheControlHeaderStrategy to FAIL_WITH_403/);
  });

  it('requires the cache-control custom resource to be tied to the stage', () => {
    const unrelated = res('Custom::ApiStageCacheControl', {
      ServiceToken: att('CacheControlFn', 'Arn'),
      RestApiId: ref('Api'),
      StageName: 'prod',
      PatchOperations: [
        { op: 'replace', path: '/*/*/caching/requireAuthorizationForCacheControl', value: 'true' },
        { op: 'replace', path: '/*/*/caching/unauthorizedCacheControlHeaderStrategy', value: 'FAIL_WITH_403' },
      ],
    });
    expect(run('apigw-cache-invalidation-auth', { Api: api, Stage: cachedStage(), CacheControl: unrelated })).toHaveLength(2);
    expect(run('apigw-cache-invalidation-auth', { Api: api, Stage: cachedStage(), CacheControl: { ...unrelated, DependsOn: 'Stage' } })).toEqual([]);
  });

  it('accepts a per-method override patched with its own path', () => {
    const stage = cachedStage({ MethodSettings: [{ ResourcePath: '/~1items', HttpMethod: 'GET', CachingEnabled: true, CacheDataEncrypted: true }] });
    const control = res('Custom::ApiStageCacheControl', {
      ServiceToken: att('CacheControlFn', 'Arn'),
      StageName: ref('Stage'),
      PatchOperations: [
        { op: 'replace', path: '/~1items/GET/caching/requireAuthorizationForCacheControl', value: 'true' },
        { op: 'replace', path: '/~1items/GET/caching/unauthorizedCacheControlHeaderStrategy', value: 'FAIL_WITH_403' },
      ],
    });
    expect(run('apigw-cache-invalidation-auth', { Api: api, Stage: stage, CacheControl: control })).toEqual([]);
  });

  it.each([['sts:*'], ['*'], [['sts:TagSession', 'sts:AssumeRole*']], ['STS:assumerolewith?ebidentity']] as const)(
    'reads the trust action %j as granting sts:AssumeRoleWithWebIdentity and reports its missing conditions',
    (action) => {
      const findings = run('cognito-identity-role-trust', identityPoolTemplate(trustRole([cognitoTrust(action as JsonObject[string])])));
      const text = findings.map((f) => f.message).join('\n');
      expect(text).toMatch(/no StringEquals condition on cognito-identity\.amazonaws\.com:aud/);
      expect(text).toMatch(/cognito-identity\.amazonaws\.com:amr/);
      expect(text).not.toMatch(/does not allow/);
    },
  );

  it('reports the missing conditions of a NotAction trust statement and of a wildcard principal', () => {
    const notAction = run('cognito-identity-role-trust', identityPoolTemplate(trustRole([{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, NotAction: 'sts:AssumeRole' }])));
    expect(notAction.map((f) => f.message).join('\n')).toMatch(/no StringEquals condition/);
    const star = run('cognito-identity-role-trust', identityPoolTemplate(trustRole([...((goodTrust.Statement as JsonObject[]) ?? []), { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRoleWithWebIdentity' }])));
    expect(star.map((f) => f.message).join('\n')).toMatch(/Statement\.1: sts:AssumeRoleWithWebIdentity is allowed to "\*"/);
  });

  it('points at the wildcard action of a trust policy', () => {
    const [finding] = run('iam-no-wildcard-actions', { Role: trustRole([cognitoTrust('sts:*')]) });
    expect(finding?.path).toBe('Properties.AssumeRolePolicyDocument.Statement.0.Action');
  });

  it('names the per-method override that does not log or throttle', () => {
    const stage = res('AWS::ApiGateway::Stage', {
      MethodSettings: [
        stageWide({ LoggingLevel: 'ERROR', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }),
        { ResourcePath: '/~1items', HttpMethod: 'GET', CachingEnabled: true },
      ],
    });
    const logs = run('apigw-execution-logs', { Stage: stage });
    expect(logs.map((f) => f.path)).toEqual(['Properties.MethodSettings.1.LoggingLevel']);
    expect(logs[0]?.message).toMatch(/\/~1items GET/);
    const throttle = run('apigw-throttling', { Stage: stage });
    expect(throttle.map((f) => f.path)).toEqual(['Properties.MethodSettings.1']);
    expect(throttle[0]?.message).toMatch(/ThrottlingRateLimit is not set; ThrottlingBurstLimit is not set/);
    const minusOne = run('apigw-throttling', { Stage: res('AWS::ApiGateway::Stage', { MethodSettings: [stageWide({ ThrottlingRateLimit: -1, ThrottlingBurstLimit: 100 })] }) });
    expect(minusOne[0]?.message).toMatch(/ThrottlingRateLimit is -1/);
  });

  it('reports the body validator and the missing model of a PUT separately', () => {
    const findings = run('apigw-request-validator', { Validator: bodyValidator(false), M: bodyMethod('PUT', { RequestModels: ref('AWS::NoValue') }) });
    expect(findings.map((f) => f.path)).toEqual(['Properties.RequestValidatorId', 'Properties.RequestModels']);
  });

  it('reports a SourceArn with a wildcard region or account', () => {
    const [finding] = run('lambda-permission-source-arn', { P: apiPermission('arn:aws:execute-api:*:*:*') });
    expect(finding?.path).toBe('Properties.SourceArn');
    expect(finding?.message).toMatch(/region "\*" and account "\*"/);
  });

  it('lets a reasoned suppression stand for an AWS_IAM cached method and for role mappings, one rule at a time', () => {
    const iam = cognitoGet({ AuthorizationType: 'AWS_IAM', AuthorizerId: ref('AWS::NoValue') });
    const suppressed = evaluateRules(
      {
        Resources: {
          Api: api,
          Stage: cachedStage(),
          M: { ...iam, Metadata: { archctl: { rules_to_suppress: [{ id: 'apigw-cache-key-per-user', reason: 'GET /config answers the same document to every signed caller.' }] } } },
        },
      },
      [ruleById('apigw-cache-key-per-user')],
    );
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]?.path).toBe('Properties.AuthorizationType');
    expect(suppressed[0]?.suppressed?.reason).toMatch(/same document/);

    const attachment = roleMappingAttachment({ Type: 'Token', AmbiguousRoleResolution: 'Deny' });
    attachment.Properties = { ...attachment.Properties, Roles: { authenticated: att('AuthRole', 'Arn'), unauthenticated: att('GuestRole', 'Arn') } };
    attachment.Metadata = { archctl: { rules_to_suppress: [{ id: 'cognito-identity-no-role-mappings', reason: 'Admins get the admin role of their user pool group.' }] } };
    const findings = evaluateRules({ Resources: { Attachment: attachment } }, [ruleById('cognito-identity-no-role-mappings'), ruleById('cognito-identity-pool-no-unauth')]);
    expect(findings.map((f) => [f.ruleId, f.path, f.suppressed !== undefined])).toEqual([
      ['cognito-identity-no-role-mappings', 'Properties.RoleMappings.userPool', true],
      ['cognito-identity-pool-no-unauth', 'Properties.Roles.unauthenticated', false],
    ]);
  });

  it('keeps the latest Node.js runtime in step with aws-cdk-lib (what cdk-nag L1 compares with)', () => {
    const source = readFileSync(join(here, '..', 'node_modules', 'aws-cdk-lib', 'aws-lambda', 'lib', 'runtime.js'), 'utf8');
    const versions = [...source.matchAll(/new Runtime\("nodejs(\d+)\.x"/g)].map((m) => Number(m[1]));
    const latest = `nodejs${Math.max(...versions)}.x`;
    expect(run('lambda-latest-runtime', { Fn: fn({ Runtime: latest }) })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Intrinsics: a compliant template written the usual way gives no finding

const R = (type: string, props: JsonObject, extra: Partial<CfnResource> = {}): CfnResource =>
  res(type, props, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', ...extra });
const suppress = (id: string, reason: string): JsonObject => ({ archctl: { rules_to_suppress: [{ id, reason }] } });
const encryption = { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] };

const compliantTemplate: CfnTemplate = {
  Conditions: { HasDomain: { 'Fn::Not': [{ 'Fn::Equals': [ref('Domain'), ''] }] } },
  Resources: {
    LogBucket: R(
      'AWS::S3::Bucket',
      { PublicAccessBlockConfiguration: BPA, BucketEncryption: encryption, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } },
      { Metadata: suppress('s3-access-logs', 'This is the log bucket; logging it into itself would loop.') },
    ),
    LogBucketPolicy: res('AWS::S3::BucketPolicy', { Bucket: ref('LogBucket'), PolicyDocument: { Statement: [sslDeny([att('LogBucket', 'Arn'), sub('${LogBucket.Arn}/*')])] } }),
    DataBucket: R('AWS::S3::Bucket', {
      BucketName: sub('${AWS::StackName}-data-${AWS::AccountId}'),
      PublicAccessBlockConfiguration: BPA,
      BucketEncryption: encryption,
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: ref('LogBucket'), LogFilePrefix: 'data/' },
      NotificationConfiguration: {
        LambdaConfigurations: [{ Event: 's3:ObjectCreated:*', Function: att('ThumbFn', 'Arn'), Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'uploads/' }] } } }],
      },
    }),
    DataBucketPolicy: res('AWS::S3::BucketPolicy', {
      Bucket: ref('DataBucket'),
      PolicyDocument: {
        Statement: [
          sslDeny([sub('arn:${AWS::Partition}:s3:::${AWS::StackName}-data-${AWS::AccountId}'), sub('arn:${AWS::Partition}:s3:::${AWS::StackName}-data-${AWS::AccountId}/*')]),
          allow('s3:GetObject', sub('${DataBucket.Arn}/public/*'), {
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': sub('arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Cdn}') } },
          }),
        ],
      },
    }),
    Oac: res('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: { Name: 'oac', OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' } }),
    Cdn: res(
      'AWS::CloudFront::Distribution',
      {
        DistributionConfig: {
          Enabled: true,
          Aliases: { 'Fn::If': ['HasDomain', [ref('Domain')], ref('AWS::NoValue')] },
          ViewerCertificate: {
            'Fn::If': ['HasDomain', { AcmCertificateArn: ref('CertificateArn'), SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' }, { CloudFrontDefaultCertificate: true }],
          },
          Logging: { Bucket: att('LogBucket', 'RegionalDomainName'), Prefix: 'cdn/' },
          Origins: [
            { Id: 's3', DomainName: att('DataBucket', 'RegionalDomainName'), OriginAccessControlId: att('Oac', 'Id'), S3OriginConfig: { OriginAccessIdentity: '' } },
            {
              Id: 'api',
              DomainName: sub('${Api}.execute-api.${AWS::Region}.amazonaws.com'),
              OriginPath: '/prod',
              CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
            },
          ],
          DefaultCacheBehavior: { TargetOriginId: 's3', ViewerProtocolPolicy: 'redirect-to-https' },
          CacheBehaviors: [{ PathPattern: '/api/*', TargetOriginId: 'api', ViewerProtocolPolicy: 'https-only' }],
        },
      },
      {
        Metadata: {
          archctl: {
            rules_to_suppress: [
              { id: 'cloudfront-geo-restriction', reason: 'The app is served worldwide; no country is excluded.' },
              { id: 'cloudfront-waf', reason: 'WAF is an option (--waf); the default stack stays within the free tier.' },
            ],
          },
          cdk_nag: {
            rules_to_suppress: [
              { id: 'AwsSolutions-CFR1', reason: 'The app is served worldwide; no country is excluded.' },
              { id: 'AwsSolutions-CFR2', reason: 'WAF is an option (--waf); the default stack stays within the free tier.' },
            ],
          },
        },
      },
    ),
    Table: R('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
    Dlq: res('AWS::SQS::Queue', { SqsManagedSseEnabled: true }),
    DlqPolicy: res('AWS::SQS::QueuePolicy', { Queues: [ref('Dlq')], PolicyDocument: { Statement: [sslDeny([att('Dlq', 'Arn')], 'sqs')] } }),
    FnLogs: R('AWS::Logs::LogGroup', { RetentionInDays: 30 }),
    Fn: fn({ LoggingConfig: { LogGroup: ref('FnLogs') }, ReservedConcurrentExecutions: 10, TracingConfig: { Mode: 'Active' } }),
    FnRole: res('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      Policies: [
        {
          PolicyName: 'app',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              allow(['logs:CreateLogStream', 'logs:PutLogEvents'], att('FnLogs', 'Arn')),
              allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], [att('Table', 'Arn'), sub('${Table.Arn}/index/*')]),
              allow(['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams'], att('Table', 'StreamArn')),
              allow(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], '*'),
              allow('sqs:SendMessage', att('Dlq', 'Arn')),
              allow(['ses:SendEmail', 'ses:SendRawEmail'], sub('arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${MailDomain}'), {
                Condition: { StringEquals: { 'ses:FromAddress': sub('no-reply@${MailDomain}') } },
              }),
            ],
          },
        },
      ],
    }),
    Esm: goodStreamEsm,
    ThumbLogs: R('AWS::Logs::LogGroup', { LogGroupName: sub('/aws/lambda/${ThumbFn}'), RetentionInDays: 14 }),
    ThumbFn: fn({ Role: att('ThumbRole', 'Arn'), ReservedConcurrentExecutions: 2 }),
    ThumbRole: res('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      Policies: [
        {
          PolicyName: 'thumbs',
          PolicyDocument: {
            Statement: [
              allow('s3:GetObject', sub('arn:${AWS::Partition}:s3:::${AWS::StackName}-data-${AWS::AccountId}/uploads/*')),
              allow('s3:PutObject', sub('arn:${AWS::Partition}:s3:::${AWS::StackName}-data-${AWS::AccountId}/thumbnails/*')),
            ],
          },
        },
      ],
    }),
    ThumbInvoke: res('AWS::Lambda::EventInvokeConfig', { FunctionName: ref('ThumbFn'), Qualifier: '$LATEST', DestinationConfig: { OnFailure: { Destination: att('Dlq', 'Arn') } } }),
    ThumbPermission: res('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: att('ThumbFn', 'Arn'),
      Principal: 's3.amazonaws.com',
      SourceArn: sub('arn:${AWS::Partition}:s3:::${AWS::StackName}-data-${AWS::AccountId}'),
      SourceAccount: ref('AWS::AccountId'),
    }),
    UserPool: R('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: 'true' } },
    }),
    IdentityPool: res('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: false }),
    AuthRole: perUserPolicy([
      { ...perUserObjects, Resource: sub('arn:${AWS::Partition}:s3:::${AWS::StackName}-data-${AWS::AccountId}/private/${!cognito-identity.amazonaws.com:sub}/*') },
      { ...perUserList, Resource: att('DataBucket', 'Arn'), Condition: { StringLike: { 's3:prefix': [`private/${SUB}/`, `private/${SUB}/*`] } } },
    ]),
    RoleAttachment: res('AWS::Cognito::IdentityPoolRoleAttachment', { IdentityPoolId: ref('IdentityPool'), Roles: { authenticated: att('AuthRole', 'Arn') } }),
    Api: api,
    Authorizer: res('AWS::ApiGateway::Authorizer', { RestApiId: ref('Api'), Type: 'COGNITO_USER_POOLS', ProviderARNs: [att('UserPool', 'Arn')], IdentitySource: 'method.request.header.Authorization' }),
    Validator: res('AWS::ApiGateway::RequestValidator', { RestApiId: ref('Api'), ValidateRequestBody: true, ValidateRequestParameters: true }),
    ItemsResource: res('AWS::ApiGateway::Resource', { RestApiId: ref('Api'), ParentId: att('Api', 'RootResourceId'), PathPart: 'items' }),
    GetItems: cognitoGet({
      Integration: {
        Type: 'AWS_PROXY',
        IntegrationHttpMethod: 'POST',
        Uri: sub('arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations'),
        CacheKeyParameters: ['method.request.header.Authorization'],
      },
    }),
    ItemsOptions: res('AWS::ApiGateway::Method', { RestApiId: ref('Api'), ResourceId: ref('ItemsResource'), HttpMethod: 'OPTIONS', AuthorizationType: 'NONE', Integration: { Type: 'MOCK' } }),
    Deployment: res('AWS::ApiGateway::Deployment', { RestApiId: ref('Api') }, { DependsOn: ['GetItems', 'ItemsOptions'] }),
    ApiLogs: R('AWS::Logs::LogGroup', { RetentionInDays: 365 }),
    Stage: cachedStage({
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: att('ApiLogs', 'Arn'), Format: '{"requestId":"$context.requestId","status":"$context.status"}' },
      MethodSettings: [stageWide({ LoggingLevel: 'ERROR', DataTraceEnabled: false, MetricsEnabled: true, ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, CachingEnabled: true, CacheDataEncrypted: true, CacheTtlInSeconds: 60 })],
    }),
    CacheControl: cacheControlResource(),
    ApiPermission: res('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: ref('Fn'),
      Principal: 'apigateway.amazonaws.com',
      SourceArn: { 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':execute-api:', ref('AWS::Region'), ':', ref('AWS::AccountId'), ':', ref('Api'), '/*/GET/items']] },
    }),
    Key: R('AWS::KMS::Key', { EnableKeyRotation: true, KeyPolicy: {} }),
  },
};

describe('intrinsics and a compliant template', () => {
  const findings = evaluateRules(compliantTemplate, rules);

  it('raises nothing that is not suppressed', () => {
    expect(findings.filter((f) => !f.suppressed)).toEqual([]);
  });

  it('keeps the suppressed findings with their reasons', () => {
    expect(findings.map((f) => `${f.logicalId}:${f.ruleId}`)).toEqual(['LogBucket:s3-access-logs', 'Cdn:cloudfront-geo-restriction', 'Cdn:cloudfront-waf']);
    expect(findings[0]?.suppressed?.reason).toMatch(/log bucket/);
    expect(summarize(findings)).toEqual({ errors: 0, warnings: 0, suppressed: 3 });
  });

  it('uses every resource type the rules cover in a realistic way (sanity)', () => {
    const types = new Set(Object.values(compliantTemplate.Resources).map((r) => r.Type));
    expect(types.has('AWS::Cognito::IdentityPoolRoleAttachment')).toBe(true);
    expect(types.has('Custom::ApiStageCacheControl')).toBe(true);
  });

  it('still finds problems hidden behind intrinsics', () => {
    const broken: CfnTemplate = structuredClone(compliantTemplate);
    const role = broken.Resources.FnRole;
    const statements = role?.Properties?.Policies as JsonObject[];
    ((statements[0]?.PolicyDocument as JsonObject).Statement as JsonObject[]).push(
      allow('dynamodb:DeleteItem', { 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':dynamodb:', ref('AWS::Region'), ':', ref('AWS::AccountId'), ':table/*']] }),
    );
    const extra = evaluateRules(broken, rules).filter((f) => !f.suppressed);
    expect(extra.map((f) => `${f.logicalId}:${f.ruleId}`)).toEqual(['FnRole:iam-no-wildcard-resources']);
  });
});

// ---------------------------------------------------------------------------
// Suppressions and the engine

const unversioned = (metadata?: JsonObject): CfnTemplate => ({
  Resources: { B: res('AWS::S3::Bucket', {}, metadata === undefined ? {} : { Metadata: metadata }) },
});
const versioning = [ruleById('s3-versioning')];

describe('suppressions', () => {
  it('a suppression with a real reason keeps the finding, marked suppressed', () => {
    const findings = evaluateRules(unversioned(suppress('s3-versioning', 'Scratch bucket: every object can be re-created from the source.')), versioning);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 's3-versioning', logicalId: 'B', suppressed: { reason: 'Scratch bucket: every object can be re-created from the source.' } });
    expect(summarize(findings)).toEqual({ errors: 0, warnings: 0, suppressed: 1 });
  });

  it('a reason shorter than 10 characters does not suppress and is itself an error', () => {
    const findings = evaluateRules(unversioned(suppress('s3-versioning', 'scratch')), versioning);
    expect(findings.map((f) => [f.ruleId, f.level, Boolean(f.suppressed)])).toEqual([
      ['s3-versioning', 'error', false],
      ['suppression-reason', 'error', false],
    ]);
    expect(findings[1]?.path).toBe('Metadata.archctl.rules_to_suppress.0.reason');
    expect(summarize(findings)).toEqual({ errors: 2, warnings: 0, suppressed: 0 });
  });

  it.each(['TODO', 'tbd', 'N/A', 'none', 'FIXME', 'ignore', 'TODO: write the reason later', '', '   '])('placeholder reason %j is an error', (reason) => {
    const findings = evaluateRules(unversioned(suppress('s3-versioning', reason)), versioning);
    expect(findings.map((f) => f.ruleId)).toEqual(['s3-versioning', 'suppression-reason']);
  });

  it('a missing reason is an error', () => {
    const findings = evaluateRules(unversioned({ archctl: { rules_to_suppress: [{ id: 's3-versioning' }] } }), versioning);
    expect(findings.map((f) => f.ruleId)).toEqual(['s3-versioning', 'suppression-reason']);
    expect(findings[1]?.message).toMatch(/no reason/);
  });

  it('a suppression naming an unknown rule is a warning', () => {
    const findings = evaluateRules(unversioned(suppress('s3-versionning', 'Typo in the rule id, reason is long enough.')), versioning);
    expect(findings.map((f) => [f.ruleId, f.level])).toEqual([
      ['s3-versioning', 'error'],
      ['suppression-unknown-rule', 'warning'],
    ]);
    expect(findings[1]?.path).toBe('Metadata.archctl.rules_to_suppress.0.id');
  });

  it('suppression findings cannot themselves be suppressed', () => {
    const metadata = {
      archctl: {
        rules_to_suppress: [
          { id: 's3-versioning', reason: 'short' },
          { id: 'suppression-reason', reason: 'Trying to silence the reason check itself.' },
        ],
      },
    };
    const findings = evaluateRules(unversioned(metadata), versioning);
    expect(findings.map((f) => [f.ruleId, Boolean(f.suppressed)])).toEqual([
      ['s3-versioning', false],
      ['suppression-reason', false],
      ['suppression-unknown-rule', false],
    ]);
  });

  it('cdk-nag suppressions need a real reason too, but are not applied to archctl rules', () => {
    const metadata = {
      cdk_nag: {
        rules_to_suppress: [
          { id: 'AwsSolutions-S1', reason: 'x' },
          { id: 'AwsSolutions-S10', reason: 'A real and long enough reason for cdk-nag.' },
          { id: 's3-versioning', reason: 'cdk-nag metadata does not suppress archctl rules.' },
        ],
      },
    };
    const findings = evaluateRules(unversioned(metadata), versioning);
    expect(findings.map((f) => [f.ruleId, f.path, Boolean(f.suppressed)])).toEqual([
      ['s3-versioning', 'Properties.VersioningConfiguration.Status', false],
      ['suppression-reason', 'Metadata.cdk_nag.rules_to_suppress.0.reason', false],
    ]);
  });

  it('reasonProblem accepts real reasons', () => {
    expect(reasonProblem('The log bucket cannot log into itself.')).toBeUndefined();
    expect(reasonProblem('None of the clients support HTTP/2 yet.')).toBeUndefined();
    expect(reasonProblem('todo')).toMatch(/placeholder/);
    expect(reasonProblem(42)).toMatch(/no reason/);
  });
});

describe('evaluateRules', () => {
  it('orders findings by resource (template order) then rule id, whatever the rule order given', () => {
    const template: CfnTemplate = { Resources: { Z: res('AWS::S3::Bucket'), A: res('AWS::Logs::LogGroup') } };
    const picked = ['s3-versioning', 'logs-retention', 's3-encryption', 'stateful-deletion-policy'].map(ruleById);
    const forward = evaluateRules(template, picked);
    const backward = evaluateRules(template, [...picked].reverse());
    expect(backward).toEqual(forward);
    expect(forward.map((f) => `${f.logicalId}:${f.ruleId}:${f.path ?? ''}`)).toEqual([
      'Z:s3-encryption:Properties.BucketEncryption',
      'Z:s3-versioning:Properties.VersioningConfiguration.Status',
      'Z:stateful-deletion-policy:DeletionPolicy',
      'Z:stateful-deletion-policy:UpdateReplacePolicy',
      'A:logs-retention:Properties.RetentionInDays',
      'A:stateful-deletion-policy:DeletionPolicy',
      'A:stateful-deletion-policy:UpdateReplacePolicy',
    ]);
  });

  it('calls a rule only for its resource types and drops compliant and not-applicable outcomes', () => {
    const calls: string[] = [];
    const probe: Rule = {
      id: 'probe',
      level: 'warning',
      explanation: 'A rule used by the test only.',
      fix: 'Nothing to fix.',
      resourceTypes: ['AWS::SQS::Queue'],
      check(id) {
        calls.push(id);
        return [{ status: 'compliant' }, { status: 'not-applicable' }, { status: 'non-compliant', message: 'probed' }];
      },
    };
    const findings = evaluateRules({ Resources: { Q: res('AWS::SQS::Queue'), B: res('AWS::S3::Bucket') } }, [probe]);
    expect(calls).toEqual(['Q']);
    expect(findings).toEqual([{ source: 'rules', ruleId: 'probe', level: 'warning', logicalId: 'Q', type: 'AWS::SQS::Queue', message: 'probed', fix: 'Nothing to fix.' }]);
  });

  it('turns a rule that throws into a finding instead of failing the run', () => {
    const broken: Rule = {
      id: 'broken',
      level: 'error',
      explanation: 'A rule that throws.',
      fix: 'Fix the rule.',
      resourceTypes: ['AWS::SQS::Queue'],
      check() {
        throw new Error('boom');
      },
    };
    const findings = evaluateRules({ Resources: { Q: res('AWS::SQS::Queue') } }, [broken, ruleById('sqs-encryption')]);
    expect(findings.map((f) => f.ruleId)).toEqual(['broken', 'sqs-encryption']);
    expect(findings[0]?.message).toMatch(/boom/);
  });

  it('summarize counts unsuppressed errors and warnings and all suppressed findings', () => {
    const base = { source: 'rules' as const, ruleId: 'x', logicalId: 'L', type: 'T', message: 'm', fix: 'f' };
    expect(
      summarize([
        { ...base, level: 'error' },
        { ...base, level: 'error', suppressed: { reason: 'a good reason here' } },
        { ...base, level: 'warning' },
        { ...base, level: 'warning', suppressed: { reason: 'a good reason here' } },
        { ...base, level: 'warning' },
      ]),
    ).toEqual({ errors: 1, warnings: 2, suppressed: 2 });
  });
});
