import { createHash } from 'node:crypto';
import type { CredentialStore } from '../credentials.js';
import { JwtError, verifyJwt, type Jwks } from './jwt.js';
import { AwsJsonError, requiredString, startJsonServer, stringMap, type JsonInput } from './protocol.js';

export interface IdentityProviderConfig {
  /** The user pool's token issuer, e.g. `http://127.0.0.1:4566/us-east-1_abc` (LocalUserPool.issuer(poolId)). */
  issuer: string;
  /** The app client registered with the identity pool (CognitoIdentityProviders[].ClientId). */
  clientId: string;
  /** The user pool's keys, or a function returning them (read on every call). */
  jwks: Jwks | (() => Jwks);
}

export interface IdentityPoolConfig {
  /** `<region>:<uuid>`, as the template's IdentityPool Ref resolves. */
  id: string;
  providers: IdentityProviderConfig[];
  /** IdentityPoolRoleAttachment Roles.authenticated. */
  authenticatedRoleArn: string;
}

export interface IdentityPoolOptions {
  port?: number;
  host?: string;
  region: string;
  pools: IdentityPoolConfig[];
  credentials: CredentialStore;
  /** Milliseconds since the epoch, for token expiry; default Date.now. */
  now?: () => number;
}

export interface LocalIdentityPool {
  /** The endpoint for `new CognitoIdentityClient({ endpoint })`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The Logins keys a user pool is accepted under: Cognito's own form
 * (`cognito-idp.<region>.amazonaws.com/<poolId>`, what clients written for AWS send)
 * and the local issuer without its scheme (`127.0.0.1:<port>/<poolId>`).
 */
export function loginKeysFor(issuer: string, region: string): string[] {
  const poolId = issuer.slice(issuer.lastIndexOf('/') + 1);
  return [`cognito-idp.${region}.amazonaws.com/${poolId}`, issuer.replace(/^https?:\/\//, '')];
}

const NO_LOGINS = 'Unauthenticated access is not supported for this identity pool.';

/**
 * A local Cognito identity pool endpoint (AWSCognitoIdentityService, AWS JSON 1.1): GetId and
 * GetCredentialsForIdentity, enhanced (simplified) flow only, authenticated identities only
 * (AllowUnauthenticatedIdentities: false). Credentials come from the shared CredentialStore.
 */
export async function startIdentityPool(opts: IdentityPoolOptions): Promise<LocalIdentityPool> {
  const now = opts.now ?? Date.now;
  const pools = new Map(opts.pools.map((p) => [p.id, p]));
  const identities = new Map<string, { poolId: string; issuer: string; sub: string }>();

  const poolById = (id: string): IdentityPoolConfig => {
    const pool = pools.get(id);
    if (!pool) throw new AwsJsonError('ResourceNotFoundException', `IdentityPool '${id}' not found.`);
    return pool;
  };

  /** Verifies every login (as ServerSideTokenCheck would) and returns the identity id they name. */
  const identityFor = (pool: IdentityPoolConfig, logins: Record<string, string>): { identityId: string; issuer: string; sub: string } => {
    const entries = Object.entries(logins);
    if (entries.length === 0) throw new AwsJsonError('NotAuthorizedException', NO_LOGINS);
    let found: { identityId: string; issuer: string; sub: string } | undefined;
    for (const [key, token] of entries) {
      const candidates = pool.providers.filter((p) => loginKeysFor(p.issuer, opts.region).includes(key));
      if (candidates.length === 0) throw new AwsJsonError('NotAuthorizedException', `Invalid login token. Token is not from a supported provider of this identity pool.`);
      const first = candidates[0]!;
      let payload: Record<string, unknown>;
      try {
        payload = verifyJwt(token, typeof first.jwks === 'function' ? first.jwks() : first.jwks, {
          issuer: first.issuer,
          tokenUse: 'id',
          clientId: candidates.map((c) => c.clientId),
          now: now(),
        });
      } catch (err) {
        const reason = err instanceof JwtError ? err.reason : 'malformed';
        const message =
          reason === 'expired'
            ? 'Invalid login token. Token expired.'
            : reason === 'audience'
              ? 'Invalid login token. Incorrect token audience.'
              : reason === 'issuer'
                ? "Invalid login token. Issuer doesn't match providerName"
                : 'Invalid login token. Not a valid OpenId Connect identity token.';
        throw new AwsJsonError('NotAuthorizedException', message);
      }
      const sub = String(payload.sub);
      const identityId = `${opts.region}:${stableUuid(`${pool.id}\n${first.issuer}\n${sub}`)}`;
      if (found && found.identityId !== identityId) throw new AwsJsonError('NotAuthorizedException', 'Invalid login token. Logins belong to different identities.');
      found = { identityId, issuer: first.issuer, sub };
    }
    return found!;
  };

  const server = await startJsonServer({
    port: opts.port,
    host: opts.host,
    targetPrefix: 'AWSCognitoIdentityService',
    operations: {
      GetId(input: JsonInput) {
        const pool = poolById(requiredString(input, 'IdentityPoolId'));
        const { identityId, issuer, sub } = identityFor(pool, stringMap(input, 'Logins'));
        identities.set(identityId, { poolId: pool.id, issuer, sub });
        return { IdentityId: identityId };
      },
      GetCredentialsForIdentity(input: JsonInput) {
        const identityId = requiredString(input, 'IdentityId');
        const known = identities.get(identityId);
        if (!known) throw new AwsJsonError('ResourceNotFoundException', `Identity '${identityId}' not found.`);
        const pool = poolById(known.poolId);
        const logins = stringMap(input, 'Logins');
        if (Object.keys(logins).length === 0) {
          throw new AwsJsonError('NotAuthorizedException', 'Invalid login token. Missing a required claim: Logins. Please include at least one valid login for this identity or identity pool.');
        }
        if (identityFor(pool, logins).identityId !== identityId) throw new AwsJsonError('NotAuthorizedException', "Invalid login token. Logins don't match. Please include at least one valid login for this identity or identity pool.");
        const custom = input.CustomRoleArn;
        if (custom !== undefined && custom !== pool.authenticatedRoleArn) throw new AwsJsonError('InvalidParameterException', 'CustomRoleArn is not a role of this identity pool.');
        const creds = opts.credentials.issue(identityId, pool.authenticatedRoleArn);
        return {
          IdentityId: identityId,
          Credentials: {
            AccessKeyId: creds.accessKeyId,
            SecretKey: creds.secretAccessKey,
            SessionToken: creds.sessionToken,
            // The JSON protocols carry timestamps as epoch seconds.
            Expiration: creds.expiration.getTime() / 1000,
          },
        };
      },
    },
  });
  return { url: server.url, port: server.port, close: () => server.close() };
}

/** A UUID derived from the (pool, issuer, sub): the same user keeps the same identity id, hence the same S3 folder. */
function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
