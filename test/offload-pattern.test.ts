// The offload reference pattern: what its rendered template must hold (three
// zones, one shared file system, a load balancer only CloudFront can use,
// CloudFront caching only the update paths), that its parameters combine
// safely, that the rule pack passes it and would catch it being loosened, and
// that init / patterns / package handle it. Fragments are read from
// templates/ (the build's own YAML schema), so no build is needed for these,
// except for the CLI checks at the end, which read dist/ like the real CLI.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentHash } from '../src/actions/content-hash.js';
import { ArchctlError } from '../src/core/errors.js';
import { evaluateRules } from '../src/core/evaluate.js';
import { planPackage } from '../src/core/package-plan.js';
import { resolveParams } from '../src/core/params.js';
import { offload } from '../src/core/patterns/offload.js';
import { getPattern, patterns } from '../src/core/patterns/index.js';
import { render, type FragmentSource } from '../src/core/render.js';
import { rules } from '../src/core/rules/index.js';
import type { CfnResource, CfnTemplate, Json, JsonObject } from '../src/core/types.js';
import { runInProcess } from './support/in-process.js';

type CfnYamlModule = { parseCfnYaml(text: string, fileName?: string, baseDir?: string): JsonObject };
const { parseCfnYaml } = (await import(new URL('../scripts/cfn-yaml.mjs', import.meta.url).href)) as CfnYamlModule;

const loadFromSources: FragmentSource = (pattern, fragment) => {
  const file = new URL(`../templates/${pattern}/${fragment}.yaml`, import.meta.url);
  return parseCfnYaml(readFileSync(file, 'utf8'), file.pathname, new URL('..', import.meta.url).pathname);
};

function renderOffload(parameters: Record<string, unknown> = {}): CfnTemplate {
  return render(offload, resolveParams(offload.params, parameters, offload.name), loadFromSources, contentHash);
}

const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab';
const HTTPS = { certificateArn: CERTIFICATE, originDomainName: 'origin.example.com' };
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER = '216adef6-5c7f-47e4-b989-5492eafa07d3';
const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const ref = (id: string): JsonObject => ({ Ref: id });
const groupId = (id: string): JsonObject => ({ 'Fn::GetAtt': [id, 'GroupId'] });
const obj = (v: Json | undefined): JsonObject => v as JsonObject;
const props = (r: CfnResource | undefined): JsonObject => {
  if (!r) throw new Error('no such resource');
  return r.Properties ?? {};
};

function ofType(t: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
}

/** Fn::Select over Fn::Split of a literal, as CloudFormation evaluates it; anything else as it is. */
function literal(v: Json | undefined): Json | undefined {
  const select = (v as JsonObject | undefined)?.['Fn::Select'] as [number, JsonObject] | undefined;
  if (!select) return v;
  const [index, of] = select;
  const [sep, text] = of['Fn::Split'] as [string, string];
  return text.split(sep)[index];
}

/** Every ingress rule of a security group: inline ones and AWS::EC2::SecurityGroupIngress resources. */
function ingressOf(t: CfnTemplate, sg: string): JsonObject[] {
  const inline = (props(t.Resources[sg]).SecurityGroupIngress ?? []) as JsonObject[];
  const standalone = ofType(t, 'AWS::EC2::SecurityGroupIngress')
    .map(([, r]) => props(r))
    .filter((p) => JSON.stringify(p.GroupId) === JSON.stringify(groupId(sg)));
  return [...inline, ...standalone];
}

function unsuppressed(t: CfnTemplate) {
  return evaluateRules(t, rules).filter((f) => !f.suppressed);
}

