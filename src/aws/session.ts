import { createRequire } from 'node:module';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import { ArchctlError } from '../core/errors.js';
import { checkRegion } from '../core/regions.js';
import { toArchctlError } from './errors.js';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry.js';

// Each SDK client package takes about one node start-up to load; a command
// loads only those it uses (outputs: CloudFormation alone), on first use.
// require() keeps the getters synchronous; the packages are CommonJS (no
// "exports" map), so this is the same module instance an import would give,
// and the one aws-sdk-client-mock patches in tests.
const load = createRequire(import.meta.url);
const sdk = {
  cloudFormation: () => load('@aws-sdk/client-cloudformation') as typeof import('@aws-sdk/client-cloudformation'),
  logs: () => load('@aws-sdk/client-cloudwatch-logs') as typeof import('@aws-sdk/client-cloudwatch-logs'),
  cognitoIdentity: () => load('@aws-sdk/client-cognito-identity') as typeof import('@aws-sdk/client-cognito-identity'),
  cognitoIdp: () => load('@aws-sdk/client-cognito-identity-provider') as typeof import('@aws-sdk/client-cognito-identity-provider'),
  lambda: () => load('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda'),
  s3: () => load('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3'),
  sts: () => load('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts'),
  cloudFront: () => load('@aws-sdk/client-cloudfront') as typeof import('@aws-sdk/client-cloudfront'),
  cloudWatch: () => load('@aws-sdk/client-cloudwatch') as typeof import('@aws-sdk/client-cloudwatch'),
  ec2: () => load('@aws-sdk/client-ec2') as typeof import('@aws-sdk/client-ec2'),
  elbv2: () => load('@aws-sdk/client-elastic-load-balancing-v2') as typeof import('@aws-sdk/client-elastic-load-balancing-v2'),
  secretsManager: () => load('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager'),
};

export interface SessionOptions {
  region: string;
  /** A named profile of ~/.aws/config; the SDK's default chain when absent. */
  profile?: string | undefined;
  retry?: Partial<RetryOptions>;
  /** Told about each throttled or failed attempt that will be retried. */
  onRetry?: (operation: string, err: unknown, waitMs: number) => void;
}

/**
 * The only place SDK clients are built (DESIGN.md). Credentials come from the
 * SDK's default provider chain (env, SSO, profiles, web identity, container,
 * instance metadata) or --profile; AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_<SERVICE> are honoured by the SDK itself. Every call goes
 * through `call`, which retries throttling with backoff and maps errors to
 * one line with a fix.
 */
export class AwsSession {
  /** Every API call attempted, as "Service:Operation", in order: what the bench counts. */
  readonly calls: string[] = [];
  private readonly clients = new Map<string, unknown>();
  private readonly retry: RetryOptions;

