import { randomBytes, randomInt, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { generateSigningKey, JwtError, signJwt, verifyJwt, type Jwks, type SigningKey } from './jwt.js';
import { AwsJsonError, optionalEnum, optionalString, requiredString, startJsonServer, stringMap, type JsonInput } from './protocol.js';

export interface PasswordPolicy {
  minimumLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  /** How long a temporary password (AdminCreateUser, AdminSetUserPassword without Permanent) signs in; Cognito's default is 7. */
  temporaryPasswordValidityDays: number;
}

export interface UserPoolClientConfig {
  id: string;
  /** As in the template: `ALLOW_USER_PASSWORD_AUTH`, `ALLOW_REFRESH_TOKEN_AUTH`, ... (legacy `USER_PASSWORD_AUTH` also counts). */
  explicitAuthFlows: string[];
  accessTokenMinutes: number;
  idTokenMinutes: number;
  refreshTokenDays: number;
  /** AuthSessionValidity: how long a challenge's Session lasts; default 3 minutes, as on AWS. */
  authSessionMinutes?: number;
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

export interface TemporaryPasswordEvent {
  poolId: string;
  /** The username given to AdminCreateUser. */
  username: string;
  email: string | undefined;
  temporaryPassword: string;
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
  /** Called with the temporary password of AdminCreateUser without MessageAction SUPPRESS (where AWS would send the invitation). */
  onTemporaryPassword?: (event: TemporaryPasswordEvent) => void;
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

const DEFAULT_POLICY: PasswordPolicy = {
  minimumLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 7,
};
// Cognito's list of special characters, space included.
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ACCESS_SCOPE = 'aws.cognito.signin.user.admin';
const DAY_MS = 86_400_000;

type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD';

interface User {
  sub: string;
  /** `cognito:username`: the sub when the pool signs in by email, else the name given at sign-up. */
  username: string;
  email: string | undefined;
  emailVerified: boolean;
  attributes: Map<string, string>;
  salt: Buffer;
  hash: Buffer;
  status: UserStatus;
  code: string | undefined;
  /** While FORCE_CHANGE_PASSWORD: when the temporary password stops signing in (milliseconds since the epoch). */
  temporaryPasswordExpiresAt: number | undefined;
  createdAt: number;
  modifiedAt: number;
}

/** A NEW_PASSWORD_REQUIRED challenge in progress, keyed by its Session. */
interface ChallengeSession {
  poolId: string;
  clientId: string;
  sub: string;
  expiresAt: number;
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
 * SignUp, ConfirmSignUp, InitiateAuth (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH), RespondToAuthChallenge
 * (NEW_PASSWORD_REQUIRED), GetUser, and the admin operations AdminCreateUser, AdminSetUserPassword,
 * AdminConfirmSignUp, AdminGetUser, AdminDeleteUser.
 * Users live in memory. On AWS every Admin* call must be SigV4-signed with IAM credentials allowed
 * `cognito-idp:Admin*`; here any signature (or none) is accepted: there is no IAM locally.
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
  const challengeSessions = new Map<string, ChallengeSession>();
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
  const existingUser = (pool: Pool, name: string): User => {
    const user = findUser(pool, name);
    if (!user) throw new AwsJsonError('UserNotFoundException', 'User does not exist.');
    return user;
  };

  /**
   * A new user under every name it can be found by: the name given, its username (the sub in a pool
   * that signs in by email), the sub, and the email in such a pool. The email becomes the username
   * attribute there; elsewhere an email attribute must at least look like one.
   */
  const addUser = (pool: Pool, given: string, attributes: Map<string, string>, password: string, status: UserStatus): User => {
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
    const at = now();
    const user: User = {
      sub,
      username: pool.byEmail ? sub : given,
      email,
      emailVerified: false,
      attributes,
      salt,
      hash: hashPassword(password, salt),
      status,
      code: undefined,
      temporaryPasswordExpiresAt: undefined,
      createdAt: at,
      modifiedAt: at,
    };
    for (const name of new Set([given, user.username, sub, ...(email !== undefined && pool.byEmail ? [email] : [])])) pool.users.set(normalise(pool, name), user);
    return user;
  };

  /** A new password also ends any NEW_PASSWORD_REQUIRED challenge begun with the old one. */
  const setPassword = (pool: Pool, user: User, password: string, permanent: boolean): void => {
    checkPassword(pool.policy, password);
    dropChallenges(pool, user);
    user.salt = randomBytes(16);
    user.hash = hashPassword(password, user.salt);
    user.status = permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
    user.temporaryPasswordExpiresAt = permanent ? undefined : now() + pool.policy.temporaryPasswordValidityDays * DAY_MS;
    if (permanent) user.code = undefined;
    user.modifiedAt = now();
  };

  /** The user as AdminCreateUser (UserType) and AdminGetUser describe it; timestamps are epoch seconds on the wire. */
  const describeUser = (user: User) => ({
    Username: user.username,
    Attributes: attributesOf(user),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.modifiedAt / 1000,
    Enabled: true,
    UserStatus: user.status,
  });

  /** Tokens and a new refresh token: the end of a successful sign-in. */
  const signedIn = (pool: Pool, client: UserPoolClientConfig, user: User) => {
    const authTime = Math.floor(now() / 1000);
    const originJti = randomUUID();
    const refreshToken = randomBytes(48).toString('base64url');
    refreshGrants.set(refreshToken, {
      poolId: pool.config.id,
      clientId: client.id,
      sub: user.sub,
      authTime,
      originJti,
      expiresAt: now() + client.refreshTokenDays * DAY_MS,
    });
    return { AuthenticationResult: { ...issueTokens(pool, client, user, authTime, originJti), RefreshToken: refreshToken }, ChallengeParameters: {} };
  };

  /** What a FORCE_CHANGE_PASSWORD user gets for the right temporary password: the challenge to choose its own. */
  const newPasswordChallenge = (pool: Pool, client: UserPoolClientConfig, user: User) => {
    if (user.temporaryPasswordExpiresAt !== undefined && user.temporaryPasswordExpiresAt <= now()) {
      throw new AwsJsonError('NotAuthorizedException', 'Temporary password has expired and must be reset by an administrator.');
    }
    const session = randomBytes(48).toString('base64url');
    challengeSessions.set(session, { poolId: pool.config.id, clientId: client.id, sub: user.sub, expiresAt: now() + (client.authSessionMinutes ?? 3) * 60_000 });
    // As on AWS: the current attributes without sub, as a JSON string; no attribute is required here, every required one was given at creation.
    const current = Object.fromEntries(attributesOf(user).filter((a) => a.Name !== 'sub').map((a) => [a.Name, a.Value]));
    return {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: session,
      ChallengeParameters: { USER_ID_FOR_SRP: user.username, requiredAttributes: '[]', userAttributes: JSON.stringify(current) },
    };
  };

  const dropChallenges = (pool: Pool, user: User): void => {
    for (const [session, c] of challengeSessions) if (c.poolId === pool.config.id && c.sub === user.sub) challengeSessions.delete(session);
  };

  /** Removes every name of the user, with its refresh tokens and open challenges: nothing it held still works. */
  const deleteUser = (pool: Pool, user: User): void => {
    for (const [name, u] of pool.users) if (u === user) pool.users.delete(name);
    for (const [token, grant] of refreshGrants) if (grant.poolId === pool.config.id && grant.sub === user.sub) refreshGrants.delete(token);
    dropChallenges(pool, user);
  };

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
      // Only an administrator (or a confirmation) verifies an address: a user's own claim does not count.
      attributes.delete('email_verified');
      const user = addUser(pool, given, attributes, password, 'UNCONFIRMED');
      user.code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const email = user.email;
      opts.onConfirmationCode?.({ poolId: pool.config.id, username: given, email, code: user.code });
      return {
        UserConfirmed: false,
        UserSub: user.sub,
        ...(email !== undefined ? { CodeDeliveryDetails: { Destination: maskEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' } } : {}),
      };
    },

    ConfirmSignUp(input: JsonInput) {
      const { pool } = clientById(requiredString(input, 'ClientId'));
      const user = findUser(pool, requiredString(input, 'Username'));
      const code = requiredString(input, 'ConfirmationCode');
      if (!user) throw new AwsJsonError('UserNotFoundException', 'Username/client id combination not found.');
      if (user.status !== 'UNCONFIRMED') throw new AwsJsonError('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.status}`);
      if (code !== user.code) throw new AwsJsonError('CodeMismatchException', 'Invalid verification code provided, please try again.');
      user.status = 'CONFIRMED';
      user.code = undefined;
      // The code went to the email address, so confirming it verifies the address (AutoVerifiedAttributes: [email]).
      if (user.email !== undefined) user.emailVerified = true;
      return {};
    },

    AdminConfirmSignUp(input: JsonInput) {
      const pool = poolById(requiredString(input, 'UserPoolId'));
      const user = existingUser(pool, requiredString(input, 'Username'));
      if (user.status !== 'UNCONFIRMED') throw new AwsJsonError('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.status}`);
      // As on AWS, an admin confirmation does not verify the email address.
      user.status = 'CONFIRMED';
      user.code = undefined;
      user.modifiedAt = now();
      return {};
    },

    /**
     * A user made by an administrator, in FORCE_CHANGE_PASSWORD with a temporary password (given, or
     * generated to the pool's policy). Without MessageAction SUPPRESS, AWS sends that password in an
     * invitation; here onTemporaryPassword reports it. RESEND gives an existing FORCE_CHANGE_PASSWORD
     * user a new temporary password and a new validity period.
     */
    AdminCreateUser(input: JsonInput) {
      const pool = poolById(requiredString(input, 'UserPoolId'));
      const given = requiredString(input, 'Username');
      const action = optionalEnum(input, 'MessageAction', ['RESEND', 'SUPPRESS'] as const);
      const mediums = deliveryMediums(input);
      const attributes = attributeList(input.UserAttributes);
      const temporary = optionalString(input, 'TemporaryPassword') ?? generatePassword(pool.policy);
      let user: User;
      if (action === 'RESEND') {
        user = existingUser(pool, given);
        if (user.status !== 'FORCE_CHANGE_PASSWORD') throw new AwsJsonError('UnsupportedUserStateException', `Resend not possible. ${user.username} status is not FORCE_CHANGE_PASSWORD.`);
        setPassword(pool, user, temporary, false);
      } else {
        const verified = attributes.get('email_verified');
        attributes.delete('email_verified');
        if (verified !== undefined && !['true', 'false'].includes(verified.toLowerCase())) throw new AwsJsonError('InvalidParameterException', 'email_verified must be true or false.');
        const emailGiven = pool.byEmail || attributes.has('email');
        if (verified?.toLowerCase() === 'true' && !emailGiven) throw new AwsJsonError('InvalidParameterException', 'email_verified is true but no email is given.');
        if (action === undefined && mediums.includes('EMAIL') && !emailGiven) throw new AwsJsonError('InvalidParameterException', 'No email is given to deliver the invitation to (DesiredDeliveryMediums: EMAIL).');
        if (action === undefined && mediums.includes('SMS') && input.DesiredDeliveryMediums !== undefined && !attributes.has('phone_number')) {
          throw new AwsJsonError('InvalidParameterException', 'No phone_number is given to deliver the invitation to (DesiredDeliveryMediums: SMS).');
        }
        user = addUser(pool, given, attributes, temporary, 'FORCE_CHANGE_PASSWORD');
        user.emailVerified = verified?.toLowerCase() === 'true';
        user.temporaryPasswordExpiresAt = now() + pool.policy.temporaryPasswordValidityDays * DAY_MS;
      }
      if (action !== 'SUPPRESS') opts.onTemporaryPassword?.({ poolId: pool.config.id, username: given, email: user.email, temporaryPassword: temporary });
      return { User: describeUser(user) };
    },

    /** Permanent: true signs in with it from now on (CONFIRMED); otherwise it is temporary (FORCE_CHANGE_PASSWORD). */
    AdminSetUserPassword(input: JsonInput) {
      const pool = poolById(requiredString(input, 'UserPoolId'));
      const user = existingUser(pool, requiredString(input, 'Username'));
      const password = requiredString(input, 'Password');
      setPassword(pool, user, password, input.Permanent === true);
      return {};
    },

    AdminGetUser(input: JsonInput) {
      const pool = poolById(requiredString(input, 'UserPoolId'));
      const { Attributes, ...rest } = describeUser(existingUser(pool, requiredString(input, 'Username')));
      return { ...rest, UserAttributes: Attributes };
    },

    AdminDeleteUser(input: JsonInput) {
      const pool = poolById(requiredString(input, 'UserPoolId'));
      deleteUser(pool, existingUser(pool, requiredString(input, 'Username')));
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
        if (user.status === 'UNCONFIRMED') throw new AwsJsonError('UserNotConfirmedException', 'User is not confirmed.');
        if (user.status === 'FORCE_CHANGE_PASSWORD') return newPasswordChallenge(pool, client, user);
        return signedIn(pool, client, user);
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

    /** NEW_PASSWORD_REQUIRED only: the user chooses its own password, is CONFIRMED, and is signed in. */
    RespondToAuthChallenge(input: JsonInput) {
      const { pool, client } = clientById(requiredString(input, 'ClientId'));
      const challenge = requiredString(input, 'ChallengeName');
      if (challenge !== 'NEW_PASSWORD_REQUIRED') throw new AwsJsonError('InvalidParameterException', `${challenge} is not supported by the local user pool; it answers NEW_PASSWORD_REQUIRED only`);
      const responses = stringMap(input, 'ChallengeResponses');
      const token = optionalString(input, 'Session');
      const session = token !== undefined ? challengeSessions.get(token) : undefined;
      if (!session || session.clientId !== client.id || session.poolId !== pool.config.id) throw new AwsJsonError('NotAuthorizedException', 'Invalid session for the user.');
      if (session.expiresAt <= now()) {
        challengeSessions.delete(token!);
        throw new AwsJsonError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
      }
      if (!responses.USERNAME) throw new AwsJsonError('InvalidParameterException', 'Missing required parameter USERNAME');
      if (!responses.NEW_PASSWORD) throw new AwsJsonError('InvalidParameterException', 'Missing required parameter NEW_PASSWORD');
      const user = findUser(pool, responses.USERNAME);
      if (!user || user.sub !== session.sub || user.status !== 'FORCE_CHANGE_PASSWORD') throw new AwsJsonError('NotAuthorizedException', 'Invalid session for the user.');
      const updates = Object.entries(responses).filter(([k]) => k.startsWith('userAttributes.'));
      for (const [k] of updates) {
        const name = k.slice('userAttributes.'.length);
        if (['sub', 'email', 'email_verified'].includes(name)) throw new AwsJsonError('InvalidParameterException', `The local user pool does not change ${name} in NEW_PASSWORD_REQUIRED; set it with AdminCreateUser.`);
      }
      setPassword(pool, user, responses.NEW_PASSWORD, true);
      for (const [k, v] of updates) user.attributes.set(k.slice('userAttributes.'.length), v);
      return signedIn(pool, client, user);
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
      return { Username: user.username, UserAttributes: attributesOf(user) };
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

/** sub first, then the email and whether it is verified, then the rest as given. */
function attributesOf(user: User): { Name: string; Value: string }[] {
  const attrs = [{ Name: 'sub', Value: user.sub }];
  if (user.email !== undefined) attrs.push({ Name: 'email_verified', Value: String(user.emailVerified) }, { Name: 'email', Value: user.email });
  for (const [name, value] of user.attributes) if (name !== 'email' && name !== 'sub' && name !== 'email_verified') attrs.push({ Name: name, Value: value });
  return attrs;
}

/** DesiredDeliveryMediums, default ['SMS'] as on AWS. */
function deliveryMediums(input: JsonInput): string[] {
  const value = input.DesiredDeliveryMediums;
  if (value === undefined || value === null) return ['SMS'];
  if (!Array.isArray(value) || value.some((m) => m !== 'EMAIL' && m !== 'SMS')) {
    throw new AwsJsonError('InvalidParameterException', "1 validation error detected: Value at 'desiredDeliveryMediums' failed to satisfy constraint: Member must satisfy enum value set: [SMS, EMAIL]");
  }
  return value as string[];
}

/**
 * A temporary password for AdminCreateUser without one: random characters to the policy's length,
 * with one of each class the policy asks for, so checkPassword always accepts it.
 */
export function generatePassword(policy: PasswordPolicy): string {
  const pick = (chars: string) => chars.charAt(randomInt(0, chars.length));
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '^$*.[]{}()?!@#%&/,><:;|_~=+-'];
  const all = classes.join('');
  const chars = classes.map(pick);
  while (chars.length < Math.max(policy.minimumLength, 12)) chars.push(pick(all));
  // Shuffle so the class characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
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
