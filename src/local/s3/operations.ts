import { S3Error } from './errors.js';
import { decodeComponent } from './sigv4.js';

/** What one request asks IAM for: each action on each resource must be allowed. */
export interface S3Operation {
  bucket: string | undefined;
  key: string | undefined;
  checks: Array<{ action: string; resource: string }>;
  /** Request-specific condition keys (s3:prefix, s3:delimiter, s3:max-keys). */
  context: Record<string, string>;
}

const MAX_KEY_BYTES = 1024;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Keys that could escape a folder on this endpoint or on a filesystem-backed
 * store are refused before any policy is consulted: dot segments, a leading
 * slash, backslashes, control characters, and the same after a second
 * decoding (double-encoded traversal).
 */
export function checkObjectKey(key: string): void {
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new S3Error('KeyTooLongError', 'Your key is too long', { MaxSizeAllowed: String(MAX_KEY_BYTES) });
  const unsafe = (k: string) =>
    k.startsWith('/') || k.includes('\\') || /[\u0000-\u001f\u007f]/.test(k) || k.split('/').some((s) => s === '.' || s === '..');
  let twice = key;
  try {
    twice = decodeURIComponent(key);
  } catch {
    // Not decodable a second time: it is only checked as it is.
  }
  if (key === '' || unsafe(key) || unsafe(twice)) {
    throw new S3Error('InvalidArgument', 'Object key is not allowed: no empty key, leading "/", "." or ".." segments, backslashes or control characters.', {
      ArgumentName: 'key',
    });
  }
}

const SUBRESOURCES = [
  'acl', 'accelerate', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'intelligent-tiering', 'inventory',
  'legal-hold', 'lifecycle', 'location', 'logging', 'metrics', 'notification', 'object-lock', 'ownershipControls',
  'policy', 'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment', 'restore', 'retention', 'select',
  'tagging', 'torrent', 'uploadId', 'uploads', 'versioning', 'versions', 'website',
];

const BUCKET_ACTIONS: Record<string, Record<string, string>> = {
  GET: {
    '': 's3:ListBucket', uploads: 's3:ListBucketMultipartUploads', versions: 's3:ListBucketVersions', location: 's3:GetBucketLocation',
    acl: 's3:GetBucketAcl', cors: 's3:GetBucketCORS', policy: 's3:GetBucketPolicy', versioning: 's3:GetBucketVersioning',
    website: 's3:GetBucketWebsite', tagging: 's3:GetBucketTagging', lifecycle: 's3:GetLifecycleConfiguration',
    encryption: 's3:GetEncryptionConfiguration', logging: 's3:GetBucketLogging', notification: 's3:GetBucketNotification',
  },
  HEAD: { '': 's3:ListBucket' },
  PUT: {
    '': 's3:CreateBucket', acl: 's3:PutBucketAcl', cors: 's3:PutBucketCORS', policy: 's3:PutBucketPolicy', versioning: 's3:PutBucketVersioning',
    website: 's3:PutBucketWebsite', tagging: 's3:PutBucketTagging', lifecycle: 's3:PutLifecycleConfiguration',
    encryption: 's3:PutEncryptionConfiguration', logging: 's3:PutBucketLogging', notification: 's3:PutBucketNotification',
  },
  DELETE: {
    '': 's3:DeleteBucket', cors: 's3:PutBucketCORS', policy: 's3:DeleteBucketPolicy', website: 's3:DeleteBucketWebsite',
    tagging: 's3:PutBucketTagging', lifecycle: 's3:PutLifecycleConfiguration',
  },
};

