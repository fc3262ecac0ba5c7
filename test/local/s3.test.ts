import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPattern } from '../../src/actions/render.js';
import type { StackValues } from '../../src/core/intrinsics.js';
import { authenticatedRolePolicies, evaluatePolicy, startS3, type LocalS3, type LookedUpCredentials, type PolicyStatement } from '../../src/local/s3/index.js';

const REGION = 'us-east-1';
const BUCKET = 'todo-user-files-local';
const ROLE_ARN = 'arn:aws:iam::000000000000:role/todo-AuthenticatedUserRole';
const ID_A = 'us-east-1:0b6a8c0e-aaaa-4c1e-9d0f-000000000001';
const ID_B = 'us-east-1:0b6a8c0e-bbbb-4c1e-9d0f-000000000002';
const ADMIN = { accessKeyId: 'ARCHCTLADMIN', secretAccessKey: 'local-admin-secret' };

const values: StackValues = {
  refs: { UserFilesBucket: BUCKET, IdentityPool: 'us-east-1:pool' },
  attributes: { 'UserFilesBucket.Arn': `arn:aws:s3:::${BUCKET}`, 'AuthenticatedUserRole.Arn': ROLE_ARN },
  pseudo: { 'AWS::Region': REGION, 'AWS::Partition': 'aws', 'AWS::AccountId': '000000000000', 'AWS::URLSuffix': 'amazonaws.com' },
};

const issued = new Map<string, LookedUpCredentials>();
function fabricate(accessKeyId: string, identityId: string, expiresInMs = 3_600_000) {
  const creds = { secretAccessKey: `secret-${accessKeyId}`, sessionToken: `token-${accessKeyId}`, identityId, roleArn: ROLE_ARN, expiration: new Date(Date.now() + expiresInMs) };
  issued.set(accessKeyId, creds);
  return { accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken };
}

const credsA = fabricate('ASIALOCALUSERA', ID_A);
const credsB = fabricate('ASIALOCALUSERB', ID_B);
const credsExpired = fabricate('ASIALOCALEXPIRED', ID_A, -1000);

let s3: LocalS3;
let statements: PolicyStatement[];
const clients: S3Client[] = [];
function client(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): S3Client {
  const c = new S3Client({ region: REGION, endpoint: s3.url, forcePathStyle: true, credentials, maxAttempts: 1 });
  clients.push(c);
  return c;
}

/** SHA-256 / HMAC for @smithy/signature-v4, on node:crypto. */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.make();
  }
  private make(): Hash | Hmac {
    const bytes = (d: string | ArrayBuffer | ArrayBufferView) => (typeof d === 'string' ? Buffer.from(d) : ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d));
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? Buffer.from(data) : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.make();
  }
}

const encodeKey = (key: string) => key.split('/').map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');

