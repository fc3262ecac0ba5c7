// The AWS calls of `archctl smoke`, in the one layer allowed to build SDK
// clients. Two kinds of caller: the deployer (the session's credentials:
// create the temporary user and set its password, delete it, purge what it
// wrote) and the temporary user itself (sign-in, identity pool, and S3 with
// the identity pool's temporary credentials, never the deployer's).
//
// What the deployer's credentials need for smoke: cloudformation:DescribeStacks,
// cognito-idp:AdminCreateUser, cognito-idp:AdminSetUserPassword,
// cognito-idp:AdminDeleteUser, s3:DeleteObject and s3:DeleteObjectVersion on the
// user files bucket. InitiateAuth, GetId and GetCredentialsForIdentity are
// unsigned calls the user makes: no IAM permission is involved.
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsSession } from './session.js';

/** Where the local cloud (`archctl dev`) serves each service; absent: AWS (or AWS_ENDPOINT_URL, which the SDK reads itself). */
export interface SmokeEndpoints {
  cognito?: string | undefined;
  cognitoIdentity?: string | undefined;
  s3?: string | undefined;
}

/** What GetCredentialsForIdentity hands the signed-in user (STS credentials of the identity pool's role). */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration?: Date | undefined;
}

export type SignInResult = { idToken: string } | { challenge: string };

const errorName = (err: unknown): string => (err as { name?: string } | undefined)?.name ?? '';
const isAccessDenied = (err: unknown): boolean => ['AccessDenied', 'AccessDeniedException', 'Forbidden'].includes(errorName(err)) || (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 403;

/**
 * An S3 client signing with the signed-in user's temporary credentials: what
 * the mobile app does. An endpoint (the local cloud) is path-style, as
 * s3rver needs. One SDK attempt: AwsSession.call retries around it.
 */
export function userS3Client(region: string, credentials: TemporaryCredentials, endpoint?: string): S3Client {
  return new S3Client({
    region,
    maxAttempts: 1,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken, ...(credentials.expiration ? { expiration: credentials.expiration } : {}) },
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  });
}

/** S3 as the temporary user: every call through the session (retries, one-line errors). */
export class UserS3 {
  constructor(
    private readonly session: AwsSession,
    private readonly client: S3Client,
  ) {}

  /** The new object's version id on a versioned bucket. */
  async put(bucket: string, key: string, body: string): Promise<{ versionId?: string | undefined }> {
    const out = await this.session.call('S3:PutObject', () => this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain; charset=utf-8' })));
    return { versionId: out.VersionId };
  }

  /** A put that IAM should refuse: `denied` when S3 answered AccessDenied; any other failure throws. */
  async putExpectingDenial(bucket: string, key: string, body: string): Promise<{ denied: true } | { denied: false; versionId?: string | undefined }> {
    const out = await this.session.tryCall(
      'S3:PutObject',
      () => this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain; charset=utf-8' })),
      isAccessDenied,
    );
    return out === undefined ? { denied: true } : { denied: false, versionId: out.VersionId };
  }

  async getText(bucket: string, key: string): Promise<string> {
    const out = await this.session.call('S3:GetObject', () => this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
    return (await out.Body?.transformToString('utf-8')) ?? '';
  }

  /** The delete marker's version id on a versioned bucket. */
  async delete(bucket: string, key: string): Promise<{ versionId?: string | undefined }> {
    const out = await this.session.call('S3:DeleteObject', () => this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
    return { versionId: out.VersionId };
  }

  destroy(): void {
    this.client.destroy();
  }
}

/**
 * The Cognito and S3 calls of a smoke run. Without endpoints the deployer's
 * clients are the session's own; with them (the local cloud), clients built
 * here for those endpoints, with the session's region and profile.
 */
export class SmokeAws {
  private readonly built: { destroy(): void }[] = [];
  private readonly idp: CognitoIdentityProviderClient;
  private readonly identity: CognitoIdentityClient;
  private readonly users: UserS3[] = [];
  private deployerS3: S3Client | undefined;

  constructor(
    private readonly session: AwsSession,
    private readonly endpoints: SmokeEndpoints = {},
  ) {
    this.idp = endpoints.cognito ? this.own(new CognitoIdentityProviderClient({ ...this.base(), endpoint: endpoints.cognito })) : session.cognitoIdp;
    this.identity = endpoints.cognitoIdentity ? this.own(new CognitoIdentityClient({ ...this.base(), endpoint: endpoints.cognitoIdentity })) : session.cognitoIdentity;
  }

  get region(): string {
    return this.session.region;
  }

  private base() {
    return { region: this.session.region, maxAttempts: 1, ...(this.session.profile ? { profile: this.session.profile } : {}) };
  }

  private own<T extends { destroy(): void }>(client: T): T {
    this.built.push(client);
    return client;
  }

  /**
   * Creates the user as the deployer, with its email already verified and
   * MessageAction SUPPRESS: Cognito sends nothing (SignUp would mail a code to
   * the address, counting against the pool's daily email quota and bouncing).
   * Cognito makes a temporary password nobody sees; setPermanentPassword
   * replaces it. Returns the sub (the username in a pool that signs in by email).
   */
  async adminCreateUser(userPoolId: string, username: string, email: string): Promise<string> {
    const out = await this.session.call('CognitoIdentityProvider:AdminCreateUser', () =>
      this.idp.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: username,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
          MessageAction: 'SUPPRESS',
        }),
      ),
    );
    return out.User?.Attributes?.find((a) => a.Name === 'sub')?.Value ?? out.User?.Username ?? username;
  }

