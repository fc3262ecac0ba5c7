// `archctl dev`: the rendered template brought up on this machine, resource by
// resource, on the local cloud's emulators (src/local). No terminal I/O: the
// command renders the events.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ArchctlError } from '../core/errors.js';
import { resolveIntrinsics, type StackValues } from '../core/intrinsics.js';
import { OPTIONAL_MODULES, planPackage } from '../core/package-plan.js';
import type { CfnTemplate, Json, JsonObject } from '../core/types.js';
import { startApi, type CognitoAuthorizerConfig, type LocalApi } from '../local/apigw/index.js';
import { startIdentityPool, startUserPool, userPoolClientFromTemplate, userPoolFromTemplate, type LocalIdentityPool, type LocalUserPool, type UserPoolClientConfig, type UserPoolConfig } from '../local/cognito/index.js';
import { startDynamoDB } from '../local/dynamodb.js';
import { CredentialStore } from '../local/credentials.js';
import { functionConfigFromTemplate, type LambdaFunctionConfig } from '../local/lambda/index.js';
import { authenticatedRolePolicies, startS3, type LocalS3 } from '../local/s3/index.js';
import { defaultHandlersDir } from './package.js';
import { bundleHandler } from './package-bundle.js';
import { packageRoot } from './package-paths.js';
import { renderPattern } from './render.js';

/** Resource types the local cloud runs: each has a local behaviour. */
export const EMULATED_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::S3::Bucket',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::IdentityPool',
  'AWS::Cognito::IdentityPoolRoleAttachment',
  'AWS::Lambda::Function',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::Model',
  'AWS::ApiGateway::GatewayResponse',
  'AWS::ApiGateway::Stage',
  'AWS::SecretsManager::Secret',
  // Read by the API emulator (the stage cache settings it applies).
  'Custom::StageCacheControl',
] as const;

/**
 * Resource types accepted with no local behaviour: permissions (there is no
 * IAM locally, except the identity pool role the S3 endpoint enforces),
 * logging, API Gateway's deployment plumbing, and the DAX cluster with its
 * network (locally, reads go straight to DynamoDB).
 */
export const ACCEPTED_TYPES = [
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::Logs::LogGroup',
  'AWS::Lambda::Permission',
  'AWS::S3::BucketPolicy',
  'AWS::ApiGateway::Account',
  'AWS::ApiGateway::Deployment',
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::FlowLog',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress',
  'AWS::DAX::SubnetGroup',
  'AWS::DAX::Cluster',
  'AWS::DAX::ParameterGroup',
] as const;

const SUPPORTED = new Set<string>([...EMULATED_TYPES, ...ACCEPTED_TYPES]);
const ACCOUNT_ID = '000000000000';
/** What every local service accepts from archctl's own tooling and the functions. */
const LOCAL_CREDENTIALS = { accessKeyId: 'ARCHCTLLOCAL', secretAccessKey: 'archctl-local-secret' };

export type DevEvent =
  | { type: 'rendered'; pattern: string; resources: number }
  | { type: 'bundling'; logicalId: string; entry: string }
  | { type: 'started'; service: 'dynamodb' | 's3' | 'cognito-idp' | 'cognito-identity' | 'api'; url: string }
  | { type: 'confirmation-code'; username: string; code: string }
  | { type: 'temporary-password'; username: string; password: string }
  | { type: 'log'; line: string };

export interface StartLocalStackOptions {
  pattern: string;
  /** Unchecked pattern parameters (archctl.json's, then --set). */
  parameters: Record<string, unknown>;
  /** The project folder: `.archctl/local/` lives here. */
  dir: string;
  /** The stack name: physical names are `<name>-<logical id lowercased>`. Default: the pattern's name. */
  name?: string;
  /** Default us-east-1. */
  region?: string;
  /** The API's port; 0 (default) picks a free one. The other services always take free ports. */
  port?: number;
  /** Keep DynamoDB and S3 data under `<dir>/.archctl/local/` across runs. */
  persist?: boolean;
  /** The handler sources, `<pattern>/<function>.ts`; archctl's own by default. */
  handlersDir?: string;
  onEvent?: (event: DevEvent) => void;
}

export interface LocalStack {
  /** The template's Outputs resolved against the local stack, plus the local endpoints. */
  outputs: Record<string, string>;
  /** The local API (invocation counts, cache flush), for tests and tooling. */
  api: LocalApi;
  close(): Promise<void>;
}

