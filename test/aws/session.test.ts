// The AWS edge: retries, error mapping, regions, profiles and endpoints.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { iamAction, toArchctlError } from '../../src/aws/errors.js';
import { backoff, isThrottling, isTransient, withRetry } from '../../src/aws/retry.js';
import { resolveRegion } from '../../src/aws/session.js';
import { AWS_REGIONS, checkRegion } from '../../src/core/regions.js';
import { awsError } from '../support/aws.js';
import { runCli } from '../support/run-cli.js';

const site = { operation: 'CloudFormation:DescribeStacks', region: 'eu-west-1' };

describe('retry', () => {
  it('GIVEN throttling and transient faults THEN they are retryable; client errors are not', () => {
    expect(isThrottling(awsError('Throttling', 'Rate exceeded'))).toBe(true);
    expect(isThrottling(awsError('SlowDown', 'Reduce your request rate', 503))).toBe(true);
    expect(isThrottling(awsError('Whatever', 'x', 429))).toBe(true);
    expect(isTransient(awsError('InternalFailure', 'x', 500))).toBe(true);
    expect(isTransient(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isTransient(awsError('ValidationError', 'bad', 400))).toBe(false);
    expect(isTransient(awsError('AccessDenied', 'no', 403))).toBe(false);
  });

  it('GIVEN attempt numbers THEN the backoff window doubles up to its cap (full jitter scales it)', () => {
    const o = { baseMs: 300, capMs: 20_000, random: () => 1 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoff(n, o))).toEqual([300, 600, 1200, 2400, 4800, 9600, 19200, 20000]);
    expect(backoff(3, { ...o, random: () => 0.5 })).toBe(600);
  });

  it('GIVEN a call throttled until the attempts run out THEN the last error is thrown after attempts-1 waits', async () => {
    const waits: number[] = [];
    let calls = 0;
    const fail = () => {
      calls++;
      return Promise.reject(awsError('Throttling', 'Rate exceeded'));
    };
    await expect(withRetry(fail, { attempts: 4, baseMs: 10, capMs: 100, random: () => 1, sleep: async (ms) => void waits.push(ms) })).rejects.toMatchObject({ name: 'Throttling' });
    expect(calls).toBe(4);
    expect(waits).toEqual([10, 20, 40]);
  });

  it('GIVEN a client error THEN no retry at all', async () => {
    let calls = 0;
    await expect(
      withRetry(() => (calls++, Promise.reject(awsError('ValidationError', 'bad'))), { attempts: 5, baseMs: 1, capMs: 1, random: () => 1, sleep: async () => {} }),
    ).rejects.toBeDefined();
    expect(calls).toBe(1);
  });
});