  /** Permanent: the user is CONFIRMED and signs in with it, with no NEW_PASSWORD_REQUIRED challenge. */
  async setPermanentPassword(userPoolId: string, username: string, password: string): Promise<void> {
    await this.session.call('CognitoIdentityProvider:AdminSetUserPassword', () =>
      this.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: password, Permanent: true })),
    );
  }

  /** USER_PASSWORD_AUTH: the ID token, or the challenge Cognito asked for instead (MFA). */
  async signIn(clientId: string, username: string, password: string): Promise<SignInResult> {
    const out = await this.session.call('CognitoIdentityProvider:InitiateAuth', () =>
      this.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } })),
    );
    const idToken = out.AuthenticationResult?.IdToken;
    if (idToken) return { idToken };
    return { challenge: out.ChallengeName ?? 'no token and no challenge' };
  }

  /** False when the user was not there (nothing to delete). */
  async adminDeleteUser(userPoolId: string, username: string): Promise<boolean> {
    const out = await this.session.tryCall(
      'CognitoIdentityProvider:AdminDeleteUser',
      async () => {
        await this.idp.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
        return true;
      },
      (err) => errorName(err) === 'UserNotFoundException',
    );
    return out ?? false;
  }

  /** The enhanced (simplified) flow: GetId, then GetCredentialsForIdentity, with the user pool's ID token as the login. */
  async identityCredentials(identityPoolId: string, userPoolId: string, idToken: string): Promise<{ identityId: string; credentials: TemporaryCredentials }> {
    // A user pool id starts with its region (eu-west-1_AbC): the provider name is in that region.
    const poolRegion = userPoolId.includes('_') ? userPoolId.slice(0, userPoolId.indexOf('_')) : this.region;
    const Logins = { [`cognito-idp.${poolRegion}.amazonaws.com/${userPoolId}`]: idToken };
    const { IdentityId } = await this.session.call('CognitoIdentity:GetId', () => this.identity.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins })));
    if (!IdentityId) throw new Error('GetId returned no IdentityId');
    const { Credentials: c } = await this.session.call('CognitoIdentity:GetCredentialsForIdentity', () =>
      this.identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins })),
    );
    if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken) throw new Error('GetCredentialsForIdentity returned no credentials');
    return { identityId: IdentityId, credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken, expiration: c.Expiration } };
  }

  /** S3 as the signed-in user, with the identity pool's credentials. */
  userS3(credentials: TemporaryCredentials): UserS3 {
    const user = new UserS3(this.session, userS3Client(this.region, credentials, this.endpoints.s3));
    this.users.push(user);
    return user;
  }

  /**
   * Removes an object with the deployer's credentials: one version for good
   * when a version id is given (the put's, or a delete marker's), else the
   * current object.
   */
  async deleteAsDeployer(bucket: string, key: string, versionId?: string): Promise<void> {
    const s3 = this.deployerS3 ?? (this.deployerS3 = this.endpoints.s3 ? this.own(new S3Client({ ...this.base(), endpoint: this.endpoints.s3, forcePathStyle: true })) : this.session.s3);
    await this.session.call('S3:DeleteObject', () => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) })));
  }

  /** Destroys the clients built here; the session's own are the session's to destroy. */
  destroy(): void {
    for (const c of [...this.users, ...this.built.splice(0)]) c.destroy();
    this.users.length = 0;
  }
}