describe('offload pattern: three zones sharing one file system', () => {
  const t = renderOffload();
  const groups = ofType(t, 'AWS::AutoScaling::AutoScalingGroup');

  it('has three auto scaling groups, each alone in the private subnet of a different zone', () => {
    expect(groups.map(([id]) => id)).toEqual(['AutoScalingGroupA', 'AutoScalingGroupB', 'AutoScalingGroupC']);
    const subnets = groups.map(([, g]) => props(g).VPCZoneIdentifier as JsonObject[]);
    for (const list of subnets) expect(list).toHaveLength(1);
    const ids = subnets.map((list) => list[0]!.Ref as string);
    expect(ids).toEqual(['PrivateSubnetA', 'PrivateSubnetB', 'PrivateSubnetC']);
    expect(ids.map((id) => props(t.Resources[id]).AvailabilityZone)).toEqual(
      [0, 1, 2].map((i) => ({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] })),
    );
    for (const id of ids) {
      // Private: no public addresses and a default route through NAT, not the internet gateway.
      expect(props(t.Resources[id]).MapPublicIpOnLaunch).toBe(false);
      const table = ofType(t, 'AWS::EC2::SubnetRouteTableAssociation').find(([, a]) => JSON.stringify(props(a).SubnetId) === JSON.stringify(ref(id)))!;
      const route = ofType(t, 'AWS::EC2::Route').find(([, r]) => JSON.stringify(props(r).RouteTableId) === JSON.stringify(props(table[1]).RouteTableId))!;
      expect(props(route[1]).NatGatewayId).toBeDefined();
      expect(props(route[1]).GatewayId).toBeUndefined();
    }
  });

  it('mounts the one EFS file system in every group, with a mount target in each of those three subnets', () => {
    expect(ofType(t, 'AWS::EFS::FileSystem').map(([id]) => id)).toEqual(['FileSystem']);
    const targets = ofType(t, 'AWS::EFS::MountTarget').map(([, m]) => props(m));
    expect(targets.map((m) => m.SubnetId)).toEqual([ref('PrivateSubnetA'), ref('PrivateSubnetB'), ref('PrivateSubnetC')]);
    for (const m of targets) expect(m.FileSystemId).toEqual(ref('FileSystem'));
    for (const [id, g] of groups) {
      const template = obj(props(g).LaunchTemplate).LaunchTemplateId as JsonObject;
      const data = obj(props(t.Resources[template.Ref as string]).LaunchTemplateData);
      const [script, vars] = obj(obj(data.UserData)['Fn::Base64'])['Fn::Sub'] as [string, JsonObject];
      expect(script).toContain("echo '${FileSystem}:/ /mnt/efs efs _netdev,noresvport,tls,iam 0 0' >> /etc/fstab");
      expect(script).toContain('root /mnt/efs;');
      expect(script).toContain('listen 80 default_server;');
      // Each instance signals its own group, which then counts as created only with a working server.
      expect(vars).toEqual({ SignalResource: id });
      expect(g.CreationPolicy).toEqual({ ResourceSignal: { Count: 1, Timeout: 'PT15M' } });
      expect(props(g).HealthCheckType).toBe('ELB');
      expect(props(g).TargetGroupARNs).toEqual([ref('TargetGroup')]);
      // IMDSv2 only, an encrypted root volume, the Amazon Linux 2023 image parameter.
      expect(data.MetadataOptions).toEqual({ HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
      expect((data.BlockDeviceMappings as JsonObject[]).map((b) => obj(b.Ebs).Encrypted)).toEqual([true]);
      expect(data.ImageId).toEqual(ref('LatestAmiId'));
    }
    // Zone by zone: B after A, C after B.
    expect(groups.map(([, g]) => (g.DependsOn as string[]).filter((d) => d.startsWith('AutoScalingGroup')))).toEqual([[], ['AutoScalingGroupA'], ['AutoScalingGroupB']]);
  });

  it('keeps the files: encrypted, backed up, retained, mountable only by the web servers over TLS', () => {
    const fs = t.Resources.FileSystem!;
    expect([fs.DeletionPolicy, fs.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    expect(props(fs)).toMatchObject({ Encrypted: true, BackupPolicy: { Status: 'ENABLED' } });
    expect(props(fs).LifecyclePolicies).toEqual([{ TransitionToIA: 'AFTER_30_DAYS' }, { TransitionToPrimaryStorageClass: 'AFTER_1_ACCESS' }]);
    const statements = obj(props(fs).FileSystemPolicy).Statement as JsonObject[];
    expect(statements.map((s) => [s.Effect, s.Principal])).toEqual([
      ['Allow', { AWS: { 'Fn::GetAtt': ['InstanceRole', 'Arn'] } }],
      ['Deny', { AWS: '*' }],
    ]);
    expect(statements[1]!.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
  });

  it('opens NFS only from the web servers, and the web servers only to the load balancer', () => {
    expect(ingressOf(t, 'EfsSecurityGroup')).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049, SourceSecurityGroupId: groupId('InstanceSecurityGroup') }),
    ]);
    expect(ingressOf(t, 'InstanceSecurityGroup')).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, SourceSecurityGroupId: groupId('LoadBalancerSecurityGroup') }),
    ]);
  });
});