describe('AWS errors become one line with a fix', () => {
  const credentials = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
  it.each([
    ['no credentials', credentials, 'no AWS credentials found', /aws configure/],
    ['expired token', awsError('ExpiredToken', 'The security token included in the request is expired'), /^the AWS credentials have expired/, /aws sso login/],
    ['expired SSO session', new Error('The SSO session associated with this profile has expired or is otherwise invalid'), /^the AWS credentials have expired/, /aws sso login/],
    ['expired SSO session from the provider chain', Object.assign(new Error('The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login'), { name: 'CredentialsProviderError' }), /^the AWS credentials have expired/, /aws sso login/],
    ['a function busy with another update', awsError('ResourceConflictException', 'The operation cannot be performed at this time. An update is in progress for resource'), /another update is running/, /wait a minute/],
    ['the artifact bucket deleted', awsError('NoSuchBucket', 'The specified bucket does not exist', 404), /^the artifact bucket is gone/, /archctl bootstrap --region eu-west-1/],
    ['rejected key', awsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403), /^AWS rejected the credentials/, /get-caller-identity/],
    ['access denied', awsError('AccessDenied', 'not authorized', 403), /^access denied: CloudFormation:DescribeStacks in eu-west-1/, /cloudformation:DescribeStacks/],
    ['unknown host', Object.assign(new Error('getaddrinfo ENOTFOUND cloudformation.xx-east-9.amazonaws.com'), { code: 'ENOTFOUND', hostname: 'cloudformation.xx-east-9.amazonaws.com' }), /^cannot reach the AWS endpoint for CloudFormation/, /region/],
    ['refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), /connection refused$/, /AWS_ENDPOINT_URL/],
    ['still throttled', awsError('Throttling', 'Rate exceeded'), /still throttled after several retries/, /wait a minute/],
    ['anything else', awsError('ValidationError', 'Template format error: JSON not well-formed.\nline 2'), 'CloudFormation:DescribeStacks failed: ValidationError: Template format error: JSON not well-formed.', /--verbose/],
  ])('GIVEN %s THEN a single line and a fix', (_, err, message, fix) => {
    const e = toArchctlError(err, { ...site, profile: undefined });
    if (typeof message === 'string') expect(e.message).toBe(message);
    else expect(e.message).toMatch(message);
    expect(e.fix).toMatch(fix);
    expect(e.message).not.toContain('\n');
    expect(e.exitCode).toBe(1);
  });

  it('GIVEN a profile THEN the fixes name it', () => {
    const credentials2 = Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' });
    expect(toArchctlError(credentials2, { ...site, profile: 'prod' })).toMatchObject({ message: 'no AWS credentials found for profile prod', fix: expect.stringContaining('--profile prod') });
  });

  it('maps SDK service names to IAM prefixes', () => {
    expect(iamAction('CloudWatchLogs:FilterLogEvents')).toBe('logs:FilterLogEvents');
    expect(iamAction('CognitoIdentityProvider:AdminCreateUser')).toBe('cognito-idp:AdminCreateUser');
    expect(iamAction('S3:PutObject')).toBe('s3:PutObject');
    expect(iamAction('S3:HeadObject')).toBe('s3:GetObject and s3:ListBucket');
  });
});

describe('regions', () => {
  it("GIVEN the pinned SDK THEN archctl's region list is exactly its partition table", () => {
    const text = readFileSync(join(import.meta.dirname, '../../node_modules/@aws-sdk/core/dist-cjs/submodules/client/index.js'), 'utf8');
    const start = text.indexOf('const partitionsInfo = ') + 'const partitionsInfo = '.length;
    const info = JSON.parse(text.slice(start, text.indexOf('\n};', start) + 2)) as { partitions: { regions: Record<string, unknown> }[] };
    const sdk = info.partitions.flatMap((p) => Object.keys(p.regions)).filter((r) => !r.startsWith('aws-'));
    expect([...AWS_REGIONS].sort()).toEqual(sdk.sort());
  });

  it('GIVEN a typo THEN exit 1 naming where it came from, and the nearest region is suggested', () => {
    expect(() => checkRegion('eu-west-9', '--region')).toThrow(expect.objectContaining({ exitCode: 1, message: 'unknown AWS region "eu-west-9" (from --region)', fix: 'use a region code such as eu-west-1' }));
    expect(() => checkRegion('us-est-1', 'AWS_REGION')).toThrow(expect.objectContaining({ exitCode: 1, fix: 'use a region code such as us-east-1' }));
    expect(checkRegion('ap-southeast-7', '--region')).toBe('ap-southeast-7');
  });

  describe('resolution order: --region, archctl.json, AWS_REGION, the profile', () => {
    let dir: string;
    const saved = { ...process.env };
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'archctl-aws-config-'));
      writeFileSync(join(dir, 'config'), '[default]\nregion = sa-east-1\n\n[profile tokyo]\nregion = ap-northeast-1\n\n[profile none]\noutput = json\n');
      process.env.AWS_CONFIG_FILE = join(dir, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials-absent');
      delete process.env.AWS_REGION;
      delete process.env.AWS_DEFAULT_REGION;
      delete process.env.AWS_PROFILE;
    });
    afterAll(() => {
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
    });

    it('takes the first that is set', async () => {
      const env = { AWS_REGION: 'us-west-2' };
      expect(await resolveRegion({ flag: 'eu-north-1', project: 'eu-west-2', env, profile: 'tokyo' })).toBe('eu-north-1');
      expect(await resolveRegion({ project: 'eu-west-2', env, profile: 'tokyo' })).toBe('eu-west-2');
      expect(await resolveRegion({ env, profile: 'tokyo' })).toBe('us-west-2');
      expect(await resolveRegion({ env: {}, profile: 'tokyo' })).toBe('ap-northeast-1');
      expect(await resolveRegion({ env: {} })).toBe('sa-east-1');
    });

    it('GIVEN a profile without a region and nothing else THEN one line saying how to give one', async () => {
      await expect(resolveRegion({ env: {}, profile: 'none' })).rejects.toMatchObject({ message: 'no AWS region given and profile none names none', fix: expect.stringContaining('--region') });
    });
  });
});