function objectAction(method: string, q: Map<string, string>): string {
  const has = (k: string) => q.has(k);
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (has('uploadId')) return 's3:ListMultipartUploadParts';
      if (has('acl')) return has('versionId') ? 's3:GetObjectVersionAcl' : 's3:GetObjectAcl';
      if (has('tagging')) return has('versionId') ? 's3:GetObjectVersionTagging' : 's3:GetObjectTagging';
      if (has('attributes')) return has('versionId') ? 's3:GetObjectVersionAttributes' : 's3:GetObjectAttributes';
      if (SUBRESOURCES.some((s) => s !== 'versionId' && has(s))) break;
      return has('versionId') ? 's3:GetObjectVersion' : 's3:GetObject';
    case 'PUT':
      if (has('acl')) return has('versionId') ? 's3:PutObjectVersionAcl' : 's3:PutObjectAcl';
      if (has('tagging')) return has('versionId') ? 's3:PutObjectVersionTagging' : 's3:PutObjectTagging';
      if (has('uploadId') || !SUBRESOURCES.some(has)) return 's3:PutObject';
      break;
    case 'POST':
      if (has('uploads') || has('uploadId')) return 's3:PutObject';
      if (has('restore')) return 's3:RestoreObject';
      break;
    case 'DELETE':
      if (has('uploadId')) return 's3:AbortMultipartUpload';
      if (has('tagging')) return has('versionId') ? 's3:DeleteObjectVersionTagging' : 's3:DeleteObjectTagging';
      if (SUBRESOURCES.some((s) => s !== 'versionId' && has(s))) break;
      return has('versionId') ? 's3:DeleteObjectVersion' : 's3:DeleteObject';
  }
  // No IAM action matches this request: only a policy allowing s3:* (or *) lets it through.
  return 's3:UnsupportedObjectOperation';
}

const unescapeXml = (s: string): string =>
  s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#') ? String.fromCodePoint(parseInt(e.slice(1), 10))
      : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!,
  );

/** Keys named in a DeleteObjects body. */
export function deleteObjectsKeys(body: Buffer): string[] {
  const xml = body.toString('utf8');
  if (!/<Delete[\s>]/.test(xml)) throw new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  return [...xml.matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map((m) => unescapeXml(m[1]!));
}

export interface OperationRequest {
  method: string;
  rawPath: string;
  /** Decoded query parameters. */
  query: Map<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  partition: string;
}

/** Maps a path-style S3 request to the IAM actions and resources it needs. */
export function classify(req: OperationRequest): S3Operation {
  const arn = (resource: string) => `arn:${req.partition}:s3:::${resource}`;
  const path = req.rawPath.startsWith('/') ? req.rawPath.slice(1) : req.rawPath;
  const slash = path.indexOf('/');
  const bucket = decodeComponent(slash < 0 ? path : path.slice(0, slash));
  const rawKey = slash < 0 ? '' : path.slice(slash + 1);
  const context: Record<string, string> = {};
  if (bucket === '') {
    return { bucket: undefined, key: undefined, checks: [{ action: req.method === 'GET' ? 's3:ListAllMyBuckets' : 's3:UnsupportedServiceOperation', resource: '*' }], context };
  }
  if (!BUCKET_NAME.test(bucket)) throw new S3Error('InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucket });
  if (rawKey === '') {
    const sub = SUBRESOURCES.find((s) => req.query.has(s)) ?? '';
    if (req.method === 'POST' && sub === 'delete') {
      const keys = deleteObjectsKeys(req.body);
      keys.forEach(checkObjectKey);
      return { bucket, key: undefined, checks: keys.map((k) => ({ action: 's3:DeleteObject', resource: arn(`${bucket}/${k}`) })), context };
    }
    const action = BUCKET_ACTIONS[req.method]?.[sub] ?? 's3:UnsupportedBucketOperation';
    if (action === 's3:ListBucket' || action === 's3:ListBucketVersions') {
      for (const [param, key] of [['prefix', 's3:prefix'], ['delimiter', 's3:delimiter'], ['max-keys', 's3:max-keys']] as const) {
        const value = req.query.get(param);
        if (value !== undefined) context[key] = value;
      }
    }
    return { bucket, key: undefined, checks: [{ action, resource: arn(bucket) }], context };
  }
  const key = decodeComponent(rawKey);
  checkObjectKey(key);
  const checks = [{ action: objectAction(req.method, req.query), resource: arn(`${bucket}/${key}`) }];
  const copySource = req.headers['x-amz-copy-source'];
  if (typeof copySource === 'string' && (req.method === 'PUT')) {
    const source = decodeComponent(copySource.split('?')[0]!.replace(/^\//, ''));
    const sourceSlash = source.indexOf('/');
    if (sourceSlash <= 0) throw new S3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', { ArgumentName: 'x-amz-copy-source' });
    checkObjectKey(source.slice(sourceSlash + 1));
    checks.push({ action: copySource.includes('?versionId=') ? 's3:GetObjectVersion' : 's3:GetObject', resource: arn(source) });
  }
  return { bucket, key, checks, context };
}