describe('offload pattern: a load balancer only CloudFront can use', () => {
  const t = renderOffload();

  it("admits only CloudFront's origin-facing prefix list, on the listener's port, looked up per region", () => {
    const ingress = ingressOf(t, 'LoadBalancerSecurityGroup');
    expect(ingress).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 80,
        ToPort: 80,
        SourcePrefixListId: { 'Fn::FindInMap': ['CloudFrontOriginFacing', { Ref: 'AWS::Region' }, 'PrefixListId'] },
      }),
    ]);
    for (const rule of ingress) {
      expect(rule.CidrIp).toBeUndefined();
      expect(rule.CidrIpv6).toBeUndefined();
      expect(rule.SourceSecurityGroupId).toBeUndefined();
    }
    expect(props(t.Resources.LoadBalancer).SecurityGroups).toEqual([groupId('LoadBalancerSecurityGroup')]);
    const table = obj(obj(t.Mappings).CloudFrontOriginFacing);
    expect(Object.keys(table)).toHaveLength(16);
    expect(table['eu-west-1']).toEqual({ PrefixListId: 'pl-4fa04526' });
    for (const entry of Object.values(table)) expect(obj(entry).PrefixListId).toMatch(/^pl-[0-9a-f]{8}$/);
  });

  it('answers 403 by default and forwards only requests carrying the secret header that CloudFront sends', () => {
    const listeners = ofType(t, 'AWS::ElasticLoadBalancingV2::Listener');
    expect(listeners).toHaveLength(1);
    expect(props(listeners[0]![1]).DefaultActions).toEqual([
      { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '403', ContentType: 'text/plain', MessageBody: 'Forbidden' } },
    ]);
    const listenerRules = ofType(t, 'AWS::ElasticLoadBalancingV2::ListenerRule').map(([, r]) => props(r));
    expect(listenerRules).toHaveLength(1);
    const secret = { 'Fn::Sub': '{{resolve:secretsmanager:${OriginVerifySecret}:SecretString}}' };
    expect(listenerRules[0]).toEqual({
      ListenerArn: ref('Listener'),
      Priority: 1,
      Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Origin-Verify', Values: [secret] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: ref('TargetGroup') }],
    });
    const origins = obj(props(t.Resources.Distribution).DistributionConfig).Origins as JsonObject[];
    expect(origins).toHaveLength(1);
    expect(origins[0]!.OriginCustomHeaders).toEqual([{ HeaderName: 'X-Origin-Verify', HeaderValue: secret }]);
    expect(t.Resources.OriginVerifySecret?.Type).toBe('AWS::SecretsManager::Secret');
  });

  it('drops invalid headers and logs every request to the log bucket', () => {
    expect(props(t.Resources.LoadBalancer).LoadBalancerAttributes).toEqual([
      { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      { Key: 'access_logs.s3.enabled', Value: 'true' },
      { Key: 'access_logs.s3.bucket', Value: ref('LogBucket') },
      { Key: 'access_logs.s3.prefix', Value: 'alb' },
    ]);
    expect(props(t.Resources.LoadBalancer).Scheme).toBe('internet-facing');
  });

  it('with deletionProtection, turns the attribute on', () => {
    const attributes = props(renderOffload({ deletionProtection: true }).Resources.LoadBalancer).LoadBalancerAttributes as JsonObject[];
    expect(attributes).toContainEqual({ Key: 'deletion_protection.enabled', Value: 'true' });
  });

  it('with a prefix list id given, admits that one and drops the regional table', () => {
    const given = renderOffload({ cloudFrontPrefixListId: 'pl-0123abcd4567ef890' });
    expect(ingressOf(given, 'LoadBalancerSecurityGroup').map((r) => r.SourcePrefixListId)).toEqual(['pl-0123abcd4567ef890']);
    expect(given.Mappings).toBeUndefined();
  });
});