describe('AWS_ENDPOINT_URL', () => {
  let server: Server;
  let seen: { url: string; body: string; auth: string }[];
  afterEach(() => new Promise<void>((r) => server.close(() => r())));

  it('GIVEN AWS_ENDPOINT_URL WHEN archctl outputs runs THEN the SDK sends the signed call there, and the answer is printed', async () => {
    seen = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', body, auth: String(req.headers.authorization ?? '') });
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          '<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>' +
            '<StackName>demo-dev</StackName><StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/demo-dev/1</StackId><StackStatus>CREATE_COMPLETE</StackStatus>' +
            '<CreationTime>2026-11-28T12:00:00Z</CreationTime><Outputs><member><OutputKey>ApiUrl</OutputKey><OutputValue>https://example.test/prod</OutputValue></member>' +
            '<member><OutputKey>ArchctlDeployHash</OutputKey><OutputValue>abc</OutputValue></member></Outputs></member></Stacks></DescribeStacksResult>' +
            '<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></DescribeStacksResponse>',
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    // runCli is synchronous: run it in a worker-free way by letting the server answer from this process's event loop.
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../bin/archctl.js'), 'outputs', '--stack-name', 'demo-dev', '--region', 'eu-west-1'], {
      env: { PATH: process.env.PATH, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe('ApiUrl  https://example.test/prod\n');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.body).toContain('Action=DescribeStacks');
    expect(seen[0]!.body).toContain('StackName=demo-dev');
    expect(seen[0]!.auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/cloudformation\/aws4_request/);
  });

  it('GIVEN --profile WHEN the CLI calls AWS THEN it signs with that profile\'s keys and takes its region', async () => {
    seen = [];
    const dir = mkdtempSync(join(tmpdir(), 'archctl-profile-'));
    writeFileSync(join(dir, 'credentials'), '[tester]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s3cret\n');
    writeFileSync(join(dir, 'config'), '[profile tester]\nregion = ap-south-1\n');
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', body: '', auth: String(req.headers.authorization ?? '') });
      res.writeHead(400, { 'content-type': 'text/xml' });
      res.end('<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id demo-dev does not exist</Message></Error><RequestId>r</RequestId></ErrorResponse>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../bin/archctl.js'), 'outputs', '--stack-name', 'demo-dev', '--profile', 'tester'], {
      env: { PATH: process.env.PATH, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') },
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    rmSync(dir, { recursive: true, force: true });
    expect(seen[0]!.auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDPROFILE\/\d{8}\/ap-south-1\/cloudformation\/aws4_request/);
    expect(code).toBe(1);
    expect(err).toMatch(/^error: no stack demo-dev in ap-south-1 /);
  });

  it('GIVEN AWS_ENDPOINT_URL pointing at a closed port THEN one line naming AWS_ENDPOINT_URL, no half-minute of retries', () => {
    const r = runCli(['outputs', '--stack-name', 'demo-dev', '--region', 'eu-west-1'], {
      env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_CONFIG_FILE: '/nonexistent' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: cannot connect to the CloudFormation endpoint in eu-west-1: connection refused (fix: check AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_<SERVICE>) if set, and the network)\n');
  });
});
