import { ArchctlError } from '../core/errors.js';
import { isThrottling } from './retry.js';

/** Where a failed call was going, to say so in the message and the fix. */
export interface CallSite {
  /** "CloudFormation:CreateChangeSet" */
  operation: string;
  region: string;
  profile?: string | undefined;
}

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  hostname?: string;
  $metadata?: { httpStatusCode?: number };
}

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired', 'InvalidGrantException']);
const REJECTED = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'AuthFailure', 'InvalidSignatureException', 'IncompleteSignature', 'InvalidAccessKeyId']);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'Forbidden']);

const profileFlag = (site: CallSite) => (site.profile ? ` --profile ${site.profile}` : '');

/**
 * Turns an SDK error into the one-line error users see. The common account
 * problems (no credentials, expired ones, a denied action, an unreachable
 * endpoint) each get their own fix; anything else keeps AWS's message.
 */
export function toArchctlError(err: unknown, site: CallSite): ArchctlError {
  const e = (err ?? {}) as AwsLikeError;
  const name = e.name ?? '';
  const message = (e.message ?? String(err)).split('\n')[0]!.trim();
  // Before "no credentials": an expired SSO session also comes as a CredentialsProviderError.
  if (EXPIRED.has(name) || (/expired/i.test(message) && /token|credential|session/i.test(message))) {
    return new ArchctlError(`the AWS credentials have expired (${message})`, `refresh them, for example "aws sso login${profileFlag(site)}", and rerun`);
  }
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError' || /could not load credentials/i.test(message)) {
    return new ArchctlError(
      `no AWS credentials found${site.profile ? ` for profile ${site.profile}` : ''}`,
      `run "aws configure${profileFlag(site)}" or "aws sso login${profileFlag(site)}", or set AWS_PROFILE / AWS_ACCESS_KEY_ID`,
    );
  }
  if (REJECTED.has(name)) {
    return new ArchctlError(`AWS rejected the credentials: ${message}`, `check the access key${site.profile ? ` of profile ${site.profile}` : ''} (aws sts get-caller-identity${profileFlag(site)})`);
  }
  if (DENIED.has(name) || e.$metadata?.httpStatusCode === 403) {
    return new ArchctlError(
      `access denied: ${site.operation} in ${site.region} (${message})`,
      `grant the caller ${iamAction(site.operation)}, or use a profile that has it (README: Permissions)`,
    );
  }
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || /getaddrinfo/i.test(message)) {
    return new ArchctlError(
      `cannot reach the AWS endpoint for ${site.operation.split(':')[0]} in ${site.region}${e.hostname ? ` (${e.hostname})` : ''}`,
      'check the network, the region and AWS_ENDPOINT_URL if set',
    );
  }
  if (e.code === 'ECONNREFUSED') {
    return new ArchctlError(
      `cannot connect to the ${site.operation.split(':')[0]} endpoint in ${site.region}: connection refused`,
      'check AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_<SERVICE>) if set, and the network',
    );
  }
  if (name === 'ResourceConflictException' || name === 'OperationAbortedException') {
    return new ArchctlError(`${site.operation} failed: another update is running (${message})`, 'wait a minute for it to finish, then rerun');
  }
  if (name === 'NoSuchBucket') {
    return new ArchctlError(`the artifact bucket is gone (${message})`, `run archctl bootstrap --region ${site.region}${profileFlag(site)} again, then rerun`);
  }
  if (name === 'AlreadyExistsException') {
    return new ArchctlError(`${site.operation} failed: ${message} (another run created it at the same moment?)`, 'rerun: archctl sees the stack and updates it');
  }
  if (isThrottling(err)) {
    return new ArchctlError(`${site.operation} is still throttled after several retries (${message})`, 'wait a minute and rerun; other tools may be calling the same API');
  }
  return new ArchctlError(`${site.operation} failed: ${name && name !== 'Error' ? `${name}: ` : ''}${message}`, 'rerun with --verbose for details');
}

/** "CloudFormation:CreateChangeSet" -> "cloudformation:CreateChangeSet", the action an IAM policy names. */
export function iamAction(operation: string): string {
  // HeadObject is authorised as s3:GetObject; without s3:ListBucket a missing object answers 403, not 404.
  if (operation === 'S3:HeadObject') return 's3:GetObject and s3:ListBucket';
  const [service = '', action = ''] = operation.split(':');
  const prefixes: Record<string, string> = { CloudWatchLogs: 'logs', CognitoIdentityProvider: 'cognito-idp', CognitoIdentity: 'cognito-identity' };
  return `${prefixes[service] ?? service.toLowerCase()}:${action}`;
}