describe('offload pattern: CloudFront caches the update paths only', () => {
  it('passes everything else through uncached, with the viewer request as sent', () => {
    const config = obj(props(renderOffload().Resources.Distribution).DistributionConfig);
    expect(config.DefaultCacheBehavior).toEqual({
      TargetOriginId: 'app',
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'],
      CachedMethods: ['GET', 'HEAD'],
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER,
      Compress: true,
    });
    expect(config.Logging).toEqual({ Bucket: { 'Fn::GetAtt': ['LogBucket', 'RegionalDomainName'] }, Prefix: 'cloudfront/', IncludeCookies: false });
    expect(config.PriceClass).toBe('PriceClass_100');
  });

  it('caches each update path with the stack cache policy: ttlSeconds, keyed by path alone', () => {
    const t = renderOffload({ updatePaths: '/updates/*,/downloads/*,*.msi', ttlSeconds: 604800 });
    const behaviors = obj(props(t.Resources.Distribution).DistributionConfig).CacheBehaviors as JsonObject[];
    expect(behaviors.map((b) => literal(b.PathPattern))).toEqual(['/updates/*', '/downloads/*', '*.msi']);
    for (const b of behaviors) {
      expect(b).toMatchObject({
        TargetOriginId: 'app',
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        CachedMethods: ['GET', 'HEAD'],
        CachePolicyId: ref('UpdatesCachePolicy'),
      });
      expect(b.OriginRequestPolicyId).toBeUndefined();
    }
    const policy = obj(props(t.Resources.UpdatesCachePolicy).CachePolicyConfig);
    expect(policy).toMatchObject({ MinTTL: 0, DefaultTTL: 604800, MaxTTL: 31536000 });
    expect(policy.ParametersInCacheKeyAndForwardedToOrigin).toEqual({
      EnableAcceptEncodingGzip: false,
      EnableAcceptEncodingBrotli: false,
      HeadersConfig: { HeaderBehavior: 'none' },
      CookiesConfig: { CookieBehavior: 'none' },
      QueryStringsConfig: { QueryStringBehavior: 'none' },
    });
  });

  it('caches /updates/* by default, and holds up to five paths', () => {
    const one = obj(props(renderOffload().Resources.Distribution).DistributionConfig).CacheBehaviors as JsonObject[];
    expect(one.map((b) => literal(b.PathPattern))).toEqual(['/updates/*']);
    const five = '/a/*,/b/*,/c/*,/d/*,/e/*';
    const all = obj(props(renderOffload({ updatePaths: five }).Resources.Distribution).DistributionConfig).CacheBehaviors as JsonObject[];
    expect(all.map((b) => literal(b.PathPattern))).toEqual(five.split(','));
    expect(() => renderOffload({ updatePaths: `${five},/f/*` })).toThrow(/invalid value .* for updatePaths/);
  });
});

