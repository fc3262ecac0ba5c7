import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeManagedPrefixListsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateRuleCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyLockPlan, CLOUDFRONT_PREFIX_LIST, findOriginFacingPrefixList, planOriginLock, readOriginSecret } from '../../src/aws/lock-origin.js';
import { formatLockPlan, planLockOrigin, SECRET_NOT_READ, type IngressRule, type LockOriginInput } from '../../src/core/offload/lock-plan.js';
import { ORIGIN_HEADER } from '../../src/core/offload/options.js';
import { awsError, testSession } from '../support/aws.js';

const ec2 = mockClient(EC2Client);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const secrets = mockClient(SecretsManagerClient);

const LB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/updates-alb/50dc6c495c0c9188';
const LISTENER_443 = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/updates-alb/50dc6c495c0c9188/f2f7dc8efc522ab2';
const LISTENER_80 = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/updates-alb/50dc6c495c0c9188/0467ef3c8400ae65';
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/updates-app/73e2d6bc24d8a067';
const PL = 'pl-4fa04526';
const SECRET = 'k3yFr0mS3cretsManag3rAbCdEfGh12';
const forward = [{ Type: 'forward' as const, TargetGroupArn: TG }];
const redirect = [{ Type: 'redirect' as const, RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' as const } }];

const rule = (r: Partial<IngressRule> & Pick<IngressRule, 'protocol'>): IngressRule => ({ cidrs: [], ipv6Cidrs: [], prefixListIds: [], groupIds: [], ...r });
const OPEN_443 = rule({ protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'], ipv6Cidrs: ['::/0'] });
const SSH = rule({ protocol: 'tcp', fromPort: 22, toPort: 22, cidrs: ['203.0.113.0/24'] });

const input = (extra: Partial<LockOriginInput> = {}): LockOriginInput => ({
  loadBalancerArn: LB_ARN,
  securityGroups: [{ id: 'sg-0aaa', ingress: [OPEN_443, SSH] }],
  listener: { arn: LISTENER_443, port: 443, protocol: 'HTTPS', defaultActions: forward },
  rules: [],
  prefixListId: PL,
  prefixListMaxEntries: 55,
  headerName: ORIGIN_HEADER,
  headerValue: SECRET,
  ...extra,
});

const operations = (plan: { steps: { apiCall: { operation: string } }[] }) => plan.steps.map((s) => s.apiCall.operation);
const headerCondition = (value: string) => ({ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: ORIGIN_HEADER, Values: [value] } });
const FORBIDDEN = { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '403', ContentType: 'text/plain', MessageBody: 'Forbidden' } };

beforeEach(() => {
  ec2.reset();
  elbv2.reset();
  secrets.reset();
});

describe('planLockOrigin (pure)', () => {
  it('an SG open to the world on 443 plus SSH: allow CloudFront, header rule, revoke only the 443 CIDR rule, default 403', () => {
    // GIVEN the listener port open to 0.0.0.0/0 and ::/0, and SSH from an office range
    // WHEN the lock is planned
    const plan = planLockOrigin(input());
    // THEN CloudFront gets in first, then the open rule goes, then everything else gets 403
    expect(operations(plan)).toEqual([
      'EC2:AuthorizeSecurityGroupIngress',
      'ElasticLoadBalancing:CreateRule',
      'EC2:RevokeSecurityGroupIngress',
      'ElasticLoadBalancing:ModifyListener',
    ]);
    expect(plan.steps[0]!.apiCall.input).toEqual({
      GroupId: 'sg-0aaa',
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: PL, Description: 'CloudFront origin-facing (archctl offload)' }] }],
    });
    expect(plan.steps[1]!.apiCall.input).toEqual({ ListenerArn: LISTENER_443, Priority: 1, Conditions: [headerCondition(SECRET)], Actions: forward });
    // only the listener-port CIDR rule is revoked: SSH stays
    expect(plan.steps[2]!.apiCall.input).toEqual({
      GroupId: 'sg-0aaa',
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
    });
    expect(JSON.stringify(plan.steps)).not.toContain('203.0.113.0/24');
    expect(plan.steps[3]!.apiCall.input).toEqual({ ListenerArn: LISTENER_443, DefaultActions: [FORBIDDEN] });
    expect(plan.steps.map((s) => s.description)).toEqual([
      `allow tcp 443 on sg-0aaa from CloudFront's origin-facing prefix list ${PL}`,
      `add rule 1 to listener HTTPS:443: requests with ${ORIGIN_HEADER}: <secret> get today's default action (forward to targetgroup/updates-app/73e2d6bc24d8a067)`,
      'revoke tcp 443 from 0.0.0.0/0, ::/0 on sg-0aaa',
      'make listener HTTPS:443 answer every other request 403 Forbidden (today: forward to targetgroup/updates-app/73e2d6bc24d8a067)',
    ]);
    expect(plan.applicable).toBe(true);
  });

  it('says the prefix list counts against the security group rules quota', () => {
    const plan = planLockOrigin(input());
    expect(plan.notes).toContain('the prefix list counts as 55 rules against the inbound-rule quota of sg-0aaa (60 by default): with its 2 current rules that makes 57');
  });

  it('warns when the prefix list would go past the default quota', () => {
    const many = rule({ protocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: Array.from({ length: 10 }, (_, i) => `10.0.${i}.0/24`) });
    const plan = planLockOrigin(input({ securityGroups: [{ id: 'sg-0aaa', ingress: [OPEN_443, SSH, many] }] }));
    expect(plan.notes.find((n) => n.startsWith('the prefix list counts'))).toContain('makes 67, above the default quota');
  });

  it('a wider CIDR rule is revoked and its other ports kept open', () => {
    const wide = rule({ protocol: 'tcp', fromPort: 0, toPort: 65535, cidrs: ['0.0.0.0/0'] });
    const plan = planLockOrigin(input({ securityGroups: [{ id: 'sg-0aaa', ingress: [wide] }] }));
    expect(operations(plan)).toEqual([
      'EC2:AuthorizeSecurityGroupIngress',
      'EC2:AuthorizeSecurityGroupIngress',
      'EC2:AuthorizeSecurityGroupIngress',
      'ElasticLoadBalancing:CreateRule',
      'EC2:RevokeSecurityGroupIngress',
      'ElasticLoadBalancing:ModifyListener',
    ]);
    const kept = plan.steps.slice(1, 3).map((s) => (s.apiCall.input as { IpPermissions: { FromPort: number; ToPort: number }[] }).IpPermissions[0]);
    expect(kept).toMatchObject([
      { IpProtocol: 'tcp', FromPort: 0, ToPort: 442, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      { IpProtocol: 'tcp', FromPort: 444, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    ]);
    expect(plan.steps[4]!.apiCall.input).toEqual({ GroupId: 'sg-0aaa', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
  });

  it('an all-traffic CIDR rule is revoked, its TCP ports kept, and the loss of other protocols said', () => {
    const all = rule({ protocol: '-1', cidrs: ['10.0.0.0/16'] });
    const plan = planLockOrigin(input({ securityGroups: [{ id: 'sg-0aaa', ingress: [all] }] }));
    const revoke = plan.steps.find((s) => s.apiCall.operation === 'EC2:RevokeSecurityGroupIngress')!;
    expect(revoke.apiCall.input).toEqual({ GroupId: 'sg-0aaa', IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '10.0.0.0/16' }] }] });
    expect(revoke.description).toBe('revoke all traffic from 10.0.0.0/16 on sg-0aaa');
    expect(plan.notes.some((n) => n.includes('other protocols from there are no longer admitted'))).toBe(true);
  });

  it('leaves rules on other ports, other security groups and prefix lists alone; revokes CIDRs in every group', () => {
    const fromAlbSg = rule({ protocol: 'tcp', fromPort: 443, toPort: 443, groupIds: ['sg-0bastion'] });
    const office = rule({ protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['198.51.100.0/24'] });
    const plan = planLockOrigin(input({ securityGroups: [{ id: 'sg-0aaa', ingress: [SSH, fromAlbSg] }, { id: 'sg-0bbb', ingress: [office] }] }));
    // the prefix list goes to the group whose open rule it replaces
    expect(plan.steps[0]!.apiCall.input).toMatchObject({ GroupId: 'sg-0bbb' });
    const revokes = plan.steps.filter((s) => s.apiCall.operation === 'EC2:RevokeSecurityGroupIngress');
    expect(revokes.map((s) => s.description)).toEqual(['revoke tcp 443 from 198.51.100.0/24 on sg-0bbb']);
  });

  it('a listener with path rules: they learn the header, and the pass-through rule comes after them', () => {
    const pathRule = {
      arn: 'arn:rule/api',
      priority: 10,
      conditions: [{ Field: 'path-pattern', Values: ['/api/*'], PathPatternConfig: { Values: ['/api/*'] } }],
    };
    const plan = planLockOrigin(input({ rules: [pathRule, { arn: 'arn:rule/old', priority: 20, conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['old.example.com'] } }] }] }));
    expect(operations(plan)).toEqual([
      'EC2:AuthorizeSecurityGroupIngress',
      'ElasticLoadBalancing:CreateRule',
      'ElasticLoadBalancing:ModifyRule',
      'ElasticLoadBalancing:ModifyRule',
      'EC2:RevokeSecurityGroupIngress',
      'ElasticLoadBalancing:ModifyListener',
    ]);
    expect(plan.steps[1]!.apiCall.input).toMatchObject({ Priority: 21 });
    // the legacy Values are dropped: ELB refuses a condition with both
    expect(plan.steps[2]!.apiCall.input).toEqual({ RuleArn: 'arn:rule/api', Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }, headerCondition(SECRET)] });
  });

  it('a rule with no room for one more condition value is an error with the fix', () => {
    const full = { arn: 'arn:rule/full', priority: 5, conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com', 'e.example.com'] } }] };
    expect(() => planLockOrigin(input({ rules: [full] }))).toThrow(/rule 5 would need 6 condition values/);
  });

  it('a rerun on a locked origin plans nothing', () => {
    const locked = planLockOrigin(
      input({
        securityGroups: [{ id: 'sg-0aaa', ingress: [rule({ protocol: 'tcp', fromPort: 443, toPort: 443, prefixListIds: [PL] }), SSH] }],
        listener: { arn: LISTENER_443, port: 443, protocol: 'HTTPS', defaultActions: [FORBIDDEN as never] },
        rules: [{ arn: 'arn:rule/pass', priority: 1, conditions: [headerCondition(SECRET)] }],
      }),
    );
    expect(locked.steps).toEqual([]);
    expect(locked.notes).toEqual(['the origin is already locked to CloudFront: nothing to change']);
    expect(formatLockPlan(locked)).toBe('Lock the origin updates-alb to CloudFront: no change\nNotes:\n  - the origin is already locked to CloudFront: nothing to change');
  });

  it('a new secret on a locked origin plans only the rule update', () => {
    const plan = planLockOrigin(
      input({
        securityGroups: [{ id: 'sg-0aaa', ingress: [rule({ protocol: 'tcp', fromPort: 443, toPort: 443, prefixListIds: [PL] })] }],
        listener: { arn: LISTENER_443, port: 443, protocol: 'HTTPS', defaultActions: [FORBIDDEN as never] },
        rules: [{ arn: 'arn:rule/pass', priority: 1, conditions: [headerCondition('the-old-secret-value-000')] }],
      }),
    );
    expect(plan.steps).toEqual([
      {
        description: `set rule 1 of listener HTTPS:443 to the current ${ORIGIN_HEADER} secret`,
        apiCall: { operation: 'ElasticLoadBalancing:ModifyRule', input: { RuleArn: 'arn:rule/pass', Conditions: [headerCondition(SECRET)] } },
      },
    ]);
  });

  it('a listener already answering 403 without a header rule is an error: the forward target is unknown', () => {
    expect(() => planLockOrigin(input({ listener: { arn: LISTENER_443, port: 443, protocol: 'HTTPS', defaultActions: [FORBIDDEN as never] } }))).toThrow(
      /already answers 403 by default and has no rule that checks X-Origin-Verify/,
    );
  });

  it('without security groups or a default action: errors with the fix', () => {
    expect(() => planLockOrigin(input({ securityGroups: [] }))).toThrow(/has no security group to restrict/);
    expect(() => planLockOrigin(input({ listener: { arn: LISTENER_443, port: 443, protocol: 'HTTPS', defaultActions: [] } }))).toThrow(/has no default action/);
  });

  it('notes a plain HTTP listener and another listener that forwards around the lock', () => {
    const plan = planLockOrigin(
      input({
        listener: { arn: LISTENER_80, port: 80, protocol: 'HTTP', defaultActions: forward },
        securityGroups: [{ id: 'sg-0aaa', ingress: [rule({ protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['0.0.0.0/0'] })] }],
        otherListeners: [
          { arn: 'arn:l/8080', port: 8080, protocol: 'HTTP', defaultActions: forward },
          { arn: 'arn:l/81', port: 81, protocol: 'HTTP', defaultActions: redirect },
        ],
      }),
    );
    expect(plan.notes.some((n) => n.startsWith('listener HTTP:80 is plain HTTP: the secret header crosses the network unencrypted'))).toBe(true);
    expect(plan.notes.filter((n) => n.includes('is not locked')).map((n) => n.split(' forwards')[0])).toEqual(['listener HTTP:8080']);
  });

  it('a dry run without the secret shows the plan, cannot be applied, and never prints a value', async () => {
    const plan = planLockOrigin(input({ headerValue: undefined }));
    expect(plan.applicable).toBe(false);
    expect(plan.steps[1]!.apiCall.input).toMatchObject({ Conditions: [headerCondition(SECRET_NOT_READ)] });
    expect(plan.notes.at(-1)).toContain('applied once that stack exists');
    await expect(applyLockPlan(testSession(), plan)).rejects.toMatchObject({ message: expect.stringContaining('cannot be applied') });
    expect(ec2.calls()).toHaveLength(0);
    expect(elbv2.calls()).toHaveLength(0);
  });

  it('formatLockPlan: numbered steps and notes, never the secret', () => {
    const text = formatLockPlan(planLockOrigin(input()));
    expect(text.split('\n').slice(0, 5)).toEqual([
      'Lock the origin updates-alb to CloudFront (4 changes, in this order):',
      `  1. allow tcp 443 on sg-0aaa from CloudFront's origin-facing prefix list ${PL}`,
      `  2. add rule 1 to listener HTTPS:443: requests with ${ORIGIN_HEADER}: <secret> get today's default action (forward to targetgroup/updates-app/73e2d6bc24d8a067)`,
      '  3. revoke tcp 443 from 0.0.0.0/0, ::/0 on sg-0aaa',
      '  4. make listener HTTPS:443 answer every other request 403 Forbidden (today: forward to targetgroup/updates-app/73e2d6bc24d8a067)',
    ]);
    expect(text).toContain('Notes:\n  - the prefix list counts as 55 rules');
    expect(text).not.toContain(SECRET);
  });
});