  constructor(readonly options: SessionOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  get region(): string {
    return this.options.region;
  }

  get profile(): string | undefined {
    return this.options.profile;
  }

  private client<T>(key: string, make: (config: ClientConfig) => T): T {
    let c = this.clients.get(key) as T | undefined;
    if (!c) {
      // One SDK attempt: our retry wraps every call (see retry.ts).
      c = make({ region: this.region, maxAttempts: 1, ...(this.profile ? { profile: this.profile } : {}) });
      this.clients.set(key, c);
    }
    return c;
  }

  get cloudFormation(): CloudFormationClient {
    return this.client('cfn', (c) => new (sdk.cloudFormation().CloudFormationClient)(c));
  }
  get s3(): S3Client {
    return this.client('s3', (c) => new (sdk.s3().S3Client)(c));
  }
  get lambda(): LambdaClient {
    return this.client('lambda', (c) => new (sdk.lambda().LambdaClient)(c));
  }
  get logs(): CloudWatchLogsClient {
    return this.client('logs', (c) => new (sdk.logs().CloudWatchLogsClient)(c));
  }
  get sts(): STSClient {
    return this.client('sts', (c) => new (sdk.sts().STSClient)(c));
  }
  get cognitoIdp(): CognitoIdentityProviderClient {
    return this.client('cognito-idp', (c) => new (sdk.cognitoIdp().CognitoIdentityProviderClient)(c));
  }
  /** CloudFront's control plane is global: its API lives in us-east-1 whatever the session's region. */
  get cloudFront(): CloudFrontClient {
    return this.client('cloudfront', (c) => new (sdk.cloudFront().CloudFrontClient)({ ...c, region: 'us-east-1' }));
  }
  /** CloudFront's metrics are published in us-east-1. */
  get cloudWatchUsEast1(): CloudWatchClient {
    return this.client('cloudwatch-us-east-1', (c) => new (sdk.cloudWatch().CloudWatchClient)({ ...c, region: 'us-east-1' }));
  }
  get ec2(): EC2Client {
    return this.client('ec2', (c) => new (sdk.ec2().EC2Client)(c));
  }
  get elbv2(): ElasticLoadBalancingV2Client {
    return this.client('elbv2', (c) => new (sdk.elbv2().ElasticLoadBalancingV2Client)(c));
  }
  get secretsManager(): SecretsManagerClient {
    return this.client('secretsmanager', (c) => new (sdk.secretsManager().SecretsManagerClient)(c));
  }
  get cognitoIdentity(): CognitoIdentityClient {
    return this.client('cognito-identity', (c) => new (sdk.cognitoIdentity().CognitoIdentityClient)(c));
  }

  /** Runs one API call with retries; failures become an ArchctlError naming the operation. */
  async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.attempt(operation, fn);
    } catch (err) {
      throw toArchctlError(err, { operation, region: this.region, profile: this.profile });
    }
  }

  /** Like call, but an error `expected` accepts (a stack that does not exist, a missing object) gives undefined. */
  async tryCall<T>(operation: string, fn: () => Promise<T>, expected: (err: unknown) => boolean): Promise<T | undefined> {
    try {
      return await this.attempt(operation, fn);
    } catch (err) {
      if (expected(err)) return undefined;
      throw toArchctlError(err, { operation, region: this.region, profile: this.profile });
    }
  }

  /** Waits between polls with the session's clock, so tests run instantly. */
  sleep(ms: number): Promise<void> {
    return this.retry.sleep(ms);
  }

  private attempt<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(
      () => {
        this.calls.push(operation);
        return fn();
      },
      this.retry,
      (err, wait) => this.options.onRetry?.(operation, err, wait),
    );
  }

  destroy(): void {
    for (const c of this.clients.values()) (c as { destroy(): void }).destroy();
    this.clients.clear();
  }
}

interface ClientConfig {
  region: string;
  maxAttempts: number;
  profile?: string;
}

export interface RegionSources {
  flag?: string | undefined;
  project?: string | undefined;
  env: NodeJS.ProcessEnv;
  profile?: string | undefined;
}

/**
 * --region, else the project's region (archctl.json), else AWS_REGION, else
 * the profile's region in ~/.aws/config. Each is checked against the known
 * regions, so a typo fails before any call.
 */
export async function resolveRegion(s: RegionSources): Promise<string> {
  if (s.flag) return checkRegion(s.flag, '--region');
  if (s.project) return checkRegion(s.project, 'archctl.json');
  if (s.env.AWS_REGION) return checkRegion(s.env.AWS_REGION, 'AWS_REGION');
  const sts = new (sdk.sts().STSClient)(s.profile ? { profile: s.profile } : {});
  try {
    const region = await sts.config.region();
    return checkRegion(region, s.profile ? `profile ${s.profile}` : 'the default profile');
  } catch (err) {
    if (err instanceof ArchctlError) throw err;
    throw new ArchctlError(
      `no AWS region given${s.profile ? ` and profile ${s.profile} names none` : ''}`,
      `pass --region (for example --region eu-west-1), set AWS_REGION, or add region to the profile in ~/.aws/config`,
    );
  } finally {
    sts.destroy();
  }
}