describe('offload pattern: origin protocol, NAT gateways, image', () => {
  it('without a certificate: HTTP on 80 end to end behind CloudFront, each exception suppressed with its reason', () => {
    const t = renderOffload();
    expect(props(t.Resources.Listener)).toMatchObject({ Port: 80, Protocol: 'HTTP' });
    const origin = (obj(props(t.Resources.Distribution).DistributionConfig).Origins as JsonObject[])[0]!;
    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': ['LoadBalancer', 'DNSName'] });
    expect(obj(origin.CustomOriginConfig).OriginProtocolPolicy).toBe('http-only');
    const suppressed = evaluateRules(t, rules).filter((f) => f.suppressed).map((f) => `${f.logicalId} ${f.ruleId}`);
    expect(new Set(suppressed)).toEqual(
      new Set([
        'InstanceRole iam-no-wildcard-resources',
        'LogBucket s3-access-logs',
        'Listener elb-https-listener',
        'Distribution cloudfront-geo-restriction',
        'Distribution cloudfront-origin-https',
        'Distribution cloudfront-waf',
      ]),
    );
  });

  it('with a certificate: HTTPS on 443 with TLS 1.2+, CloudFront checks the name it connects to', () => {
    const t = renderOffload({ ...HTTPS, originHostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    expect(props(t.Resources.Listener)).toMatchObject({
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: CERTIFICATE }],
    });
    expect(ingressOf(t, 'LoadBalancerSecurityGroup').map((r) => [r.FromPort, r.ToPort])).toEqual([[443, 443]]);
    const config = obj(props(t.Resources.Distribution).DistributionConfig);
    const origin = (config.Origins as JsonObject[])[0]!;
    expect(origin.DomainName).toBe('origin.example.com');
    expect(origin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', HTTPSPort: 443, OriginSSLProtocols: ['TLSv1.2'] });
    expect(obj(config.DefaultCacheBehavior).OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST);
    expect(props(t.Resources.OriginRecord)).toMatchObject({
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      Name: 'origin.example.com',
      AliasTarget: { DNSName: { 'Fn::GetAtt': ['LoadBalancer', 'DNSName'] } },
    });
    const suppressed = evaluateRules(t, rules).filter((f) => f.suppressed).map((f) => f.ruleId);
    expect(suppressed).not.toContain('elb-https-listener');
    expect(suppressed).not.toContain('cloudfront-origin-https');
    expect(renderOffload(HTTPS).Resources.OriginRecord).toBeUndefined();
  });

  it('shares one NAT gateway by default, and gives each zone its own with natGateways=3', () => {
    const routeTargets = (t: CfnTemplate) => ['A', 'B', 'C'].map((z) => props(t.Resources[`PrivateDefaultRoute${z}`]).NatGatewayId);
    const shared = renderOffload();
    expect(ofType(shared, 'AWS::EC2::NatGateway')).toHaveLength(1);
    expect(routeTargets(shared)).toEqual([ref('NatGatewayA'), ref('NatGatewayA'), ref('NatGatewayA')]);
    const perZone = renderOffload({ natGateways: 3 });
    const nats = ofType(perZone, 'AWS::EC2::NatGateway');
    expect(nats.map(([id, n]) => [id, props(n).SubnetId])).toEqual([
      ['NatGatewayA', ref('PublicSubnetA')],
      ['NatGatewayB', ref('PublicSubnetB')],
      ['NatGatewayC', ref('PublicSubnetC')],
    ]);
    expect(routeTargets(perZone)).toEqual([ref('NatGatewayA'), ref('NatGatewayB'), ref('NatGatewayC')]);
    expect(() => renderOffload({ natGateways: 2 })).toThrow(/natGateways/);
  });

  it('picks the Amazon Linux 2023 image for the instance architecture', () => {
    const ami = (instanceType: string) => renderOffload({ instanceType }).Parameters!.LatestAmiId!.Default;
    expect(ami('t3.small')).toBe('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64');
    expect(ami('c7i.large')).toBe('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64');
    expect(ami('g4dn.xlarge')).toBe('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64');
    for (const graviton of ['t4g.small', 'm7g.large', 'c7gn.xlarge', 'r8gd.large']) {
      expect(ami(graviton)).toBe('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64');
    }
    expect(renderOffload().Parameters!.LatestAmiId!.Type).toBe('AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>');
  });
});

describe('offload pattern: parameters that only make sense together', () => {
  const usage = (parameters: Record<string, unknown>): ArchctlError => {
    try {
      renderOffload(parameters);
    } catch (err) {
      if (err instanceof ArchctlError) return err;
      throw err;
    }
    throw new Error(`rendered without error: ${JSON.stringify(parameters)}`);
  };

  it('needs minPerAz <= desiredPerAz <= maxPerAz', () => {
    const err = usage({ desiredPerAz: 4 });
    expect(err.message).toBe('minPerAz (1) <= desiredPerAz (4) <= maxPerAz (3) does not hold');
    expect(err.exitCode).toBe(2);
    expect(usage({ minPerAz: 2 }).message).toContain('minPerAz (2) <= desiredPerAz (1)');
    const sized = renderOffload({ minPerAz: 2, desiredPerAz: 2, maxPerAz: 2 });
    expect(props(sized.Resources.AutoScalingGroupC)).toMatchObject({ MinSize: 2, DesiredCapacity: 2, MaxSize: 2 });
    expect(sized.Resources.AutoScalingGroupC!.CreationPolicy).toEqual({ ResourceSignal: { Count: 2, Timeout: 'PT15M' } });
  });

  it('needs certificateArn and originDomainName together, and a domain for the hosted zone', () => {
    expect(usage({ certificateArn: CERTIFICATE }).message).toMatch(/^certificateArn and originDomainName go together/);
    expect(usage({ originDomainName: 'origin.example.com' }).message).toMatch(/^certificateArn and originDomainName go together/);
    expect(usage({ originHostedZoneId: 'Z0123456789ABCDEFGHIJ' }).exitCode).toBe(2);
  });

  it('refuses an update path listed twice, and malformed values', () => {
    expect(usage({ updatePaths: '/updates/*,/updates/*' }).message).toContain('lists a path twice');
    expect(usage({ updatePaths: '/updates/*,' }).message).toContain('invalid value');
    expect(usage({ certificateArn: 'arn:aws:iam::123456789012:role/x', originDomainName: 'origin.example.com' }).message).toContain('certificateArn');
    expect(usage({ cloudFrontPrefixListId: 'sg-12345678' }).message).toContain('cloudFrontPrefixListId');
    expect(usage({ instanceType: 'T3 small' }).message).toContain('instanceType');
  });
});

describe('offload pattern: the rule pack', () => {
  const sets: [string, Record<string, unknown>][] = [
    ['defaults', {}],
    ['HTTPS, DNS record, 3 NAT gateways', { ...HTTPS, originHostedZoneId: 'Z0123456789ABCDEFGHIJ', natGateways: 3 }],
    ['5 paths, Graviton, prefix list id, deletion protection', { updatePaths: '/a/*,/b/*,/c/*,/d/*,*.zip', instanceType: 't4g.small', cloudFrontPrefixListId: 'pl-0123abcd', deletionProtection: true }],
  ];

  it.each(sets)('%s: no unsuppressed finding', (_name, parameters) => {
    expect(unsuppressed(renderOffload(parameters))).toEqual([]);
  });

  it('catches the load balancer opened beyond CloudFront', () => {
    const t = renderOffload();
    t.Resources.LoadBalancerSecurityGroup!.Properties!.SecurityGroupIngress = [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }];
    const ids = unsuppressed(t).map((f) => `${f.logicalId} ${f.ruleId}`);
    expect(ids).toContain('LoadBalancer alb-origin-lock-prefix-list');
    expect(ids).toContain('LoadBalancerSecurityGroup ec2-no-open-ingress');
  });

  it('catches a listener that serves requests without the secret header', () => {
    const t = renderOffload();
    t.Resources.Listener!.Properties!.DefaultActions = [{ Type: 'forward', TargetGroupArn: ref('TargetGroup') }];
    expect(unsuppressed(t).map((f) => `${f.logicalId} ${f.ruleId}`)).toEqual(['Listener alb-origin-lock-secret-header']);
  });

  it('catches CloudFront no longer sending the header the listener checks', () => {
    const t = renderOffload();
    const origin = (obj(t.Resources.Distribution!.Properties!.DistributionConfig).Origins as JsonObject[])[0]!;
    delete origin.OriginCustomHeaders;
    expect(unsuppressed(t).map((f) => `${f.logicalId} ${f.ruleId}`)).toEqual(['Listener alb-origin-lock-secret-header']);
  });
});

