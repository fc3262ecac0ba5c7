import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpecFor } from '../src/actions/load-spec.js';
import { ArchctlError } from '../src/core/errors.js';
import { checkSpec, servicesOf } from '../src/core/spec/check.js';
import type { SpecLookup } from '../src/core/spec/types.js';
import type { CfnTemplate, Finding, JsonObject } from '../src/core/types.js';

interface ExtractResult {
  resourceTypes: number;
  files: number;
  bytes: number;
}
type ExtractModule = { extractSpec(outDir: string): Promise<ExtractResult> };

let specDir = '';
let extracted: ExtractResult;

beforeAll(async () => {
  specDir = mkdtempSync(join(tmpdir(), 'archctl-spec-'));
  // A plain .mjs build script without type declarations: import it by URL.
  const url = new URL('../scripts/extract-spec.mjs', import.meta.url).href;
  const { extractSpec } = (await import(url)) as ExtractModule;
  extracted = await extractSpec(specDir);
}, 60_000);

afterAll(() => {
  if (specDir) rmSync(specDir, { recursive: true, force: true });
});

const check = async (template: CfnTemplate): Promise<Finding[]> => checkSpec(template, await loadSpecFor(template, specDir));

/** A small valid stack: DynamoDB table, IAM role, Lambda function, and a web of Ref/GetAtt/Sub/If. */
function validTemplate(): CfnTemplate {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: { Stage: { Type: 'String', Default: 'dev' } },
    Conditions: {
      IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
      IsNotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
    },
    Resources: {
      Table: {
        Type: 'AWS::DynamoDB::Table',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          TableName: { 'Fn::Sub': '${AWS::StackName}-${Stage}-todos' },
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          SSESpecification: { SSEEnabled: true },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: 'true' },
          DeletionProtectionEnabled: { 'Fn::If': ['IsProd', true, false] },
          StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
          Tags: [{ Key: 'app', Value: 'archctl' }],
        },
      },
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }],
          Policies: [
            {
              PolicyName: 'table',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
                    Resource: [{ 'Fn::GetAtt': ['Table', 'Arn'] }, { 'Fn::Sub': '${Table.Arn}/index/*' }],
                    Condition: { StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } },
                  },
                ],
              },
            },
          ],
        },
      },
      Fn: {
        Type: 'AWS::Lambda::Function',
        DependsOn: ['Role'],
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          MemorySize: '256',
          Timeout: 10,
          Role: { 'Fn::GetAtt': 'Role.Arn' },
          Code: { ZipFile: 'exports.handler = async () => ({})' },
          Architectures: ['arm64'],
          Environment: {
            Variables: {
              TABLE: { Ref: 'Table' },
              STREAM: { 'Fn::GetAtt': ['Table', 'StreamArn'] },
              REGION: { Ref: 'AWS::Region' },
              GREETING: { 'Fn::Sub': ['${!Literal} ${Name} in ${AWS::Region}', { Name: { Ref: 'Stage' } }] },
              DEBUG: { 'Fn::If': ['IsNotProd', 'true', { Ref: 'AWS::NoValue' }] },
            },
          },
        },
      },
      Mapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          FunctionName: { Ref: 'Fn' },
          EventSourceArn: { 'Fn::GetAtt': ['Table', 'StreamArn'] },
          StartingPosition: 'LATEST',
          BatchSize: 10,
        },
      },
    },
    Outputs: {
      TableArn: {
        Value: { 'Fn::GetAtt': ['Table', 'Arn'] },
        Export: { Name: { 'Fn::Sub': '${AWS::StackName}-TableArn' } },
      },
      FunctionName: { Condition: 'IsProd', Value: { Ref: 'Fn' } },
    },
  };
}

const resources = (t: CfnTemplate) => t.Resources;
const props = (t: CfnTemplate, id: string): JsonObject => {
  const p = t.Resources[id]?.Properties;
  if (!p) throw new Error(`no properties on ${id}`);
  return p;
};

/** Exactly one finding, with these fields. */
async function expectOne(template: CfnTemplate, expected: Partial<Finding>): Promise<Finding> {
  const findings = await check(template);
  expect(findings, JSON.stringify(findings, null, 2)).toHaveLength(1);
  const [f] = findings as [Finding];
  expect(f).toMatchObject({ source: 'spec', level: 'error', ...expected });
  expect(f.message.length).toBeGreaterThan(10);
  expect(f.message).not.toContain('\n');
  expect(f.fix.length).toBeGreaterThan(5);
  return f;
}

describe('extractSpec', () => {
  it('writes one file per service plus index.json', () => {
    expect(extracted.resourceTypes).toBeGreaterThan(1500);
    const files = readdirSync(specDir);
    expect(files).toContain('index.json');
    expect(files).toContain('AWS_DynamoDB.json');
    expect(files).toHaveLength(extracted.files);
  });
});