/** A presigned URL made by AWS's own signer (not by the code under test), the way @aws-sdk/s3-request-presigner asks for it. */
async function presign(method: 'GET' | 'PUT', key: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, opts: { expiresIn?: number; signingDate?: Date } = {}): Promise<string> {
  const url = new URL(s3.url);
  const signer = new SignatureV4({ credentials, region: REGION, service: 's3', sha256: NodeSha256, uriEscapePath: false, applyChecksum: false });
  const signed = await signer.presign(
    { method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: `/${BUCKET}/${encodeKey(key)}`, query: {}, headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
    { expiresIn: opts.expiresIn ?? 300, ...(opts.signingDate ? { signingDate: opts.signingDate } : {}) },
  );
  const qs = Object.entries(signed.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
  return `${s3.url}${signed.path}?${qs}`;
}

/** Sends a header-signed request with a path exactly as given (no URL normalisation), via node:http. */
async function rawSigned(method: string, rawPath: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<{ status: number; body: string }> {
  const url = new URL(s3.url);
  const signer = new SignatureV4({ credentials, region: REGION, service: 's3', sha256: NodeSha256, uriEscapePath: false });
  const signed = await signer.sign({
    method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: rawPath, query: {},
    headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path: rawPath, headers: signed.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function failure(p: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as S3ServiceException;
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the request to fail');
}

const text = async (out: { Body?: { transformToString(): Promise<string> } }) => out.Body!.transformToString();

beforeAll(async () => {
  const { template } = renderPattern({ pattern: 'todo', parameters: {} });
  const roles = authenticatedRolePolicies(template, values);
  expect(roles).toHaveLength(1);
  statements = roles[0]!.statements;
  s3 = await startS3({
    buckets: [BUCKET],
    roles: Object.fromEntries(roles.map((r) => [r.roleArn, r.statements])),
    lookupCredentials: (id) => issued.get(id),
    admin: ADMIN,
    region: REGION,
  });
  const admin = client(ADMIN);
  await admin.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${ID_B}/secret.txt`, Body: 'B only' }));
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await s3?.close();
});

describe('policy derived from the rendered todo template', () => {
  it('is the AuthenticatedUserRole own-folder policy, with the identity variable left for the endpoint', () => {
    expect(statements).toEqual([
      { Sid: 'OwnObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `arn:aws:s3:::${BUCKET}/\${cognito-identity.amazonaws.com:sub}/*` },
      {
        Sid: 'ListOwnFolder', Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}`,
        Condition: { StringLike: { 's3:prefix': ['${cognito-identity.amazonaws.com:sub}/', '${cognito-identity.amazonaws.com:sub}/*'] } },
      },
    ]);
  });
});

describe('local S3 endpoint with identity-pool credentials', () => {
  it('lets a user put, get, list and delete in their own folder', async () => {
    const a = client(credsA);
    const key = `${ID_A}/notes/hello world+1.txt`;
    const events: string[] = [];
    const stop = s3.onEvent((e) => events.push(`${String(e.Records[0]?.['eventName'])} ${String((e.Records[0]?.['s3'] as { object: { key: string } }).object.key)}`));
    await a.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'hello from A', ContentType: 'text/plain' }));
    expect(await text(await a.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })))).toBe('hello from A');
    stop();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(/^ObjectCreated:Put /);
    expect((await a.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ContentLength).toBe(12);
    const listed = await a.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${ID_A}/` }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([key]);
    const deeper = await a.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${ID_A}/notes/` }));
    expect(deeper.KeyCount).toBe(1);
    await a.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    expect((await a.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${ID_A}/` }))).KeyCount).toBe(0);
  });

  it('decodes streaming (aws-chunked) uploads before storing them', async () => {
    const a = client(credsA);
    const key = `${ID_A}/streamed.bin`;
    const payload = Buffer.alloc(70_000, 'x');
    await a.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Readable.from([payload.subarray(0, 30_000), payload.subarray(30_000)]), ContentLength: payload.length }));
    const got = await a.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(payload)).toBe(true);
  });

  it("denies a user another user's folder and the bucket root", async () => {
    const a = client(credsA);
    expect(await failure(a.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${ID_B}/secret.txt` })))).toEqual({ name: 'AccessDenied', status: 403 });
    expect((await failure(a.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${ID_B}/secret.txt` })))).status).toBe(403);
    expect(await failure(a.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${ID_B}/planted.txt`, Body: 'x' })))).toEqual({ name: 'AccessDenied', status: 403 });
    expect(await failure(a.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${ID_B}/secret.txt` })))).toEqual({ name: 'AccessDenied', status: 403 });
    expect(await failure(a.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'top-level.txt', Body: 'x' })))).toEqual({ name: 'AccessDenied', status: 403 });
    for (const Prefix of [`${ID_B}/`, undefined, '', ID_A, `${ID_A}x/`]) {
      expect(await failure(a.send(new ListObjectsV2Command({ Bucket: BUCKET, ...(Prefix === undefined ? {} : { Prefix }) })))).toEqual({ name: 'AccessDenied', status: 403 });
    }
    expect(await failure(a.send(new CopyObjectCommand({ Bucket: BUCKET, Key: `${ID_A}/stolen.txt`, CopySource: `${BUCKET}/${encodeKey(`${ID_B}/secret.txt`)}` })))).toEqual({ name: 'AccessDenied', status: 403 });
    expect(await failure(a.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: `${ID_A}/mine.txt` }, { Key: `${ID_B}/secret.txt` }] } })))).toEqual({ name: 'AccessDenied', status: 403 });
    // B's object is untouched, and B can read it.
    expect(await text(await client(credsB).send(new GetObjectCommand({ Bucket: BUCKET, Key: `${ID_B}/secret.txt` })))).toBe('B only');
  });

  it('rejects bad signatures, unknown keys, expired credentials and missing or wrong session tokens', async () => {
    const get = (c: S3Client) => c.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${ID_A}/any.txt` }));
    expect(await failure(get(client({ ...credsA, secretAccessKey: 'wrong' })))).toEqual({ name: 'SignatureDoesNotMatch', status: 403 });
    expect(await failure(get(client({ accessKeyId: 'ASIANOBODY', secretAccessKey: 'x', sessionToken: 't' })))).toEqual({ name: 'InvalidAccessKeyId', status: 403 });
    // S3 answers an expired session token with 400 ExpiredToken.
    expect(await failure(get(client(credsExpired)))).toEqual({ name: 'ExpiredToken', status: 400 });
    expect(await failure(get(client({ accessKeyId: credsA.accessKeyId, secretAccessKey: credsA.secretAccessKey })))).toEqual({ name: 'InvalidToken', status: 400 });
    expect(await failure(get(client({ ...credsA, sessionToken: 'forged' })))).toEqual({ name: 'InvalidToken', status: 400 });
    const anonymous = await fetch(`${s3.url}/${BUCKET}/${encodeKey(`${ID_B}/secret.txt`)}`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('refuses unsafe keys with 400 before any policy is consulted', async () => {
    const a = client(credsA);
    for (const Key of [`${ID_A}/../${ID_B}/secret.txt`, `${ID_A}/./x`, `/${ID_A}/x`, `${ID_A}/a\\b`, `${ID_A}/nul\u0000`, `${ID_A}/%2e%2e%2f${ID_B}/secret.txt`]) {
      expect(await failure(a.send(new GetObjectCommand({ Bucket: BUCKET, Key }))), Key).toEqual({ name: 'InvalidArgument', status: 400 });
    }
    expect(await failure(a.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${ID_A}/${'k'.repeat(1100)}`, Body: 'x' })))).toEqual({ name: 'KeyTooLongError', status: 400 });
    // The same traversal sent raw over the wire, percent-encoded once.
    for (const path of [`/${BUCKET}/${encodeKey(ID_A)}/%2e%2e%2f${encodeKey(ID_B)}/secret.txt`, `/${BUCKET}/${encodeKey(ID_A)}/..%2F${encodeKey(ID_B)}/secret.txt`, `/${BUCKET}/${encodeKey(ID_A)}/%2E%2E/${encodeKey(ID_B)}/secret.txt`]) {
      const res = await rawSigned('GET', path, credsA);
      expect(res.status, path).toBe(400);
      expect(res.body).toContain('<Code>InvalidArgument</Code>');
    }
  });

  it('serves presigned GET and PUT URLs for the own folder and rejects tampered or foreign ones', async () => {
    const key = `${ID_A}/presigned.txt`;
    const put = await fetch(await presign('PUT', key, credsA), { method: 'PUT', body: 'via presigned PUT' });
    expect(put.status).toBe(200);
    const url = await presign('GET', key, credsA);
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('via presigned PUT');

    const tamperedSig = url.replace(/X-Amz-Signature=([0-9a-f])/, (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`);
    const bad = await fetch(tamperedSig);
    expect(bad.status).toBe(403);
    expect(await bad.text()).toContain('<Code>SignatureDoesNotMatch</Code>');

    const retargeted = await fetch(url.replace(encodeKey(ID_A), encodeKey(ID_B)).replace('presigned.txt', 'secret.txt'));
    expect(retargeted.status).toBe(403);

    const foreign = await fetch(await presign('GET', `${ID_B}/secret.txt`, credsA));
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('<Code>AccessDenied</Code>');

    const expired = await fetch(await presign('GET', key, credsA, { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) }));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
  });

  it('lets the admin credential bypass the policy, still checking its signature', async () => {
    const admin = client(ADMIN);
    const all = await admin.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(all.Contents?.map((o) => o.Key)).toContain(`${ID_B}/secret.txt`);
    expect(await failure(client({ ...ADMIN, secretAccessKey: 'nope' }).send(new ListObjectsV2Command({ Bucket: BUCKET })))).toEqual({ name: 'SignatureDoesNotMatch', status: 403 });
  });
});

describe('policy evaluator', () => {
  const ctx = { 'cognito-identity.amazonaws.com:sub': 'id-1' };
  it('lets an explicit Deny win and treats unknown variables and operators as never widening access', () => {
    const s: PolicyStatement[] = [
      { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' },
      { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::b/${cognito-identity.amazonaws.com:sub}/keep/*' },
    ];
    expect(evaluatePolicy(s, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/x', context: ctx })).toBe('Allow');
    expect(evaluatePolicy(s, { action: 'S3:deleteobject', resource: 'arn:aws:s3:::b/id-1/keep/f', context: ctx })).toBe('ExplicitDeny');
    expect(evaluatePolicy([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/${aws:username}/*' }], { action: 's3:GetObject', resource: 'arn:aws:s3:::b/${aws:username}/x', context: ctx })).toBe('ImplicitDeny');
    expect(evaluatePolicy([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } }], { action: 's3:GetObject', resource: 'x', context: ctx })).toBe('ImplicitDeny');
    expect(evaluatePolicy([{ Effect: 'Allow', NotAction: 's3:Delete*', Resource: '*' }], { action: 's3:DeleteObject', resource: 'x', context: ctx })).toBe('ImplicitDeny');
    expect(evaluatePolicy([{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { StringLikeIfExists: { 's3:prefix': 'id-1/*' } } }], { action: 's3:ListBucket', resource: 'x', context: ctx })).toBe('Allow');
  });
});

describe('shutdown', () => {
  it('close() stops the proxy and s3rver', async () => {
    const other = await startS3({ buckets: ['b-shutdown'], roles: {}, lookupCredentials: () => undefined, region: REGION });
    const res = await fetch(`${other.url}/b-shutdown`);
    expect(res.status).toBe(403);
    await other.close();
    await expect(fetch(`${other.url}/b-shutdown`)).rejects.toThrow();
  });
});