describe('offload pattern: registry and CLI', () => {
  const work = mkdtempSync(join(tmpdir(), 'archctl-offload-pattern-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is registered after todo', () => {
    expect(patterns.map((p) => p.name)).toEqual(['todo', 'offload']);
    expect(getPattern('offload')).toBe(offload);
  });

  it('has no Lambda function to package', () => {
    expect(planPackage(renderOffload(), 'offload')).toEqual({ functions: [], skipped: [] });
  });

  it('archctl init offload my-updates --region eu-west-1 writes the project', async () => {
    const r = await runInProcess(['init', 'offload', 'my-updates', '--region', 'eu-west-1', '--set', 'natGateways=3'], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.err).toContain('created my-updates/archctl.json: offload "my-updates" in eu-west-1');
    const config = JSON.parse(readFileSync(join(work, 'my-updates', 'archctl.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ pattern: 'offload', name: 'my-updates', region: 'eu-west-1', parameters: { natGateways: 3 } });
    const schema = readFileSync(join(work, 'my-updates', '.archctl', 'archctl.schema.json'), 'utf8');
    expect(schema).toContain('cloudFrontPrefixListId');
  });

  it('archctl patterns lists it with its parameters', async () => {
    const r = await runInProcess(['patterns', '--json']);
    expect(r.code).toBe(0);
    const listed = (JSON.parse(r.out) as { name: string; parameters: { name: string }[] }[]).find((p) => p.name === 'offload');
    expect(listed?.parameters.map((p) => p.name)).toEqual(offload.params.map((p) => p.name));
  });

  it('archctl package offload succeeds with zero functions', async () => {
    const out = join(work, 'build');
    const r = await runInProcess(['package', 'offload', '--out-dir', out], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toContain('offload: 0 functions packaged');
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toMatchObject({ pattern: 'offload', functions: [] });
  });
});