describe('findOriginFacingPrefixList', () => {
  it("finds CloudFront's list by name", async () => {
    ec2.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [{ PrefixListId: PL, PrefixListName: CLOUDFRONT_PREFIX_LIST, MaxEntries: 55 }] });
    expect(await findOriginFacingPrefixList(testSession())).toEqual({ id: PL, maxEntries: 55 });
    expect(ec2.commandCalls(DescribeManagedPrefixListsCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.global.cloudfront.origin-facing'] }],
    });
  });

  it('not found: one line naming the region, with the fix', async () => {
    ec2.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [] });
    const err = await findOriginFacingPrefixList(testSession('ap-southeast-7')).catch((e: Error & { fix: string }) => e);
    expect(err).toMatchObject({ message: "CloudFront's origin-facing prefix list (com.amazonaws.global.cloudfront.origin-facing) is not available in ap-southeast-7" });
    expect((err as { fix: string }).fix).toContain('aws ec2 describe-managed-prefix-lists --region ap-southeast-7');
  });
});

describe('planOriginLock + applyLockPlan on mocked EC2 and ELBv2', () => {
  const origin = { kind: 'load-balancer', loadBalancerArn: LB_ARN, securityGroupIds: ['sg-0aaa'], listenerArns: [LISTENER_443, LISTENER_80] };

  function givenOpenAlb() {
    elbv2.on(DescribeListenersCommand).resolves({
      Listeners: [
        { ListenerArn: LISTENER_80, Port: 80, Protocol: 'HTTP', DefaultActions: redirect },
        { ListenerArn: LISTENER_443, Port: 443, Protocol: 'HTTPS', DefaultActions: forward },
      ],
    });
    elbv2.on(DescribeRulesCommand).resolves({ Rules: [{ RuleArn: 'arn:rule/default', Priority: 'default', IsDefault: true, Conditions: [], Actions: forward }] });
    ec2.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [{ PrefixListId: PL, PrefixListName: CLOUDFRONT_PREFIX_LIST, MaxEntries: 55 }] });
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: 'sg-0aaa',
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
            { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
            { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24' }] },
          ],
        },
      ],
    });
  }

  it('reads the origin and plans from what it read', async () => {
    givenOpenAlb();
    const s = testSession();
    const plan = await planOriginLock(s, origin, { name: ORIGIN_HEADER, value: SECRET });
    expect(s.calls).toEqual([
      'ElasticLoadBalancing:DescribeListeners',
      'EC2:DescribeManagedPrefixLists',
      'EC2:DescribeSecurityGroups',
      'ElasticLoadBalancing:DescribeRules',
    ]);
    expect(elbv2.commandCalls(DescribeRulesCommand)[0]!.args[0].input).toEqual({ ListenerArn: LISTENER_443 });
    expect(plan.steps.map((st) => st.description)).toEqual([
      `allow tcp 443 on sg-0aaa from CloudFront's origin-facing prefix list ${PL}`,
      `add rule 1 to listener HTTPS:443: requests with ${ORIGIN_HEADER}: <secret> get today's default action (forward to targetgroup/updates-app/73e2d6bc24d8a067)`,
      'revoke tcp 443 from 0.0.0.0/0, ::/0 on sg-0aaa',
      'make listener HTTPS:443 answer every other request 403 Forbidden (today: forward to targetgroup/updates-app/73e2d6bc24d8a067)',
    ]);
    // the port 80 listener only redirects: no note about it
    expect(plan.notes.some((n) => n.includes('is not locked'))).toBe(false);
  });

  it('applies in an order that never locks CloudFront out, whatever order the steps come in', async () => {
    givenOpenAlb();
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
    elbv2.on(CreateRuleCommand).resolves({});
    elbv2.on(ModifyListenerCommand).resolves({});
    const s = testSession();
    const plan = await planOriginLock(s, origin, { name: ORIGIN_HEADER, value: SECRET });
    s.calls.length = 0;
    const seen: string[] = [];
    // GIVEN the steps in the worst order (as a hand-edited plan could be)
    await applyLockPlan(s, { ...plan, steps: [...plan.steps].reverse() }, (step, i, total) => seen.push(`${i + 1}/${total} ${step.apiCall.operation}`));
    // THEN CloudFront is let in before anything is closed
    expect(s.calls).toEqual([
      'EC2:AuthorizeSecurityGroupIngress',
      'ElasticLoadBalancing:CreateRule',
      'EC2:RevokeSecurityGroupIngress',
      'ElasticLoadBalancing:ModifyListener',
    ]);
    expect(seen[0]).toBe('1/4 EC2:AuthorizeSecurityGroupIngress');
    expect(elbv2.commandCalls(CreateRuleCommand)[0]!.args[0].input).toEqual({ ListenerArn: LISTENER_443, Priority: 1, Conditions: [headerCondition(SECRET)], Actions: forward });
    expect(elbv2.commandCalls(ModifyListenerCommand)[0]!.args[0].input).toEqual({ ListenerArn: LISTENER_443, DefaultActions: [FORBIDDEN] });
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]!.args[0].input).toEqual({
      GroupId: 'sg-0aaa',
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
    });
    // port 80 (the redirect) and SSH are left alone
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
  });

  it('stops at the first failure, before anything is closed', async () => {
    givenOpenAlb();
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    elbv2.on(CreateRuleCommand).rejects(awsError('PriorityInUse', 'Priority 1 is currently in use'));
    const s = testSession();
    const plan = await planOriginLock(s, origin, { name: ORIGIN_HEADER, value: SECRET });
    await expect(applyLockPlan(s, plan)).rejects.toMatchObject({ message: 'ElasticLoadBalancing:CreateRule failed: PriorityInUse: Priority 1 is currently in use' });
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    expect(elbv2.commandCalls(ModifyListenerCommand)).toHaveLength(0);
  });

  it('a rerun after a partial apply: a rule already authorized or already revoked is not an error', async () => {
    givenOpenAlb();
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejects(awsError('InvalidPermission.Duplicate', 'the specified rule already exists'));
    ec2.on(RevokeSecurityGroupIngressCommand).rejects(awsError('InvalidPermission.NotFound', 'the specified rule does not exist'));
    elbv2.on(CreateRuleCommand).resolves({});
    elbv2.on(ModifyListenerCommand).resolves({});
    const s = testSession();
    await applyLockPlan(s, await planOriginLock(s, origin, { name: ORIGIN_HEADER, value: SECRET }));
    expect(elbv2.commandCalls(ModifyListenerCommand)).toHaveLength(1);
  });

  it('a load balancer without security groups: an error, and no account-wide DescribeSecurityGroups', async () => {
    givenOpenAlb();
    await expect(planOriginLock(testSession(), { ...origin, securityGroupIds: [] }, { name: ORIGIN_HEADER, value: SECRET })).rejects.toMatchObject({
      message: `the load balancer ${LB_ARN} has no security group to restrict`,
    });
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(0);
  });

  it('an origin that is not a load balancer is a usage error before any call', async () => {
    const s = testSession();
    await expect(planOriginLock(s, { kind: 'instance' }, { name: ORIGIN_HEADER })).rejects.toMatchObject({
      exitCode: 2,
      message: '--lock-origin needs a load balancer origin (this origin is an instance)',
    });
    expect(s.calls).toEqual([]);
  });
});

describe('readOriginSecret', () => {
  const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:updates-offload-origin-AbCdEf';

  it('a plain secret string', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: SECRET });
    expect(await readOriginSecret(testSession(), ARN)).toBe(SECRET);
  });

  it('a JSON secret is refused, not unwrapped: CloudFront sends the whole SecretString, so the rule must match it', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ value: SECRET }) });
    await expect(readOriginSecret(testSession(), ARN)).rejects.toMatchObject({ message: expect.stringContaining('is not usable as a header value') });
  });

  it('a missing secret: one line with the fix', async () => {
    secrets.on(GetSecretValueCommand).rejects(awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret."));
    await expect(readOriginSecret(testSession(), ARN)).rejects.toMatchObject({ message: `the origin secret ${ARN} does not exist in eu-west-1`, fix: expect.stringContaining('--lock-origin') });
  });

  it('a value a rule would read as a wildcard is refused', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'abcdefghijklmnop*qrstuvwx' });
    await expect(readOriginSecret(testSession(), ARN)).rejects.toMatchObject({ fix: expect.stringContaining('ExcludePunctuation') });
  });
});