/** The resource types of a template the local cloud can neither run nor ignore. */
export function unsupportedTypes(template: CfnTemplate): string[] {
  return [...new Set(Object.values(template.Resources).map((r) => r.Type))].filter((t) => !SUPPORTED.has(t)).sort();
}

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{ "Fn::GetAtt": [X, attr] }` or `{ Ref: X }` -> X. */
function targetOf(value: Json | undefined): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const att = value['Fn::GetAtt'];
  if (Array.isArray(att)) return String(att[0]);
  if (typeof att === 'string') return att.split('.')[0];
  return undefined;
}

const randomId = (length: number) => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
};

/** Physical ids and attributes of every resource, as the local stack names them. */
function stackValuesFor(template: CfnTemplate, name: string, region: string): StackValues {
  const refs: Record<string, string> = {};
  const attributes: Record<string, string> = {};
  const arn = (service: string, resource: string, withRegion = true) => `arn:aws:${service}:${withRegion ? region : ''}:${ACCOUNT_ID}:${resource}`;
  for (const [id, resource] of Object.entries(template.Resources)) {
    const physical = `${name}-${id.toLowerCase()}`;
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
        refs[id] = physical;
        attributes[`${id}.Arn`] = arn('dynamodb', `table/${physical}`);
        attributes[`${id}.StreamArn`] = arn('dynamodb', `table/${physical}/stream/1970-01-01T00:00:00.000`);
        break;
      case 'AWS::S3::Bucket':
        refs[id] = physical;
        attributes[`${id}.Arn`] = `arn:aws:s3:::${physical}`;
        attributes[`${id}.DomainName`] = `${physical}.s3.amazonaws.com`;
        attributes[`${id}.RegionalDomainName`] = `${physical}.s3.${region}.amazonaws.com`;
        break;
      case 'AWS::Cognito::UserPool': {
        const poolId = `${region}_${randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 9)}`;
        refs[id] = poolId;
        attributes[`${id}.Arn`] = arn('cognito-idp', `userpool/${poolId}`);
        attributes[`${id}.ProviderName`] = `cognito-idp.${region}.amazonaws.com/${poolId}`;
        attributes[`${id}.ProviderURL`] = `https://cognito-idp.${region}.amazonaws.com/${poolId}`;
        attributes[`${id}.UserPoolId`] = poolId;
        break;
      }
      case 'AWS::Cognito::UserPoolClient':
        refs[id] = randomId(26);
        attributes[`${id}.ClientId`] = refs[id];
        break;
      case 'AWS::Cognito::IdentityPool':
        refs[id] = `${region}:${randomUUID()}`;
        attributes[`${id}.Id`] = refs[id];
        attributes[`${id}.Name`] = physical;
        break;
      case 'AWS::IAM::Role':
        refs[id] = physical;
        attributes[`${id}.Arn`] = `arn:aws:iam::${ACCOUNT_ID}:role/${id}`;
        attributes[`${id}.RoleId`] = `AROA${randomId(17).toUpperCase()}`;
        break;
      case 'AWS::Lambda::Function':
        refs[id] = physical;
        attributes[`${id}.Arn`] = arn('lambda', `function:${physical}`);
        break;
      case 'AWS::Logs::LogGroup': {
        const group = typeof props.LogGroupName === 'string' ? props.LogGroupName : `/aws/local/${physical}`;
        refs[id] = group;
        attributes[`${id}.Arn`] = arn('logs', `log-group:${group}:*`);
        break;
      }
      case 'AWS::SecretsManager::Secret':
        refs[id] = arn('secretsmanager', `secret:${physical}-${randomId(6)}`);
        attributes[`${id}.Id`] = refs[id];
        break;
      case 'AWS::ApiGateway::RestApi':
        refs[id] = randomId(10);
        attributes[`${id}.RootResourceId`] = randomId(10);
        attributes[`${id}.RestApiId`] = refs[id];
        break;
      case 'AWS::ApiGateway::Stage':
        refs[id] = typeof props.StageName === 'string' ? props.StageName : physical;
        break;
      case 'AWS::DAX::Cluster':
        refs[id] = physical;
        attributes[`${id}.Arn`] = arn('dax', `cache/${physical}`);
        attributes[`${id}.ClusterDiscoveryEndpoint`] = `${physical}.local:8111`;
        attributes[`${id}.ClusterDiscoveryEndpointURL`] = `dax://${physical}.local`;
        break;
      default:
        refs[id] = physical;
        attributes[`${id}.Arn`] = arn(resource.Type.split('::')[1]!.toLowerCase(), physical);
        attributes[`${id}.Id`] = physical;
    }
  }
  return {
    refs,
    attributes,
    pseudo: {
      'AWS::Region': region,
      'AWS::AccountId': ACCOUNT_ID,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': name,
      'AWS::StackId': arn('cloudformation', `stack/${name}/${randomUUID()}`),
      'AWS::NoValue': '',
    },
  };
}