describe('servicesOf', () => {
  it('lists the service files a template needs, sorted, without custom resources', () => {
    const t = validTemplate();
    resources(t)['Custom'] = { Type: 'Custom::Thing', Properties: { ServiceToken: 'arn' } };
    expect(servicesOf(t)).toEqual(['AWS_DynamoDB', 'AWS_IAM', 'AWS_Lambda']);
  });
});

describe('checkSpec', () => {
  it('accepts a valid template with nested properties and a Ref/GetAtt/Sub/If web', async () => {
    expect(await check(validTemplate())).toEqual([]);
  });

  it('knows recent resource types', async () => {
    const types = ['AWS::DynamoDB::GlobalTable', 'AWS::CloudFront::OriginAccessControl', 'AWS::DAX::Cluster', 'AWS::Cognito::IdentityPoolRoleAttachment'];
    const template: CfnTemplate = { Resources: Object.fromEntries(types.map((Type, i) => [`R${i}`, { Type }])) };
    const spec = await loadSpecFor(template, specDir);
    for (const type of types) expect(spec.resourceType(type), type).toBeDefined();
    expect(spec.resourceType('AWS::DynamoDB::GlobalTable')?.a).toContain('StreamArn');
  });

  it('accepts custom resources with any properties', async () => {
    const t = validTemplate();
    resources(t)['Seed'] = { Type: 'Custom::SeedTable', Properties: { ServiceToken: { 'Fn::GetAtt': ['Fn', 'Arn'] }, Anything: { Nested: [1, 2] } } };
    resources(t)['Seed2'] = { Type: 'AWS::CloudFormation::CustomResource', Properties: { ServiceToken: { 'Fn::GetAtt': ['Fn', 'Arn'] }, Whatever: true } };
    const o = t.Outputs ?? {};
    o['SeedValue'] = { Value: { 'Fn::GetAtt': ['Seed', 'AnyAttribute'] } };
    expect(await check(t)).toEqual([]);
  });

  it('accepts anything inside JSON-typed properties', async () => {
    const t = validTemplate();
    resources(t)['Api'] = {
      Type: 'AWS::ApiGateway::RestApi',
      Properties: { Name: 'api', Body: { openapi: '3.0.1', paths: { '/': { get: { 'x-whatever': [1, { a: null }] } } } } },
    };
    expect(await check(t)).toEqual([]);
  });

  it('reports an unknown resource type', async () => {
    const t = validTemplate();
    resources(t)['Queue'] = { Type: 'AWS::SQS::Queueue', Properties: {} };
    const f = await expectOne(t, { ruleId: 'SPEC-UNKNOWN-TYPE', logicalId: 'Queue', type: 'AWS::SQS::Queueue', path: 'Type' });
    expect(f.fix).toContain('AWS::SQS::Queue');
  });

  it('reports an unknown service as an unknown type', async () => {
    const t = validTemplate();
    resources(t)['X'] = { Type: 'AWS::NoSuchService::Thing' };
    await expectOne(t, { ruleId: 'SPEC-UNKNOWN-TYPE', logicalId: 'X', path: 'Type' });
  });

  it('reports an unknown nested property', async () => {
    const t = validTemplate();
    props(t, 'Table')['SSESpecification'] = { SSEEnabled: true, Encrypted: true };
    const f = await expectOne(t, { ruleId: 'SPEC-UNKNOWN-PROPERTY', logicalId: 'Table', type: 'AWS::DynamoDB::Table', path: 'Properties.SSESpecification.Encrypted' });
    expect(f.message).toContain('SSESpecification');
  });

  it('reports an unknown property inside a list of objects', async () => {
    const t = validTemplate();
    props(t, 'Table')['KeySchema'] = [{ AttributeName: 'pk', KeyType: 'HASH', Extra: 1 }];
    await expectOne(t, { ruleId: 'SPEC-UNKNOWN-PROPERTY', path: 'Properties.KeySchema[0].Extra' });
  });

  it('reports a misspelt top-level property with a suggestion', async () => {
    const t = validTemplate();
    const p = props(t, 'Fn');
    p['Handlr'] = p['Handler'] ?? '';
    delete p['Handler'];
    const f = await expectOne(t, { ruleId: 'SPEC-UNKNOWN-PROPERTY', logicalId: 'Fn', path: 'Properties.Handlr' });
    expect(f.fix).toContain('Handler');
  });

  it('reports a missing required property', async () => {
    const t = validTemplate();
    delete props(t, 'Role')['AssumeRolePolicyDocument'];
    await expectOne(t, { ruleId: 'SPEC-MISSING-REQUIRED', logicalId: 'Role', type: 'AWS::IAM::Role', path: 'Properties.AssumeRolePolicyDocument' });
  });

  it('reports a missing required nested property', async () => {
    const t = validTemplate();
    props(t, 'Table')['KeySchema'] = [{ AttributeName: 'pk' }];
    await expectOne(t, { ruleId: 'SPEC-MISSING-REQUIRED', path: 'Properties.KeySchema[0].KeyType' });
  });

  it('reports wrong primitive types, and accepts "true" and "5"', async () => {
    const t = validTemplate();
    props(t, 'Table')['SSESpecification'] = { SSEEnabled: 'yes' };
    const f = await expectOne(t, { ruleId: 'SPEC-WRONG-TYPE', path: 'Properties.SSESpecification.SSEEnabled' });
    expect(f.message).toContain('boolean');

    const t2 = validTemplate();
    props(t2, 'Fn')['Timeout'] = 'ten';
    await expectOne(t2, { ruleId: 'SPEC-WRONG-TYPE', path: 'Properties.Timeout' });

    const t3 = validTemplate();
    props(t3, 'Fn')['Architectures'] = 'arm64';
    await expectOne(t3, { ruleId: 'SPEC-WRONG-TYPE', path: 'Properties.Architectures' });

    const t4 = validTemplate();
    props(t4, 'Table')['SSESpecification'] = 'enabled';
    await expectOne(t4, { ruleId: 'SPEC-WRONG-TYPE', path: 'Properties.SSESpecification' });

    const t5 = validTemplate();
    props(t5, 'Fn')['Timeout'] = '5';
    props(t5, 'Fn')['Architectures'] = { 'Fn::Split': [',', 'arm64'] };
    props(t5, 'Table')['SSESpecification'] = { SSEEnabled: 'false' };
    expect(await check(t5)).toEqual([]);
  });

  it('checks both branches of Fn::If against the expected type', async () => {
    const t = validTemplate();
    props(t, 'Table')['DeletionProtectionEnabled'] = { 'Fn::If': ['IsProd', true, 'maybe'] };
    await expectOne(t, { ruleId: 'SPEC-WRONG-TYPE', path: 'Properties.DeletionProtectionEnabled' });
  });

  it('reports Fn::GetAtt of an attribute the type does not have', async () => {
    const t = validTemplate();
    props(t, 'Mapping')['EventSourceArn'] = { 'Fn::GetAtt': ['Table', 'StreamARN'] };
    const f = await expectOne(t, { ruleId: 'SPEC-BAD-GETATT', logicalId: 'Mapping', path: 'Properties.EventSourceArn' });
    expect(f.fix).toContain('StreamArn');
  });

  it('reports Fn::GetAtt (dotted form) of an unknown resource', async () => {
    const t = validTemplate();
    props(t, 'Fn')['Role'] = { 'Fn::GetAtt': 'LambdaRole.Arn' };
    const f = await expectOne(t, { ruleId: 'SPEC-BAD-GETATT', logicalId: 'Fn', path: 'Properties.Role' });
    expect(f.message).toContain('LambdaRole');
  });

  it('accepts nested dotted attributes', async () => {
    const t = validTemplate();
    resources(t)['Db'] = { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql' } };
    const o = t.Outputs ?? {};
    o['DbHost'] = { Value: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] } };
    o['DbPort'] = { Value: { 'Fn::Sub': '${Db.Endpoint.Port}' } };
    expect(await check(t)).toEqual([]);
  });

  it('reports a Ref to nothing', async () => {
    const t = validTemplate();
    props(t, 'Mapping')['FunctionName'] = { Ref: 'Function' };
    await expectOne(t, { ruleId: 'SPEC-BAD-REF', logicalId: 'Mapping', path: 'Properties.FunctionName' });
  });

  it('reports a Ref to a misspelt pseudo parameter', async () => {
    const t = validTemplate();
    props(t, 'Mapping')['FunctionName'] = { Ref: 'AWS::Regoin' };
    const f = await expectOne(t, { ruleId: 'SPEC-BAD-REF' });
    expect(f.fix).toContain('AWS::Region');
  });

  it('reports a bad Fn::Sub variable, accepts ${!Literal} and variable-map keys', async () => {
    const t = validTemplate();
    props(t, 'Table')['TableName'] = { 'Fn::Sub': '${AWS::StackName}-${Stag}-${!Literal}' };
    const f = await expectOne(t, { ruleId: 'SPEC-BAD-REF', logicalId: 'Table', path: 'Properties.TableName' });
    expect(f.message).toContain('${Stag}');

    const t2 = validTemplate();
    props(t2, 'Table')['TableName'] = { 'Fn::Sub': ['${!Literal}-${Var}-${Table.StreamArnn}', { Var: 'x' }] };
    await expectOne(t2, { ruleId: 'SPEC-BAD-GETATT', path: 'Properties.TableName' });
  });

  it('accepts ${!Literal} in Fn::Sub on its own', async () => {
    const t = validTemplate();
    props(t, 'Table')['TableName'] = { 'Fn::Sub': '${!NotAParameter}-${!AWS::Nothing}' };
    expect(await check(t)).toEqual([]);
  });

  it('allows only parameters and pseudo parameters in Conditions', async () => {
    const t = validTemplate();
    if (t.Conditions) t.Conditions['HasTable'] = { 'Fn::Equals': [{ Ref: 'Table' }, ''] };
    await expectOne(t, { ruleId: 'SPEC-BAD-REF', logicalId: 'HasTable', type: 'Conditions' });
  });

  it('does not report references to unknown resources when a Transform may add them', async () => {
    const t = validTemplate() as CfnTemplate & { Transform?: string };
    t.Transform = 'AWS::Serverless-2016-10-31';
    props(t, 'Mapping')['FunctionName'] = { Ref: 'GeneratedByTheTransform' };
    expect(await check(t)).toEqual([]);
  });

  it('reports an unknown condition (resource Condition, Fn::If, Output Condition)', async () => {
    const t = validTemplate();
    const table = resources(t)['Table'];
    if (table) table.Condition = 'IsProduction';
    await expectOne(t, { ruleId: 'SPEC-BAD-CONDITION', logicalId: 'Table', path: 'Condition' });

    const t2 = validTemplate();
    props(t2, 'Table')['DeletionProtectionEnabled'] = { 'Fn::If': ['Prod', true, false] };
    await expectOne(t2, { ruleId: 'SPEC-BAD-CONDITION', path: 'Properties.DeletionProtectionEnabled' });

    const t3 = validTemplate();
    const out = t3.Outputs?.['FunctionName'];
    if (out) out['Condition'] = 'Nope';
    await expectOne(t3, { ruleId: 'SPEC-BAD-CONDITION', logicalId: 'FunctionName', type: 'Outputs', path: 'Condition' });

    const t4 = validTemplate();
    if (t4.Conditions) t4.Conditions['IsNotProd'] = { 'Fn::Not': [{ Condition: 'IsPrd' }] };
    await expectOne(t4, { ruleId: 'SPEC-BAD-CONDITION', logicalId: 'IsNotProd', type: 'Conditions' });
  });

  it('reports a DependsOn to a missing resource', async () => {
    const t = validTemplate();
    const fn = resources(t)['Fn'];
    if (fn) fn.DependsOn = ['Role', 'Policy'];
    const f = await expectOne(t, { ruleId: 'SPEC-BAD-DEPENDSON', logicalId: 'Fn', path: 'DependsOn' });
    expect(f.message).toContain('Policy');
  });

  it('walks Outputs values', async () => {
    const t = validTemplate();
    const out = t.Outputs?.['TableArn'];
    if (out) out['Value'] = { 'Fn::GetAtt': ['Table', 'Name'] };
    await expectOne(t, { ruleId: 'SPEC-BAD-GETATT', logicalId: 'TableArn', type: 'Outputs', path: 'Value' });
  });

  it('returns findings in walk order, deterministically', async () => {
    const t = validTemplate();
    props(t, 'Table')['SSESpecification'] = { SSEEnabled: 'yes', Bogus: 1 };
    props(t, 'Fn')['Role'] = { Ref: 'Nothing' };
    const first = await check(t);
    expect(first.map((f) => `${f.logicalId} ${f.ruleId} ${f.path}`)).toEqual([
      'Table SPEC-WRONG-TYPE Properties.SSESpecification.SSEEnabled',
      'Table SPEC-UNKNOWN-PROPERTY Properties.SSESpecification.Bogus',
      'Fn SPEC-BAD-REF Properties.Role',
    ]);
    expect(await check(t)).toEqual(first);
  });
});

describe('loadSpecFor', () => {
  it('throws a clear ArchctlError when the extract is missing', async () => {
    const missing = join(specDir, 'does-not-exist');
    const err: unknown = await loadSpecFor(validTemplate(), missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchctlError);
    expect((err as ArchctlError).fix).toContain('npm run build');
  });

  it('only knows the services the template uses', async () => {
    const spec: SpecLookup = await loadSpecFor(validTemplate(), specDir);
    expect(spec.resourceType('AWS::Lambda::Function')).toBeDefined();
    expect(spec.resourceType('AWS::S3::Bucket')).toBeUndefined();
    expect(spec.resourceTypes?.()).toContain('AWS::S3::Bucket');
  });
});
