import { randomBytes, randomInt, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { generateSigningKey, JwtError, signJwt, verifyJwt, type Jwks, type SigningKey } from './jwt.js';
import { AwsJsonError, requiredString, startJsonServer, stringMap, type JsonInput } from './protocol.js';

export interface PasswordPolicy {
  minimumLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
}

export interface UserPoolClientConfig {
  id: string;
  /** As in the template: `ALLOW_USER_PASSWORD_AUTH`, `ALLOW_REFRESH_TOKEN_AUTH`, ... (legacy `USER_PASSWORD_AUTH` also counts). */
  explicitAuthFlows: string[];
  accessTokenMinutes: number;
  idTokenMinutes: number;
  refreshTokenDays: number;
}

export interface UserPoolConfig {
  id: string;
  clients: UserPoolClientConfig[];
  /** Missing fields take Cognito's defaults (8 characters, every class required). */
  passwordPolicy?: Partial<PasswordPolicy>;
  /** The template's UsernameAttributes; default `['email']`: the username must be an email and `cognito:username` is the sub. */
  usernameAttributes?: string[];
  /** The template's UsernameConfiguration.CaseSensitive; default false. */
  caseSensitive?: boolean;
}

export interface ConfirmationCodeEvent {
  poolId: string;
  username: string;
  email: string | undefined;
  code: string;
}

export interface UserPoolOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  pools: UserPoolConfig[];
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
  /** Called with every sign-up code (where AWS would send an email); `archctl dev` can print it. */
  onConfirmationCode?: (event: ConfirmationCodeEvent) => void;
}

export interface LocalUserPool {
  /** The endpoint for `new CognitoIdentityProviderClient({ endpoint })`. */
  url: string;
  port: number;
  /** `http://<host>:<port>/<poolId>`: the `iss` of every token of that pool. */
  issuer(poolId: string): string;
  /** Also served at `GET /<poolId>/.well-known/jwks.json`. */
  jwks(poolId: string): Jwks;
  /** The pending sign-up code of a user (by the username given at sign-up, or the sub); a test hook. */
  confirmationCode(poolId: string, username: string): string | undefined;
  close(): Promise<void>;
}

const DEFAULT_POLICY: PasswordPolicy = { minimumLength: 8, requireUppercase: true, requireLowercase: true, requireNumbers: true, requireSymbols: true };
// Cognito's list of special characters, space included.
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ACCESS_SCOPE = 'aws.cognito.signin.user.admin';

interface User {
  sub: string;
  /** `cognito:username`: the sub when the pool signs in by email, else the name given at sign-up. */
  username: string;
  email: string | undefined;
  emailVerified: boolean;
  attributes: Map<string, string>;
  salt: Buffer;
  hash: Buffer;
  status: 'UNCONFIRMED' | 'CONFIRMED';
  code: string | undefined;
}

interface RefreshGrant {
  poolId: string;
  clientId: string;
  sub: string;
  authTime: number;
  originJti: string;
  expiresAt: number;
}

interface Pool {
  config: UserPoolConfig;
  policy: PasswordPolicy;
  byEmail: boolean;
  key: SigningKey;
  /** Keyed by normalised username, email and sub: every name a user can sign in with. */
  users: Map<string, User>;
  clients: Map<string, UserPoolClientConfig>;
}

/**
 * A local Cognito user pool endpoint speaking AWSCognitoIdentityProviderService (AWS JSON 1.1):
 * SignUp, ConfirmSignUp, AdminConfirmSignUp, InitiateAuth (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH), GetUser.
 * Users live in memory; signatures on admin calls are not checked (there is no IAM locally).
 */