/** DynamoDB's JSON protocol, straight to dynalite: no SDK needed to create tables. */
async function dynamoCall(endpoint: string, action: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${action}`,
      // dynalite wants a SigV4-shaped header; it does not check the signature.
      Authorization: `AWS4-HMAC-SHA256 Credential=${LOCAL_CREDENTIALS.accessKeyId}/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
      'X-Amz-Date': '20200101T000000Z',
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/**
 * Renders the pattern and brings its template up locally. Refuses a template
 * with resource types the local cloud cannot run. close() stops every server
 * and worker and removes the temporary bundles.
 */
export async function startLocalStack(opts: StartLocalStackOptions): Promise<LocalStack> {
  const emit = opts.onEvent ?? (() => {});
  const { pattern, template } = renderPattern({ pattern: opts.pattern, parameters: opts.parameters });
  const unsupported = unsupportedTypes(template);
  if (unsupported.length > 0) throw unsupportedError(pattern, unsupported);
  emit({ type: 'rendered', pattern, resources: Object.keys(template.Resources).length });
  return startTemplate(pattern, template, opts);
}

export function unsupportedError(pattern: string, types: string[]): ArchctlError {
  return new ArchctlError(
    `the local cloud cannot run ${pattern}: unsupported resource type${types.length === 1 ? '' : 's'} ${types.join(', ')}`,
    'deploy it to AWS instead, or run a pattern whose resources the local cloud supports (archctl dev todo)',
  );
}

/** Brings up an already rendered template (checked with unsupportedTypes first). */
export async function startTemplate(pattern: string, template: CfnTemplate, opts: StartLocalStackOptions): Promise<LocalStack> {
  const unsupported = unsupportedTypes(template);
  if (unsupported.length > 0) throw unsupportedError(pattern, unsupported);
  const emit = opts.onEvent ?? (() => {});
  const region = opts.region ?? 'us-east-1';
  const name = opts.name ?? pattern;
  const values = stackValuesFor(template, name, region);
  const localDir = join(opts.dir, '.archctl', 'local');
  const resources = Object.entries(template.Resources);
  const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);

  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    const errors: unknown[] = [];
    for (const c of closers.splice(0).reverse()) {
      try {
        await c();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  };

  try {
    // Secrets: a random value per run (what GenerateSecretString would give).
    const secrets = new Map<string, string>();
    for (const [id] of ofType('AWS::SecretsManager::Secret')) secrets.set(values.refs[id]!, randomBytes(32).toString('hex'));

    // Functions: bundled where their externals (@aws-sdk/*) resolve from archctl's own node_modules.
    const handlersDir = opts.handlersDir ?? defaultHandlersDir;
    const bundleRoot = join(packageRoot, 'node_modules', '.cache', 'archctl-dev', `${process.pid}-${randomId(8)}`);
    closers.push(() => rmSync(bundleRoot, { recursive: true, force: true }));
    const plan = planPackage(template, pattern);
    const modulePaths: Record<string, string> = {};
    // allSettled: on a failure, every bundle has stopped writing before the cleanup removes the folder.
    const bundled = await Promise.allSettled(
      plan.functions.map(async (fn) => {
        emit({ type: 'bundling', logicalId: fn.logicalId, entry: `${pattern}/${fn.entry.split('/').pop()}` });
        // DAX_ENDPOINT is dropped locally (below), so the DAX client is never loaded: left out.
        const leaveOut = [...new Set([...fn.leaveOut, ...OPTIONAL_MODULES.filter((m) => m.env === 'DAX_ENDPOINT').map((m) => m.module)])];
        const { files } = await bundleHandler({ workDir: dirname(handlersDir), entry: join(handlersDir, fn.entry), target: fn.target, leaveOut });
        const out = join(bundleRoot, fn.logicalId);
        for (const file of files) {
          mkdirSync(dirname(join(out, file.name)), { recursive: true });
          writeFileSync(join(out, file.name), file.data);
        }
        modulePaths[fn.logicalId] = join(out, 'index.mjs');
      }),
    );
    const failed = bundled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;

    // DynamoDB on dynalite, in its own process.
    const dynamoPath = opts.persist ? join(localDir, 'dynamodb') : undefined;
    if (dynamoPath) mkdirSync(dynamoPath, { recursive: true });
    const dynamo = await startDynamoDB(dynamoPath ? { path: dynamoPath } : {});
    closers.push(() => dynamo.close());
    const dynamoEndpoint = dynamo.url;
    for (const [id, table] of ofType('AWS::DynamoDB::Table')) {
      const p = table.Properties ?? {};
      const spec: JsonObject = { TableName: values.refs[id]!, KeySchema: p.KeySchema ?? null, AttributeDefinitions: p.AttributeDefinitions ?? null, BillingMode: 'PAY_PER_REQUEST' };
      for (const key of ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes'] as const) {
        if (p[key] !== undefined) spec[key] = (p[key] as JsonObject[]).map(({ ProvisionedThroughput: _, ...rest }) => rest) as Json;
      }
      const res = await dynamoCall(dynamoEndpoint, 'CreateTable', spec);
      const type = String(res.json.__type ?? '');
      if (res.status !== 200 && !type.endsWith('ResourceInUseException')) {
        throw new ArchctlError(`cannot create table ${id} locally: ${String(res.json.message ?? type)}`, 'check the table KeySchema and AttributeDefinitions');
      }
    }
    emit({ type: 'started', service: 'dynamodb', url: dynamoEndpoint });

    // Cognito user pools and identity pools.
    const credentials = new CredentialStore();
    const clientsOf = (poolId: string): UserPoolClientConfig[] =>
      ofType('AWS::Cognito::UserPoolClient')
        .filter(([, c]) => targetOf(c.Properties?.UserPoolId) === poolId)
        .map(([clientId, c]) => userPoolClientFromTemplate(values.refs[clientId]!, c.Properties));
    const poolConfigs: UserPoolConfig[] = ofType('AWS::Cognito::UserPool').map(([id, pool]) => userPoolFromTemplate(values.refs[id]!, pool.Properties, clientsOf(id)));
    let userPool: LocalUserPool | undefined;
    if (poolConfigs.length > 0) {
      userPool = await startUserPool({
        pools: poolConfigs,
        onConfirmationCode: (e) => emit({ type: 'confirmation-code', username: e.username, code: e.code }),
        onTemporaryPassword: (e) => emit({ type: 'temporary-password', username: e.username, password: e.temporaryPassword }),
      });
      closers.push(() => userPool!.close());
      emit({ type: 'started', service: 'cognito-idp', url: userPool.url });
    }
    const poolOfLogical = (id: string) => values.refs[id]!;

    let identityPool: LocalIdentityPool | undefined;
    const identityPools = ofType('AWS::Cognito::IdentityPool');
    if (identityPools.length > 0) {
      const up = userPool;
      const pools = identityPools.map(([id, ip]) => {
        const attachment = ofType('AWS::Cognito::IdentityPoolRoleAttachment').find(([, a]) => targetOf(a.Properties?.IdentityPoolId) === id);
        const roles = attachment?.[1].Properties?.Roles as JsonObject | undefined;
        if (!roles?.authenticated) {
          throw new ArchctlError(`identity pool ${id} has no authenticated role attached`, 'add an AWS::Cognito::IdentityPoolRoleAttachment with Roles.authenticated');
        }
        const providers = ((ip.Properties?.CognitoIdentityProviders ?? []) as JsonObject[]).map((p) => {
          const clientLogical = targetOf(p.ClientId);
          const poolLogical = targetOf(p.ProviderName);
          if (!up || !clientLogical || !poolLogical || !values.refs[poolLogical]) {
            throw new ArchctlError(`identity pool ${id}: a provider is not a user pool of this template`, 'use { Ref: <UserPoolClient> } and { Fn::GetAtt: [<UserPool>, ProviderName] }');
          }
          const poolId = poolOfLogical(poolLogical);
          return { issuer: up.issuer(poolId), clientId: values.refs[clientLogical]!, jwks: () => up.jwks(poolId) };
        });
        return { id: values.refs[id]!, providers, authenticatedRoleArn: String(resolveIntrinsics(roles.authenticated, values)) };
      });
      identityPool = await startIdentityPool({ region, pools, credentials });
      closers.push(() => identityPool!.close());
      emit({ type: 'started', service: 'cognito-identity', url: identityPool.url });
    }

    // S3, with the identity pool's role policies enforced per caller.
    let s3: LocalS3 | undefined;
    const buckets = ofType('AWS::S3::Bucket').map(([id]) => values.refs[id]!);
    if (buckets.length > 0) {
      const roles = Object.fromEntries(authenticatedRolePolicies(template, values).map((r) => [r.roleArn, r.statements]));
      const s3Dir = opts.persist ? join(localDir, 's3') : undefined;
      if (s3Dir) mkdirSync(s3Dir, { recursive: true });
      s3 = await startS3({ buckets, roles, lookupCredentials: (key) => credentials.lookup(key), admin: LOCAL_CREDENTIALS, region, ...(s3Dir ? { directory: s3Dir } : {}) });
      closers.push(() => s3!.close());
      emit({ type: 'started', service: 's3', url: s3.url });
    }

    // Lambda functions behind the API.
    const functions: Record<string, LambdaFunctionConfig> = {};
    for (const [id] of ofType('AWS::Lambda::Function')) {
      const modulePath = modulePaths[id];
      if (!modulePath) continue; // inline code (custom resources): never invoked locally
      const config = functionConfigFromTemplate(template, id, values, {
        modulePath,
        dynamicReference: (service, key) => {
          if (service !== 'secretsmanager') return undefined;
          // <secret arn>:SecretString[:json-key...]: the whole string is all the templates use.
          const arn = [...secrets.keys()].find((a) => key === a || key.startsWith(`${a}:`));
          return arn === undefined ? undefined : secrets.get(arn);
        },
      });
      // No DAX locally: reads go to DynamoDB.
      delete config.environment?.DAX_ENDPOINT;
      functions[id] = config;
    }
    const authorizers: Record<string, CognitoAuthorizerConfig> = {};
    for (const [id, a] of ofType('AWS::ApiGateway::Authorizer')) {
      if (a.Properties?.Type !== 'COGNITO_USER_POOLS') continue;
      const poolLogical = targetOf(((a.Properties?.ProviderARNs ?? []) as Json[])[0]);
      const poolId = poolLogical ? values.refs[poolLogical] : undefined;
      if (!userPool || !poolLogical || !poolId || template.Resources[poolLogical]?.Type !== 'AWS::Cognito::UserPool') {
        throw new ArchctlError(`authorizer ${id} does not name a user pool of this template`, 'set ProviderARNs to [{ Fn::GetAtt: [<UserPool>, Arn] }]');
      }
      const up = userPool;
      // The authorizer reads JWKs as node's JsonWebKey; the pool's Jwk is the same JSON.
      const jwks = (() => up.jwks(poolId)) as unknown as CognitoAuthorizerConfig['jwks'];
      authorizers[id] = { issuer: up.issuer(poolId), jwks, clientIds: clientsOf(poolLogical).map((c) => c.id) };
    }
    const restApis = ofType('AWS::ApiGateway::RestApi');
    if (restApis.length > 1) throw new ArchctlError(`the template has ${restApis.length} REST APIs; the local cloud serves one`, 'keep one AWS::ApiGateway::RestApi');
    let api: LocalApi | undefined;
    if (restApis.length === 1) {
      api = await startApiOn(opts.port ?? 0, {
        template,
        stackValues: values,
        functions,
        authorizers,
        log: (line) => emit({ type: 'log', line }),
        lambda: {
          region,
          accountId: ACCOUNT_ID,
          log: (line) => emit({ type: 'log', line }),
          baseEnvironment: {
            AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
            ...(s3 ? { AWS_ENDPOINT_URL_S3: s3.url } : {}),
            AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
            AWS_REGION: region,
          },
        },
      });
      closers.push(() => api!.close());
      emit({ type: 'started', service: 'api', url: api.url });
    }
    if (!api) throw new ArchctlError(`${pattern} has no REST API to serve locally`, 'the local cloud runs patterns with an AWS::ApiGateway::RestApi');

    const outputs: Record<string, string> = {};
    for (const [key, output] of Object.entries(template.Outputs ?? {})) {
      const value = (output as JsonObject).Value;
      // The API's URL is the local server's, not execute-api's.
      const restApi = restApis[0]![0];
      if (JSON.stringify(value).includes(`\${${restApi}}`) || targetOf(value) === restApi) {
        outputs[key] = api.url;
        continue;
      }
      outputs[key] = String(resolveIntrinsics(value as Json, values));
    }
    if (userPool) outputs.CognitoEndpoint = userPool.url;
    if (identityPool) outputs.CognitoIdentityEndpoint = identityPool.url;
    if (s3) outputs.S3Endpoint = s3.url;
    outputs.DynamoDBEndpoint = dynamoEndpoint;
    return { outputs, api, close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}

/** startApi, with a port already in use said plainly. */
async function startApiOn(port: number, options: Parameters<typeof startApi>[0]): Promise<LocalApi> {
  try {
    return await startApi({ ...options, port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ArchctlError(`port ${port} is already in use`, 'stop what listens there, or pass --port with another port (0 picks a free one)');
    }
    throw err;
  }
}
