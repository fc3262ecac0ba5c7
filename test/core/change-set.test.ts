import { describe, expect, it } from 'vitest';
import {
  formatChanges,
  isStateful,
  permissionWidening,
  plainPaint,
  readable,
  type ResourceChange,
  STATEFUL_TYPES,
  stableJson,
  statefulRemovals,
  statefulReplacements,
  summarizeChanges,
  type Paint,
  type Widening,
} from '../../src/core/change-set.js';
import type { CfnResource, CfnTemplate, Json, JsonObject } from '../../src/core/types.js';

const template = (resources: Record<string, CfnResource>): CfnTemplate => ({ Resources: resources });
const statement = (s: JsonObject): JsonObject => ({ Effect: 'Allow', ...s });
const role = (statements: JsonObject[], extra: JsonObject = {}): CfnResource => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: { Statement: [statement({ Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' })] },
    Policies: [{ PolicyName: 'data', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
    ...extra,
  },
});
const tableArn: Json = { 'Fn::GetAtt': ['TodoTable', 'Arn'] };
const summaries = (ws: Widening[]): string[] => ws.map((w) => w.summary);
const change = (c: Partial<ResourceChange> & Pick<ResourceChange, 'action' | 'logicalId' | 'resourceType'>): ResourceChange => ({ details: [], ...c });

describe('STATEFUL_TYPES / isStateful', () => {
  it('GIVEN the data-holding types SECURITY.md names THEN every one is stateful', () => {
    const required = [
      'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket', 'AWS::Cognito::UserPool', 'AWS::Cognito::IdentityPool',
      'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::ServerlessCache', 'AWS::DAX::Cluster',
      'AWS::CloudFront::Distribution', 'AWS::EFS::FileSystem', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::Kinesis::Stream',
      'AWS::SQS::Queue', 'AWS::SecretsManager::Secret', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::OpenSearchService::Domain',
    ];
    for (const type of required) {
      expect(STATEFUL_TYPES.has(type), type).toBe(true);
      expect(isStateful(type), type).toBe(true);
    }
  });

  it('GIVEN compute and wiring types THEN they are not stateful', () => {
    for (const type of ['AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::ApiGateway::RestApi', 'AWS::EC2::SecurityGroup', 'aws::s3::bucket']) {
      expect(isStateful(type), type).toBe(false);
    }
  });
});

describe('statefulReplacements / statefulRemovals', () => {
  const changes: ResourceChange[] = [
    change({ action: 'Modify', logicalId: 'Bucket', resourceType: 'AWS::S3::Bucket', replacement: 'True' }),
    change({ action: 'Modify', logicalId: 'Table', resourceType: 'AWS::DynamoDB::Table', replacement: 'Conditional' }),
    change({ action: 'Modify', logicalId: 'Pool', resourceType: 'AWS::Cognito::UserPool', replacement: 'False' }),
    change({ action: 'Modify', logicalId: 'Fn', resourceType: 'AWS::Lambda::Function', replacement: 'True' }),
    change({ action: 'Modify', logicalId: 'Api', resourceType: 'AWS::ApiGateway::RestApi', replacement: 'Conditional' }),
    change({ action: 'Remove', logicalId: 'OldQueue', resourceType: 'AWS::SQS::Queue' }),
    change({ action: 'Remove', logicalId: 'OldFn', resourceType: 'AWS::Lambda::Function' }),
    change({ action: 'Add', logicalId: 'NewTable', resourceType: 'AWS::DynamoDB::Table' }),
  ];

  it('GIVEN Replacement True and Conditional on stateful types THEN both are refused; False and stateless types are not', () => {
    // WHEN
    const ids = statefulReplacements(changes).map((c) => c.logicalId);
    // THEN
    expect(ids).toEqual(['Bucket', 'Table']);
  });

  it('GIVEN removals THEN only the stateful ones are listed (adding a table is no removal)', () => {
    expect(statefulRemovals(changes).map((c) => c.logicalId)).toEqual(['OldQueue']);
  });

  it('GIVEN no changes THEN nothing is refused', () => {
    expect(statefulReplacements([])).toEqual([]);
    expect(statefulRemovals([])).toEqual([]);
  });
});

describe('readable / stableJson', () => {
  it('GIVEN intrinsic functions THEN they read as in YAML', () => {
    expect(readable({ Ref: 'TodoTable' })).toBe('!Ref TodoTable');
    expect(readable(tableArn)).toBe('!GetAtt TodoTable.Arn');
    expect(readable({ 'Fn::GetAtt': 'TodoTable.Arn' })).toBe('!GetAtt TodoTable.Arn');
    expect(readable({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/*' })).toBe('!Sub arn:${AWS::Partition}:s3:::${Bucket}/*');
    expect(readable({ 'Fn::Sub': ['${Arn}/index/*', { Arn: tableArn }] })).toBe('!Sub ${Arn}/index/*');
    expect(readable({ 'Fn::Join': ['', ['arn:aws:s3:::', { Ref: 'Bucket' }, '/*']] })).toBe('!Join arn:aws:s3:::${Bucket}/*');
    expect(readable({ 'Fn::If': ['IsProd', 'a', { Ref: 'AWS::NoValue' }] })).toBe('!If IsProd (a | !Ref AWS::NoValue)');
    expect(readable({ 'Fn::ImportValue': 'shared-vpc' })).toBe('!ImportValue shared-vpc');
    expect(readable({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] })).toBe('!Select [0,{"Fn::GetAZs":""}]');
  });

  it('GIVEN plain values THEN strings stay, lists are joined and objects are stable JSON', () => {
    expect(readable('s3:GetObject')).toBe('s3:GetObject');
    expect(readable(443)).toBe('443');
    expect(readable(['a', { Ref: 'B' }])).toBe('a, !Ref B');
    expect(readable({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(readable(undefined)).toBe('(none)');
  });

  it('GIVEN the same object with keys in another order THEN the stable JSON is equal', () => {
    expect(stableJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe(stableJson({ a: null, b: [1, { c: 2, d: 1 }] }));
    expect(stableJson({ a: 1 })).not.toBe(stableJson({ a: '1' }));
  });
});

describe('permissionWidening: IAM', () => {
  const base = [statement({ Action: 'dynamodb:GetItem', Resource: tableArn })];

  it('GIVEN an unchanged role THEN nothing is widened', () => {
    const t = template({ Role: role(base) });
    expect(permissionWidening(t, structuredClone(t))).toEqual([]);
  });

  it('GIVEN the same statement with keys reordered and moved to another inline policy THEN nothing is widened', () => {
    const old = template({ Role: role(base) });
    const moved = role([], { Policies: [{ PolicyName: 'other', PolicyDocument: { Statement: [{ Resource: tableArn, Action: ['dynamodb:GetItem'], Effect: 'Allow' }] } }] });
    expect(permissionWidening(old, template({ Role: moved }))).toEqual([]);
  });

  it('GIVEN an added statement with a single Action string and Resource string THEN it is reported', () => {
    // GIVEN
    const old = template({ Role: role(base) });
    const next = template({ Role: role([...base, statement({ Action: 'dynamodb:PutItem', Resource: tableArn })]) });
    // WHEN / THEN
    expect(permissionWidening(old, next)).toEqual([{ logicalId: 'Role', kind: 'iam', summary: 'allows dynamodb:PutItem on !GetAtt TodoTable.Arn' }]);
  });

  it('GIVEN an added statement with Action and Resource arrays THEN each action/resource pair is reported', () => {
    const indexArn = { 'Fn::Sub': '${TodoTable.Arn}/index/*' };
    const next = template({ Role: role([...base, statement({ Action: ['dynamodb:Query', 'dynamodb:Scan'], Resource: [tableArn, indexArn] })]) });
    expect(summaries(permissionWidening(template({ Role: role(base) }), next))).toEqual([
      'allows dynamodb:Query on !GetAtt TodoTable.Arn',
      'allows dynamodb:Query on !Sub ${TodoTable.Arn}/index/*',
      'allows dynamodb:Scan on !GetAtt TodoTable.Arn',
      'allows dynamodb:Scan on !Sub ${TodoTable.Arn}/index/*',
    ]);
  });

  it('GIVEN an action added to an existing statement THEN only the new action is reported', () => {
    const next = template({ Role: role([statement({ Action: ['dynamodb:GetItem', 'dynamodb:DeleteItem'], Resource: tableArn })]) });
    expect(summaries(permissionWidening(template({ Role: role(base) }), next))).toEqual(['allows dynamodb:DeleteItem on !GetAtt TodoTable.Arn']);
  });

  it('GIVEN a Resource narrowed (a list shortened, a wildcard made specific, a condition added) THEN it is no widening', () => {
    const wide = statement({ Action: 's3:GetObject', Resource: ['arn:aws:s3:::files/*', 'arn:aws:s3:::logs/*'] });
    const narrowed = [
      statement({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::files/*' }),
      statement({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/app/*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
    ];
    expect(permissionWidening(template({ Role: role([wide]) }), template({ Role: role(narrowed) }))).toEqual([]);
  });

  it('GIVEN a Resource broadened THEN it is reported', () => {
    const old = template({ Role: role([statement({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::files/uploads/*' })]) });
    const next = template({ Role: role([statement({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::files/*' })]) });
    expect(summaries(permissionWidening(old, next))).toEqual(['allows s3:GetObject on arn:aws:s3:::files/*']);
  });

  it('GIVEN Sub resources THEN a sub-path of an old wildcard is covered and the parent is not', () => {
    const old = template({ Role: role([statement({ Action: 's3:GetObject', Resource: { 'Fn::Sub': '${Bucket.Arn}/*' } })]) });
    const narrower = template({ Role: role([statement({ Action: 's3:GetObject', Resource: { 'Fn::Sub': '${Bucket.Arn}/public/*' } })]) });
    const other = template({ Role: role([statement({ Action: 's3:GetObject', Resource: { 'Fn::GetAtt': ['Bucket', 'Arn'] } })]) });
    expect(permissionWidening(old, narrower)).toEqual([]);
    expect(summaries(permissionWidening(old, other))).toEqual(['allows s3:GetObject on !GetAtt Bucket.Arn']);
  });

  it('GIVEN an old `?` wildcard THEN it covers one character but not a new `*` in that place', () => {
    const grant = (resource: string): CfnTemplate => template({ Role: role([statement({ Action: 's3:GetObject', Resource: resource })]) });
    expect(permissionWidening(grant('arn:aws:s3:::b/a?c'), grant('arn:aws:s3:::b/abc'))).toEqual([]);
    expect(summaries(permissionWidening(grant('arn:aws:s3:::b/a?c'), grant('arn:aws:s3:::b/a*c')))).toEqual(['allows s3:GetObject on arn:aws:s3:::b/a*c']);
  });

  it('GIVEN an action wildcard THEN it covers the specific action but a new wildcard is reported (case-insensitive)', () => {
    const star = template({ Role: role([statement({ Action: 'dynamodb:*', Resource: tableArn })]) });
    const one = template({ Role: role([statement({ Action: 'DynamoDB:putitem', Resource: tableArn })]) });
    expect(permissionWidening(star, one)).toEqual([]);
    expect(summaries(permissionWidening(one, star))).toEqual(['allows dynamodb:* on !GetAtt TodoTable.Arn']);
  });

  it('GIVEN a condition removed THEN the unconditional grant is reported; a conditional grant says so', () => {
    const condition = { StringEquals: { 'aws:PrincipalTag/team': 'todo' } };
    const guarded = template({ Role: role([statement({ Action: 'kms:Decrypt', Resource: '*', Condition: condition })]) });
    const open = template({ Role: role([statement({ Action: 'kms:Decrypt', Resource: '*' })]) });
    expect(summaries(permissionWidening(guarded, open))).toEqual(['allows kms:Decrypt on every resource (*)']);
    expect(summaries(permissionWidening(undefined, guarded))).toContain('allows kms:Decrypt on every resource (*) (with a condition)');
  });

  it('GIVEN Deny statements added THEN they are not widening', () => {
    const next = template({ Role: role([...base, { Effect: 'Deny', Action: 's3:*', Resource: '*' }]) });
    expect(permissionWidening(template({ Role: role(base) }), next)).toEqual([]);
  });

  it('GIVEN NotAction / NotResource THEN they read as "every ... except"', () => {
    const next = template({ Role: role([statement({ NotAction: 'iam:*', NotResource: tableArn })]) });
    expect(summaries(permissionWidening(template({ Role: role([]) }), next))).toEqual(['allows every action except iam:* on every resource except !GetAtt TodoTable.Arn']);
  });

  it('GIVEN a new stack with a role THEN its trust principal and every inline grant are reported', () => {
    // GIVEN old undefined: a new stack
    const next = template({ Role: role(base) });
    // WHEN
    const out = permissionWidening(undefined, next);
    // THEN
    expect(out).toEqual([
      { logicalId: 'Role', kind: 'iam', summary: 'allows dynamodb:GetItem on !GetAtt TodoTable.Arn' },
      { logicalId: 'Role', kind: 'iam', summary: 'allows sts:AssumeRole by lambda.amazonaws.com' },
    ]);
  });

  it('GIVEN a trust policy that gains a principal THEN only the new principal is reported', () => {
    const old = template({ Role: role([]) });
    const trust = { Statement: [statement({ Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] }, Action: 'sts:AssumeRole' })] };
    const next = template({ Role: role([], { AssumeRolePolicyDocument: trust }) });
    expect(summaries(permissionWidening(old, next))).toEqual(['allows sts:AssumeRole by edgelambda.amazonaws.com']);
  });

  it('GIVEN ManagedPolicyArns added to a role THEN each new ARN is reported, the kept one is not', () => {
    const kept = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' };
    const old = template({ Role: role(base, { ManagedPolicyArns: [kept] }) });
    const next = template({ Role: role(base, { ManagedPolicyArns: [kept, 'arn:aws:iam::aws:policy/AdministratorAccess'] }) });
    expect(permissionWidening(old, next)).toEqual([{ logicalId: 'Role', kind: 'iam', summary: 'attaches managed policy arn:aws:iam::aws:policy/AdministratorAccess' }]);
  });

  it('GIVEN AWS::IAM::Policy and AWS::IAM::ManagedPolicy documents THEN their grants are reported', () => {
    const next = template({
      Attached: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: statement({ Action: 'sqs:SendMessage', Resource: { Ref: 'Queue' } }) } } },
      Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [statement({ Action: 'sns:Publish', Resource: { Ref: 'Topic' } })] } } },
    });
    expect(permissionWidening(undefined, next)).toEqual([
      { logicalId: 'Attached', kind: 'iam', summary: 'allows sqs:SendMessage on !Ref Queue' },
      { logicalId: 'Managed', kind: 'iam', summary: 'allows sns:Publish on !Ref Topic' },
    ]);
  });

  it('GIVEN bucket, queue and topic policies THEN grants name their principal; a wildcard principal is called out', () => {
    const doc = (s: JsonObject): JsonObject => ({ PolicyDocument: { Statement: [s] } });
    const next = template({
      BucketPolicy: { Type: 'AWS::S3::BucketPolicy', Properties: doc(statement({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: { 'Fn::Sub': '${Bucket.Arn}/*' } })) },
      QueuePolicy: { Type: 'AWS::SQS::QueuePolicy', Properties: doc(statement({ Principal: '*', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] } })) },
      TopicPolicy: { Type: 'AWS::SNS::TopicPolicy', Properties: doc(statement({ Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sns:Publish', Resource: { Ref: 'Topic' } })) },
    });
    expect(summaries(permissionWidening(undefined, next))).toEqual([
      'allows s3:GetObject by cloudfront.amazonaws.com on !Sub ${Bucket.Arn}/*',
      'allows sqs:SendMessage by anyone (*) on !GetAtt Queue.Arn',
      'allows sns:Publish by arn:aws:iam::111122223333:root on !Ref Topic',
    ]);
  });

  it('GIVEN a resource policy whose principal was * THEN a specific principal is covered, not the other way round', () => {
    const policy = (principal: Json): CfnTemplate =>
      template({ P: { Type: 'AWS::S3::BucketPolicy', Properties: { PolicyDocument: { Statement: [statement({ Principal: principal, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' })] } } } });
    expect(permissionWidening(policy({ AWS: '*' }), policy({ Service: 'cloudfront.amazonaws.com' }))).toEqual([]);
    expect(summaries(permissionWidening(policy({ Service: 'cloudfront.amazonaws.com' }), policy('*')))).toEqual(['allows s3:GetObject by anyone (*) on arn:aws:s3:::b/*']);
  });
});

describe('permissionWidening: Lambda permissions', () => {
  const permission = (p: JsonObject): CfnResource => ({
    Type: 'AWS::Lambda::Permission',
    Properties: { FunctionName: { 'Fn::GetAtt': ['ListTodosFunction', 'Arn'] }, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', ...p },
  });
  const sourceArn = { 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${TodoApi}/*/GET/todos' };

  it('GIVEN a new Lambda::Permission THEN it is reported with its principal, function and source', () => {
    const out = permissionWidening(template({}), template({ Invoke: permission({ SourceArn: sourceArn }) }));
    expect(out).toEqual([
      {
        logicalId: 'Invoke',
        kind: 'iam',
        summary:
          'allows lambda:InvokeFunction by apigateway.amazonaws.com on !GetAtt ListTodosFunction.Arn from !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${TodoApi}/*/GET/todos',
      },
    ]);
    expect(out[0]?.summary.startsWith('allows lambda:InvokeFunction by apigateway.amazonaws.com')).toBe(true);
  });

  it('GIVEN an unchanged permission THEN nothing; GIVEN its SourceArn dropped or its principal changed THEN reported', () => {
    const old = template({ Invoke: permission({ SourceArn: sourceArn }) });
    expect(permissionWidening(old, structuredClone(old))).toEqual([]);
    expect(summaries(permissionWidening(old, template({ Invoke: permission({}) })))).toEqual([
      'allows lambda:InvokeFunction by apigateway.amazonaws.com on !GetAtt ListTodosFunction.Arn from any source',
    ]);
    expect(summaries(permissionWidening(old, template({ Invoke: permission({ SourceArn: sourceArn, Principal: 's3.amazonaws.com' }) })))).toEqual([
      `allows lambda:InvokeFunction by s3.amazonaws.com on !GetAtt ListTodosFunction.Arn from ${readable(sourceArn)}`,
    ]);
  });

  it('GIVEN a SourceArn added to an open permission THEN it is narrowed, not widened', () => {
    expect(permissionWidening(template({ Invoke: permission({}) }), template({ Invoke: permission({ SourceArn: sourceArn }) }))).toEqual([]);
  });
});

describe('permissionWidening: security groups', () => {
  const group = (ingress: JsonObject[], egress?: JsonObject[]): CfnResource => ({
    Type: 'AWS::EC2::SecurityGroup',
    Properties: { GroupDescription: 'alb', VpcId: { Ref: 'Vpc' }, SecurityGroupIngress: ingress, ...(egress ? { SecurityGroupEgress: egress } : {}) },
  });
  const https = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: 'HTTPS' };

  it('GIVEN inline ingress from 0.0.0.0/0 added THEN it is reported as the whole internet', () => {
    const out = permissionWidening(template({ AlbSg: group([]) }), template({ AlbSg: group([https]) }));
    expect(out).toEqual([{ logicalId: 'AlbSg', kind: 'security-group', summary: 'opens tcp 443 to 0.0.0.0/0 (the whole internet)' }]);
  });

  it('GIVEN an unchanged rule whose Description changed THEN nothing is reported', () => {
    expect(permissionWidening(template({ AlbSg: group([https]) }), template({ AlbSg: group([{ ...https, Description: 'web' }]) }))).toEqual([]);
  });

  it('GIVEN egress, ::/0, port ranges and all traffic added THEN each reads plainly', () => {
    const next = group(
      [{ IpProtocol: 'tcp', FromPort: 8000, ToPort: 8080, CidrIpv6: '::/0' }, { IpProtocol: '-1', SourceSecurityGroupId: { Ref: 'AppSg' } }],
      [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, DestinationSecurityGroupId: { 'Fn::GetAtt': ['DbSg', 'GroupId'] } }, { IpProtocol: 'icmp', FromPort: -1, ToPort: -1, CidrIp: '10.0.0.0/16' }],
    );
    expect(summaries(permissionWidening(template({ AlbSg: group([]) }), template({ AlbSg: next })))).toEqual([
      'opens tcp 8000-8080 to ::/0 (the whole internet)',
      'opens all traffic to security group !Ref AppSg',
      'allows outbound tcp 5432 to security group !GetAtt DbSg.GroupId',
      'allows outbound icmp to 10.0.0.0/16',
    ]);
  });

  it('GIVEN a standalone SecurityGroupIngress added THEN it is reported with its group; unchanged it is not', () => {
    const ingress: CfnResource = {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: { GroupId: { 'Fn::GetAtt': ['DaxSg', 'GroupId'] }, IpProtocol: 'tcp', FromPort: 9111, ToPort: 9111, SourceSecurityGroupId: { 'Fn::GetAtt': ['FnSg', 'GroupId'] } },
    };
    const next = template({ DaxIngress: ingress });
    expect(permissionWidening(template({}), next)).toEqual([
      { logicalId: 'DaxIngress', kind: 'security-group', summary: 'opens tcp 9111 on !GetAtt DaxSg.GroupId to security group !GetAtt FnSg.GroupId' },
    ]);
    expect(permissionWidening(next, structuredClone(next))).toEqual([]);
  });

  it('GIVEN a standalone SecurityGroupEgress opened to the internet THEN it is reported', () => {
    const egress: CfnResource = { Type: 'AWS::EC2::SecurityGroupEgress', Properties: { GroupId: { Ref: 'FnSg' }, IpProtocol: '6', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' } };
    expect(summaries(permissionWidening(undefined, template({ Out: egress })))).toEqual(['allows outbound tcp 443 on !Ref FnSg to 0.0.0.0/0 (the whole internet)']);
  });

  it('GIVEN a rule removed or a group with no rules THEN nothing is reported', () => {
    expect(permissionWidening(template({ AlbSg: group([https]) }), template({ AlbSg: group([]) }))).toEqual([]);
    expect(permissionWidening(undefined, template({ Table: { Type: 'AWS::DynamoDB::Table', Properties: {} } }))).toEqual([]);
  });
});

describe('summarizeChanges', () => {
  it('GIVEN a mix of actions THEN it counts each; only Replacement True counts as replaced', () => {
    const changes = [
      change({ action: 'Add', logicalId: 'A', resourceType: 'T' }),
      change({ action: 'Add', logicalId: 'B', resourceType: 'T' }),
      change({ action: 'Modify', logicalId: 'C', resourceType: 'T', replacement: 'True' }),
      change({ action: 'Modify', logicalId: 'D', resourceType: 'T', replacement: 'Conditional' }),
      change({ action: 'Modify', logicalId: 'E', resourceType: 'T', replacement: 'False' }),
      change({ action: 'Remove', logicalId: 'F', resourceType: 'T' }),
      change({ action: 'Import', logicalId: 'G', resourceType: 'T' }),
    ];
    expect(summarizeChanges(changes)).toEqual({ add: 2, modify: 3, remove: 1, replace: 1 });
    expect(summarizeChanges([])).toEqual({ add: 0, modify: 0, remove: 0, replace: 0 });
  });
});

describe('formatChanges', () => {
  const fixture: ResourceChange[] = [
    change({ action: 'Remove', logicalId: 'OldQueue', resourceType: 'AWS::SQS::Queue' }),
    change({
      action: 'Modify',
      logicalId: 'UserFilesBucket',
      resourceType: 'AWS::S3::Bucket',
      replacement: 'True',
      details: [
        { attribute: 'Properties', name: 'BucketName', requiresRecreation: 'Always' },
        { attribute: 'Properties', name: 'Tags', requiresRecreation: 'Never' },
      ],
    }),
    change({ action: 'Add', logicalId: 'TodoTable', resourceType: 'AWS::DynamoDB::Table' }),
    change({
      action: 'Modify',
      logicalId: 'ListTodosFunction',
      resourceType: 'AWS::Lambda::Function',
      replacement: 'False',
      details: [
        { attribute: 'Properties', name: 'Code', requiresRecreation: 'Never' },
        { attribute: 'Properties', name: 'Environment', requiresRecreation: 'Never' },
        { attribute: 'Properties', name: 'Code', requiresRecreation: 'Never', changeSource: 'DirectModification' },
      ],
    }),
    change({ action: 'Remove', logicalId: 'OldFn', resourceType: 'AWS::Lambda::Function' }),
    change({
      action: 'Modify',
      logicalId: 'Pool',
      resourceType: 'AWS::Cognito::UserPool',
      replacement: 'Conditional',
      details: [{ attribute: 'Properties', name: 'Schema', requiresRecreation: 'Conditionally' }],
    }),
    change({ action: 'Modify', logicalId: 'Api', resourceType: 'AWS::ApiGateway::RestApi', replacement: 'True', details: [{ attribute: 'Metadata' }] }),
    change({ action: 'Add', logicalId: 'Role', resourceType: 'AWS::IAM::Role' }),
  ];
  const widening: Widening[] = [
    { logicalId: 'Role', kind: 'iam', summary: 'allows dynamodb:PutItem on !GetAtt TodoTable.Arn' },
    { logicalId: 'AlbSecurityGroup', kind: 'security-group', summary: 'opens tcp 443 to 0.0.0.0/0 (the whole internet)' },
  ];

  it('GIVEN adds, modifies (replaced and not) and removes THEN lines are grouped, aligned and summed up', () => {
    // WHEN
    const lines = formatChanges(fixture, widening);
    // THEN
    expect(lines).toEqual([
      '+ TodoTable          AWS::DynamoDB::Table',
      '+ Role               AWS::IAM::Role',
      '~ UserFilesBucket    AWS::S3::Bucket           REPLACED (BucketName)  <- stateful: data would be lost',
      '~ ListTodosFunction  AWS::Lambda::Function     (Code, Environment)',
      '~ Pool               AWS::Cognito::UserPool    may be replaced (Schema)  <- stateful: data may be lost',
      '~ Api                AWS::ApiGateway::RestApi  REPLACED',
      '- OldQueue           AWS::SQS::Queue           <- stateful: deleted unless its DeletionPolicy is Retain',
      '- OldFn              AWS::Lambda::Function',
      '',
      'permissions widened:',
      '  iam             Role              allows dynamodb:PutItem on !GetAtt TodoTable.Arn',
      '  security group  AlbSecurityGroup  opens tcp 443 to 0.0.0.0/0 (the whole internet)',
      '',
      '2 to add, 4 to modify (2 replaced), 2 to remove',
    ]);
    for (const line of lines) expect(line).toBe(line.trimEnd());
  });

  it('GIVEN Import and Dynamic changes THEN they come after removals', () => {
    const lines = formatChanges(
      [change({ action: 'Dynamic', logicalId: 'D', resourceType: 'T' }), change({ action: 'Import', logicalId: 'I', resourceType: 'T' }), change({ action: 'Remove', logicalId: 'R', resourceType: 'T' })],
      [],
    );
    expect(lines).toEqual(['- R  T', '< I  T', '? D  T', '', '0 to add, 0 to modify, 1 to remove']);
  });

  it('GIVEN no changes THEN it says "no changes"', () => {
    expect(formatChanges([], [])).toEqual(['no changes']);
  });

  it('GIVEN a paint THEN colours wrap the cells without breaking alignment; plainPaint is the identity', () => {
    const tag = (name: string) => (s: string): string => `<${name}>${s}</${name}>`;
    const paint: Paint = { add: tag('add'), modify: tag('mod'), remove: tag('rm'), warn: tag('warn'), dim: tag('dim') };
    const lines = formatChanges(fixture.slice(0, 3), [widening[0]!], paint);
    expect(lines).toEqual([
      '<add>+ TodoTable</add>        <dim>AWS::DynamoDB::Table</dim>',
      '<mod>~ UserFilesBucket</mod>  <dim>AWS::S3::Bucket</dim>       <warn>REPLACED (BucketName)  <- stateful: data would be lost</warn>',
      '<rm>- OldQueue</rm>         <dim>AWS::SQS::Queue</dim>       <warn><- stateful: deleted unless its DeletionPolicy is Retain</warn>',
      '',
      'permissions widened:',
      '  <warn>iam</warn>  Role  allows dynamodb:PutItem on !GetAtt TodoTable.Arn',
      '',
      '1 to add, 1 to modify (1 replaced), 1 to remove',
    ]);
    for (const key of ['add', 'modify', 'remove', 'warn', 'dim'] as const) expect(plainPaint[key]('x y ')).toBe('x y ');
  });
});

describe('formatChanges for a new stack', () => {
  it('GIVEN every grant is new THEN only the count and the unbounded ones are listed', () => {
    const widening = [
      { logicalId: 'FnRole', kind: 'iam' as const, summary: 'allows dynamodb:PutItem on !GetAtt Table.Arn' },
      { logicalId: 'FnRole', kind: 'iam' as const, summary: 'allows xray:PutTraceSegments on every resource (*)' },
      { logicalId: 'Sg', kind: 'security-group' as const, summary: 'opens tcp 443 to 0.0.0.0/0 (the whole internet)' },
    ];
    const lines = formatChanges([{ action: 'Add', logicalId: 'Table', resourceType: 'AWS::DynamoDB::Table', details: [] }], widening, plainPaint, { newStack: true });
    expect(lines.join('\n')).toContain('permissions: 3 grants, all new (a new stack); 2 without bounds:');
    expect(lines.some((l) => l.includes('dynamodb:PutItem'))).toBe(false);
    expect(lines.filter((l) => l.includes('every resource (*)') || l.includes('whole internet'))).toHaveLength(2);
  });
});