export async function startUserPool(opts: UserPoolOptions): Promise<LocalUserPool> {
  const now = opts.now ?? Date.now;
  const keys = await Promise.all(opts.pools.map(() => generateSigningKey()));
  const pools = new Map<string, Pool>();
  opts.pools.forEach((config, i) => {
    pools.set(config.id, {
      config,
      policy: { ...DEFAULT_POLICY, ...config.passwordPolicy },
      byEmail: (config.usernameAttributes ?? ['email']).includes('email'),
      key: keys[i]!,
      users: new Map(),
      clients: new Map(config.clients.map((c) => [c.id, c])),
    });
  });
  const refreshGrants = new Map<string, RefreshGrant>();
  let baseUrl = '';

  const issuer = (poolId: string): string => `${baseUrl}/${poolId}`;
  const poolById = (poolId: string): Pool => {
    const pool = pools.get(poolId);
    if (!pool) throw new AwsJsonError('ResourceNotFoundException', `User pool ${poolId} does not exist.`);
    return pool;
  };
  const clientById = (clientId: string): { pool: Pool; client: UserPoolClientConfig } => {
    for (const pool of pools.values()) {
      const client = pool.clients.get(clientId);
      if (client) return { pool, client };
    }
    throw new AwsJsonError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  };
  const normalise = (pool: Pool, name: string): string => (pool.config.caseSensitive ? name : name.toLowerCase());
  const findUser = (pool: Pool, name: string): User | undefined => pool.users.get(normalise(pool, name));

  const issueTokens = (pool: Pool, client: UserPoolClientConfig, user: User, authTime: number, originJti: string) => {
    const iat = Math.floor(now() / 1000);
    const common = { sub: user.sub, iss: issuer(pool.config.id), origin_jti: originJti, event_id: randomUUID(), auth_time: authTime, iat };
    const idToken = signJwt(
      {
        ...common,
        ...(user.email !== undefined ? { email: user.email, email_verified: user.emailVerified } : {}),
        'cognito:username': user.username,
        aud: client.id,
        token_use: 'id',
        exp: iat + Math.round(client.idTokenMinutes * 60),
        jti: randomUUID(),
      },
      pool.key,
    );
    const expiresIn = Math.round(client.accessTokenMinutes * 60);
    const accessToken = signJwt(
      { ...common, client_id: client.id, token_use: 'access', scope: ACCESS_SCOPE, exp: iat + expiresIn, jti: randomUUID(), username: user.username },
      pool.key,
    );
    return { AccessToken: accessToken, ExpiresIn: expiresIn, TokenType: 'Bearer', IdToken: idToken };
  };

  const operations = {
    SignUp(input: JsonInput) {
      const { pool, client } = clientById(requiredString(input, 'ClientId'));
      void client;
      const given = requiredString(input, 'Username');
      const password = requiredString(input, 'Password');
      const attributes = attributeList(input.UserAttributes);
      if (pool.byEmail) {
        if (!EMAIL.test(given)) throw new AwsJsonError('InvalidParameterException', 'Username should be an email.');
        attributes.set('email', given);
      } else if (attributes.has('email') && !EMAIL.test(attributes.get('email')!)) {
        throw new AwsJsonError('InvalidParameterException', 'Invalid email address format.');
      }
      checkPassword(pool.policy, password);
      const email = attributes.get('email');
      const taken = findUser(pool, given) ?? (email !== undefined ? findUser(pool, email) : undefined);
      if (taken) throw new AwsJsonError('UsernameExistsException', pool.byEmail ? 'An account with the given email already exists.' : 'User already exists');
      const sub = randomUUID();
      const salt = randomBytes(16);
      const user: User = {
        sub,
        username: pool.byEmail ? sub : given,
        email,
        emailVerified: false,
        attributes,
        salt,
        hash: hashPassword(password, salt),
        status: 'UNCONFIRMED',
        code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
      };
      for (const name of new Set([given, user.username, sub, ...(email !== undefined && pool.byEmail ? [email] : [])])) pool.users.set(normalise(pool, name), user);
      opts.onConfirmationCode?.({ poolId: pool.config.id, username: given, email, code: user.code! });
      return {
        UserConfirmed: false,
        UserSub: sub,
        ...(email !== undefined ? { CodeDeliveryDetails: { Destination: maskEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' } } : {}),
      };
    },

    ConfirmSignUp(input: JsonInput) {
      const { pool } = clientById(requiredString(input, 'ClientId'));
      const user = findUser(pool, requiredString(input, 'Username'));
      const code = requiredString(input, 'ConfirmationCode');
      if (!user) throw new AwsJsonError('UserNotFoundException', 'Username/client id combination not found.');
      if (user.status === 'CONFIRMED') throw new AwsJsonError('NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED');
      if (code !== user.code) throw new AwsJsonError('CodeMismatchException', 'Invalid verification code provided, please try again.');
      user.status = 'CONFIRMED';
      user.code = undefined;
      // The code went to the email address, so confirming it verifies the address (AutoVerifiedAttributes: [email]).
      if (user.email !== undefined) user.emailVerified = true;
      return {};
    },

    AdminConfirmSignUp(input: JsonInput) {
      const pool = poolById(requiredString(input, 'UserPoolId'));
      const user = findUser(pool, requiredString(input, 'Username'));
      if (!user) throw new AwsJsonError('UserNotFoundException', 'User does not exist.');
      if (user.status === 'CONFIRMED') throw new AwsJsonError('NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED');
      // As on AWS, an admin confirmation does not verify the email address.
      user.status = 'CONFIRMED';
      user.code = undefined;
      return {};
    },

    InitiateAuth(input: JsonInput) {
      const flow = requiredString(input, 'AuthFlow');
      const { pool, client } = clientById(requiredString(input, 'ClientId'));
      const params = stringMap(input, 'AuthParameters');
      const flows = client.explicitAuthFlows;
      if (flow === 'USER_PASSWORD_AUTH') {
        if (!flows.includes('ALLOW_USER_PASSWORD_AUTH') && !flows.includes('USER_PASSWORD_AUTH')) {
          throw new AwsJsonError('InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client');
        }
        const username = params.USERNAME;
        const password = params.PASSWORD;
        if (!username) throw new AwsJsonError('InvalidParameterException', 'Missing required parameter USERNAME');
        if (!password) throw new AwsJsonError('InvalidParameterException', 'Missing required parameter PASSWORD');
        const user = findUser(pool, username);
        // One message for unknown user and wrong password: PreventUserExistenceErrors, as the template sets.
        if (!user || !timingSafeEqual(hashPassword(password, user.salt), user.hash)) {
          throw new AwsJsonError('NotAuthorizedException', 'Incorrect username or password.');
        }
        if (user.status !== 'CONFIRMED') throw new AwsJsonError('UserNotConfirmedException', 'User is not confirmed.');
        const authTime = Math.floor(now() / 1000);
        const originJti = randomUUID();
        const refreshToken = randomBytes(48).toString('base64url');
        refreshGrants.set(refreshToken, {
          poolId: pool.config.id,
          clientId: client.id,
          sub: user.sub,
          authTime,
          originJti,
          expiresAt: now() + client.refreshTokenDays * 86_400_000,
        });
        return { AuthenticationResult: { ...issueTokens(pool, client, user, authTime, originJti), RefreshToken: refreshToken }, ChallengeParameters: {} };
      }
      if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
        if (!flows.includes('ALLOW_REFRESH_TOKEN_AUTH')) throw new AwsJsonError('InvalidParameterException', 'REFRESH_TOKEN_AUTH flow not enabled for this client');
        const token = params.REFRESH_TOKEN;
        if (!token) throw new AwsJsonError('InvalidParameterException', 'Missing required parameter REFRESH_TOKEN');
        const grant = refreshGrants.get(token);
        if (!grant || grant.clientId !== client.id || grant.poolId !== pool.config.id) throw new AwsJsonError('NotAuthorizedException', 'Invalid Refresh Token');
        if (grant.expiresAt <= now()) {
          refreshGrants.delete(token);
          throw new AwsJsonError('NotAuthorizedException', 'Refresh Token has expired');
        }
        const user = findUser(pool, grant.sub);
        if (!user) throw new AwsJsonError('NotAuthorizedException', 'Invalid Refresh Token');
        return { AuthenticationResult: issueTokens(pool, client, user, grant.authTime, grant.originJti), ChallengeParameters: {} };
      }
      const known = ['USER_SRP_AUTH', 'CUSTOM_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH', 'USER_AUTH'];
      if (known.includes(flow)) throw new AwsJsonError('InvalidParameterException', `${flow} is not supported by the local user pool; use USER_PASSWORD_AUTH`);
      throw new AwsJsonError('InvalidParameterException', `1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set`);
    },

    GetUser(input: JsonInput) {
      const token = requiredString(input, 'AccessToken');
      let poolId: string | undefined;
      try {
        const [, payloadPart] = token.split('.');
        const iss = JSON.parse(Buffer.from(payloadPart ?? '', 'base64url').toString('utf8')).iss as unknown;
        if (typeof iss === 'string' && iss.startsWith(`${baseUrl}/`)) poolId = iss.slice(baseUrl.length + 1);
      } catch {
        poolId = undefined;
      }
      const pool = poolId !== undefined ? pools.get(poolId) : undefined;
      if (!pool) throw new AwsJsonError('NotAuthorizedException', 'Invalid Access Token');
      let sub: string;
      try {
        const payload = verifyJwt(token, { keys: [pool.key.jwk] }, { issuer: issuer(pool.config.id), tokenUse: 'access', now: now() });
        sub = String(payload.sub);
      } catch (err) {
        if (err instanceof JwtError && err.reason === 'expired') throw new AwsJsonError('NotAuthorizedException', 'Access Token has expired');
        throw new AwsJsonError('NotAuthorizedException', 'Invalid Access Token');
      }
      const user = findUser(pool, sub);
      if (!user) throw new AwsJsonError('UserNotFoundException', 'User does not exist.');
      const attrs = [{ Name: 'sub', Value: user.sub }];
      if (user.email !== undefined) attrs.push({ Name: 'email_verified', Value: String(user.emailVerified) }, { Name: 'email', Value: user.email });
      for (const [name, value] of user.attributes) if (name !== 'email' && name !== 'sub' && name !== 'email_verified') attrs.push({ Name: name, Value: value });
      return { Username: user.username, UserAttributes: attrs };
    },
  };

  const jwksOf = (poolId: string): Jwks => ({ keys: [poolById(poolId).key.jwk] });
  const server = await startJsonServer({
    port: opts.port,
    host: opts.host,
    targetPrefix: 'AWSCognitoIdentityProviderService',
    operations,
    get(path) {
      const m = /^\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/.exec(path);
      const pool = m ? pools.get(decodeURIComponent(m[1]!)) : undefined;
      if (!m || !pool) return undefined;
      const iss = issuer(pool.config.id);
      if (m[2] === 'jwks.json') return { keys: [pool.key.jwk] };
      return { issuer: iss, jwks_uri: `${iss}/.well-known/jwks.json`, id_token_signing_alg_values_supported: ['RS256'], subject_types_supported: ['public'], response_types_supported: ['code', 'token'] };
    },
  });
  baseUrl = server.url;

  return {
    url: server.url,
    port: server.port,
    issuer: (poolId) => issuer(poolById(poolId).config.id),
    jwks: jwksOf,
    confirmationCode: (poolId, username) => {
      const pool = pools.get(poolId);
      return pool ? findUser(pool, username)?.code : undefined;
    },
    close: () => server.close(),
  };
}

export function checkPassword(policy: PasswordPolicy, password: string): void {
  const fail = (why: string): never => {
    throw new AwsJsonError('InvalidPasswordException', `Password did not conform with policy: ${why}`);
  };
  if ([...password].length < policy.minimumLength) fail('Password not long enough');
  if (policy.requireLowercase && !/[a-z]/.test(password)) fail('Password must have lowercase characters');
  if (policy.requireUppercase && !/[A-Z]/.test(password)) fail('Password must have uppercase characters');
  if (policy.requireNumbers && !/[0-9]/.test(password)) fail('Password must have numeric characters');
  if (policy.requireSymbols && !SYMBOLS.test(password)) fail('Password must have symbol characters');
}

function attributeList(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (value === undefined || value === null) return out;
  if (!Array.isArray(value)) throw new AwsJsonError('InvalidParameterException', 'UserAttributes must be a list.');
  for (const item of value as unknown[]) {
    const { Name, Value } = (item ?? {}) as { Name?: unknown; Value?: unknown };
    if (typeof Name !== 'string' || (Value !== undefined && typeof Value !== 'string')) throw new AwsJsonError('InvalidParameterException', 'Invalid user attribute.');
    out.set(Name, Value ?? '');
  }
  return out;
}

// Low-cost scrypt: the pool is a local emulator, but a password never sits in memory in the clear.
function hashPassword(password: string, salt: Buffer): Buffer {
  return scryptSync(password.normalize('NFKC'), salt, 32, { N: 1024, r: 8, p: 1 });
}

function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}
