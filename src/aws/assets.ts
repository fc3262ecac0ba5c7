import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { AwsSession } from './session.js';

const isNotFound = (err: unknown): boolean => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
};

/**
 * Uploads an object whose key names its content (a hash), unless it is there
 * already: one HeadObject when it is, one more PutObject when it is not. The
 * SHA-256 checksum makes S3 reject a body damaged on the way.
 *
 * The artifact bucket expires objects some days after upload. A zip reused
 * by deploy after deploy would otherwise vanish while the stack still names
 * it, and a later rollback to it would fail; so one older than `refreshAfterMs`
 * is uploaded again, which restarts its clock.
 */
export async function uploadIfMissing(
  s: AwsSession,
  o: { bucket: string; key: string; body: Uint8Array; contentType: string; sha256Base64: string; refreshAfterMs: number; now: number },
): Promise<'present' | 'uploaded' | 'refreshed'> {
  const head = await s.tryCall('S3:HeadObject', () => s.s3.send(new HeadObjectCommand({ Bucket: o.bucket, Key: o.key })), isNotFound);
  const age = head?.LastModified ? o.now - head.LastModified.getTime() : 0;
  if (head && age <= o.refreshAfterMs) return 'present';
  await s.call('S3:PutObject', () =>
    s.s3.send(new PutObjectCommand({ Bucket: o.bucket, Key: o.key, Body: o.body, ContentType: o.contentType, ChecksumSHA256: o.sha256Base64 })),
  );
  return head ? 'refreshed' : 'uploaded';
}

/** The DNS suffix of each partition's S3 endpoints (the SDK's partition table, dnsSuffix). */
const SUFFIXES: [RegExp, string][] = [
  [/^cn-/, 'amazonaws.com.cn'],
  [/^us-isob-/, 'sc2s.sgov.gov'],
  [/^us-isof-/, 'csp.hci.ic.gov'],
  [/^us-iso-/, 'c2s.ic.gov'],
  [/^eu-isoe-/, 'cloud.adc-e.uk'],
  [/^eusc-/, 'amazonaws.eu'],
];

/**
 * The URL CloudFormation reads a template from: the region's S3 endpoint,
 * virtual-hosted style; or, when AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL
 * points archctl at an AWS-compatible endpoint, that endpoint, path style.
 */
export function objectUrl(bucket: string, region: string, key: string, env: NodeJS.ProcessEnv = process.env): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  if (endpoint) return `${endpoint.replace(/\/+$/, '')}/${bucket}/${path}`;
  const suffix = SUFFIXES.find(([re]) => re.test(region))?.[1] ?? 'amazonaws.com';
  return `https://${bucket}.s3.${region}.${suffix}/${path}`;
}
