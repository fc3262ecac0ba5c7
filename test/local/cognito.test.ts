import { createPublicKey, verify as verifySignature } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  AdminConfirmSignUpCommand,
  ConfirmSignUpCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPattern } from '../../src/actions/render.js';
import { CredentialStore } from '../../src/local/credentials.js';
import {
  generateSigningKey,
  loginKeysFor,
  signJwt,
  startIdentityPool,
  startUserPool,
  userPoolClientFromTemplate,
  userPoolFromTemplate,
  type LocalIdentityPool,
  type LocalUserPool,
} from '../../src/local/cognito/index.js';

const region = 'us-east-1';
const POOL = 'us-east-1_LocalPool1';
const OTHER_POOL = 'us-east-1_OtherPool';
const CLIENT = 'localclient0000000000000001';
const SRP_ONLY_CLIENT = 'localclient0000000000000002';
const OTHER_CLIENT = 'otherclient0000000000000001';
const IDENTITY_POOL = 'us-east-1:11111111-2222-4333-8444-555555555555';
const ROLE = 'arn:aws:iam::000000000000:role/AuthenticatedUserRole';
const PASSWORD = 'Correct-Horse-9battery';

// A movable clock shared by both endpoints: expiry is tested without waiting.
let clock = Date.now();
const now = (): number => clock;

const { template } = renderPattern({ pattern: 'todo', parameters: {} });
const resources = template.Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>;
const poolProps = Object.values(resources).find((r) => r.Type === 'AWS::Cognito::UserPool')!.Properties;
const clientProps = Object.values(resources).find((r) => r.Type === 'AWS::Cognito::UserPoolClient')!.Properties;

let users: LocalUserPool;
let identity: LocalIdentityPool;
let idp: CognitoIdentityProviderClient;
let cid: CognitoIdentityClient;
const credentials = new CredentialStore({ now });
const codes: string[] = [];

beforeAll(async () => {
  const client = userPoolClientFromTemplate(CLIENT, clientProps);
  users = await startUserPool({
    now,
    onConfirmationCode: (e) => codes.push(e.code),
    pools: [
      userPoolFromTemplate(POOL, poolProps, [client, { ...client, id: SRP_ONLY_CLIENT, explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }]),
      { id: OTHER_POOL, clients: [{ ...client, id: OTHER_CLIENT }] },
    ],
  });
  identity = await startIdentityPool({
    region,
    now,
    credentials,
    pools: [{ id: IDENTITY_POOL, authenticatedRoleArn: ROLE, providers: [{ issuer: users.issuer(POOL), clientId: CLIENT, jwks: () => users.jwks(POOL) }] }],
  });
  const dummy = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };
  idp = new CognitoIdentityProviderClient({ region, endpoint: users.url, credentials: dummy });
  cid = new CognitoIdentityClient({ region, endpoint: identity.url, credentials: dummy });
});

afterAll(async () => {
  idp?.destroy();
  cid?.destroy();
  await users?.close();
  await identity?.close();
});

async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected a rejection');
}

async function signUpAndIn(email: string, clientId = CLIENT, poolId = POOL) {
  await idp.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
  await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
  const out = await idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }));
  return out.AuthenticationResult!;
}

function decode(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h!, 'base64url').toString()), payload: JSON.parse(Buffer.from(p!, 'base64url').toString()) };
}

describe('local Cognito user pool (real CognitoIdentityProviderClient)', () => {
  it('applies the template password policy, rejects duplicates case-insensitively, confirms with the delivered code', async () => {
    const weak = await rejection(idp.send(new SignUpCommand({ ClientId: CLIENT, Username: 'ada@example.com', Password: 'short1A!' })));
    expect(weak).toMatchObject({ name: 'InvalidPasswordException', status: 400 });
    expect(weak.message).toMatch(/Password not long enough/);
    const noSymbol = await rejection(idp.send(new SignUpCommand({ ClientId: CLIENT, Username: 'ada@example.com', Password: 'Longenough12345' })));
    expect(noSymbol.name).toBe('InvalidPasswordException');
    expect((await rejection(idp.send(new SignUpCommand({ ClientId: CLIENT, Username: 'not-an-email', Password: PASSWORD })))).name).toBe('InvalidParameterException');

    const signed = await idp.send(new SignUpCommand({ ClientId: CLIENT, Username: 'Ada@Example.com', Password: PASSWORD }));
    expect(signed.UserConfirmed).toBe(false);
    expect(signed.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(signed.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect((await rejection(idp.send(new SignUpCommand({ ClientId: CLIENT, Username: 'ada@EXAMPLE.com', Password: PASSWORD })))).name).toBe('UsernameExistsException');

    const early = await rejection(idp.send(new InitiateAuthCommand({ ClientId: CLIENT, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ada@example.com', PASSWORD } })));
    expect(early.name).toBe('UserNotConfirmedException');

    const code = users.confirmationCode(POOL, 'ada@example.com')!;
    expect(code).toMatch(/^\d{6}$/);
    expect(codes.at(-1)).toBe(code);
    const wrongCode = code === '000000' ? '000001' : '000000';
    expect((await rejection(idp.send(new ConfirmSignUpCommand({ ClientId: CLIENT, Username: 'ada@example.com', ConfirmationCode: wrongCode })))).name).toBe('CodeMismatchException');
    await idp.send(new ConfirmSignUpCommand({ ClientId: CLIENT, Username: 'ADA@example.com', ConfirmationCode: code }));
    expect(users.confirmationCode(POOL, 'ada@example.com')).toBeUndefined();
  });

  it('signs in, refuses wrong passwords and unknown users alike, refreshes, and serves GetUser', async () => {
    const wrong = await rejection(idp.send(new InitiateAuthCommand({ ClientId: CLIENT, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ada@example.com', PASSWORD: 'Wrong-password-1' } })));
    expect(wrong).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.', status: 400 });
    const unknown = await rejection(idp.send(new InitiateAuthCommand({ ClientId: CLIENT, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nobody@example.com', PASSWORD } })));
    expect(unknown).toEqual(wrong);

    const out = await idp.send(new InitiateAuthCommand({ ClientId: CLIENT, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ADA@example.com', PASSWORD } }));
    const auth = out.AuthenticationResult!;
    expect(auth).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    expect(auth.RefreshToken).toBeTruthy();

    const me = await idp.send(new GetUserCommand({ AccessToken: auth.AccessToken }));
    const sub = decode(auth.IdToken!).payload.sub;
    expect(me.Username).toBe(sub); // UsernameAttributes: [email] makes the username the sub, as on AWS
    expect(Object.fromEntries(me.UserAttributes!.map((a) => [a.Name, a.Value]))).toEqual({ sub, email: 'Ada@Example.com', email_verified: 'true' }); // stored as given, matched case-insensitively
    expect((await rejection(idp.send(new GetUserCommand({ AccessToken: auth.IdToken })))).name).toBe('NotAuthorizedException');

    clock += 60_000;
    const refreshed = await idp.send(new InitiateAuthCommand({ ClientId: CLIENT, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: auth.RefreshToken! } }));
    expect(refreshed.AuthenticationResult!.RefreshToken).toBeUndefined();
    const again = decode(refreshed.AuthenticationResult!.IdToken!).payload;
    expect(again.sub).toBe(sub);
    expect(again.iat).toBe(Math.floor(clock / 1000));
    expect(again.auth_time).toBe(decode(auth.IdToken!).payload.auth_time);
    const badRefresh = await rejection(idp.send(new InitiateAuthCommand({ ClientId: CLIENT, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: 'forged' } })));
    expect(badRefresh.name).toBe('NotAuthorizedException');

    clock += 61 * 60_000;
    const stale = await rejection(idp.send(new GetUserCommand({ AccessToken: auth.AccessToken })));
    expect(stale).toMatchObject({ name: 'NotAuthorizedException', message: 'Access Token has expired' });
    clock = Date.now();
  });

  it('issues RS256 tokens that verify with node:crypto against the published JWKS, with Cognito claims', async () => {
    const auth = await signUpAndIn('grace@example.com');
    const res = await fetch(`${users.url}/${POOL}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: Array<Record<string, string>> };
    expect(jwks).toEqual(users.jwks(POOL));
    expect(users.issuer(POOL)).toBe(`${users.url}/${POOL}`);

    for (const [token, use] of [[auth.IdToken!, 'id'], [auth.AccessToken!, 'access']] as const) {
      const [h, p, s] = token.split('.') as [string, string, string];
      const { header, payload } = decode(token);
      expect(header.alg).toBe('RS256');
      const jwk = jwks.keys.find((k) => k.kid === header.kid)!;
      expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n!, e: jwk.e! }, format: 'jwk' });
      expect(verifySignature('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))).toBe(true);
      expect(payload.iss).toBe(users.issuer(POOL));
      expect(payload.token_use).toBe(use);
      expect(payload.exp).toBe((payload.iat as number) + 3600);
      expect((payload.exp as number) * 1000).toBeGreaterThan(Date.now());
      if (use === 'id') {
        expect(payload).toMatchObject({ aud: CLIENT, email: 'grace@example.com', email_verified: false, 'cognito:username': payload.sub });
        expect(typeof payload.auth_time).toBe('number');
      } else {
        expect(payload).toMatchObject({ client_id: CLIENT, scope: 'aws.cognito.signin.user.admin', username: payload.sub });
        expect(payload.aud).toBeUndefined();
      }
    }
    expect((await fetch(`${users.url}/us-east-1_nope/.well-known/jwks.json`)).status).toBe(404);
  });

  it('refuses unknown clients and flows the client does not allow, as AWS does', async () => {
    const unknown = await rejection(idp.send(new InitiateAuthCommand({ ClientId: 'nope', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'grace@example.com', PASSWORD } })));
    expect(unknown.name).toBe('ResourceNotFoundException');
    expect((await rejection(idp.send(new SignUpCommand({ ClientId: 'nope', Username: 'x@example.com', Password: PASSWORD })))).name).toBe('ResourceNotFoundException');
    const flow = await rejection(idp.send(new InitiateAuthCommand({ ClientId: SRP_ONLY_CLIENT, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'grace@example.com', PASSWORD } })));
    expect(flow).toMatchObject({ name: 'InvalidParameterException', message: 'USER_PASSWORD_AUTH flow not enabled for this client' });
    expect((await rejection(idp.send(new AdminConfirmSignUpCommand({ UserPoolId: 'us-east-1_nope', Username: 'grace@example.com' })))).name).toBe('ResourceNotFoundException');
  });
});

describe('local Cognito identity pool (real CognitoIdentityClient)', () => {
  const loginKey = `cognito-idp.${region}.amazonaws.com/${POOL}`;

  it('gives each user a stable identity and temporary credentials the CredentialStore knows', async () => {
    const a = await signUpAndIn('alice@example.com');
    const b = await signUpAndIn('bob@example.com');
    const idA = (await cid.send(new GetIdCommand({ IdentityPoolId: IDENTITY_POOL, Logins: { [loginKey]: a.IdToken! } }))).IdentityId!;
    const idB = (await cid.send(new GetIdCommand({ IdentityPoolId: IDENTITY_POOL, Logins: { [loginKey]: b.IdToken! } }))).IdentityId!;
    expect(idA).toMatch(/^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(idB).not.toBe(idA);
    // The local issuer form is accepted too, and names the same identity.
    const localKey = loginKeysFor(users.issuer(POOL), region)[1]!;
    expect(localKey).toBe(users.issuer(POOL).replace('http://', ''));
    expect((await cid.send(new GetIdCommand({ IdentityPoolId: IDENTITY_POOL, Logins: { [localKey]: a.IdToken! } }))).IdentityId).toBe(idA);

    const credsA = await cid.send(new GetCredentialsForIdentityCommand({ IdentityId: idA, Logins: { [loginKey]: a.IdToken! } }));
    const credsB = await cid.send(new GetCredentialsForIdentityCommand({ IdentityId: idB, Logins: { [loginKey]: b.IdToken! } }));
    expect(credsA.IdentityId).toBe(idA);
    const ca = credsA.Credentials!;
    expect(ca.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(ca.Expiration).toBeInstanceOf(Date);
    expect(ca.Expiration!.getTime()).toBeGreaterThan(Date.now());
    expect(credsB.Credentials!.AccessKeyId).not.toBe(ca.AccessKeyId);
    expect(credentials.lookup(ca.AccessKeyId!)).toMatchObject({ identityId: idA, roleArn: ROLE, secretAccessKey: ca.SecretKey, sessionToken: ca.SessionToken });
    expect(credentials.lookup(ca.AccessKeyId!)!.expiration.getTime()).toBe(ca.Expiration!.getTime());
    expect(credentials.lookup(credsB.Credentials!.AccessKeyId!)?.identityId).toBe(idB);
    expect(credentials.lookup('ASIAUNKNOWN000000000')).toBeUndefined();

    // B's token cannot fetch credentials for A's identity.
    const swapped = await rejection(cid.send(new GetCredentialsForIdentityCommand({ IdentityId: idA, Logins: { [loginKey]: b.IdToken! } })));
    expect(swapped.name).toBe('NotAuthorizedException');
    const bare = await rejection(cid.send(new GetCredentialsForIdentityCommand({ IdentityId: idA })));
    expect(bare.name).toBe('NotAuthorizedException');
  });

  it('refuses missing Logins and forged, expired, wrong-use or other-pool tokens', async () => {
    const a = await signUpAndIn('carol@example.com');
    const getId = (logins?: Record<string, string>) => rejection(cid.send(new GetIdCommand({ IdentityPoolId: IDENTITY_POOL, Logins: logins })));

    expect(await getId()).toMatchObject({ name: 'NotAuthorizedException', message: 'Unauthenticated access is not supported for this identity pool.', status: 400 });
    expect((await rejection(cid.send(new GetIdCommand({ IdentityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000', Logins: { [loginKey]: a.IdToken! } })))).name).toBe('ResourceNotFoundException');

    // Payload swapped under the original signature.
    const [h, p, s] = a.IdToken!.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${s}`;
    expect((await getId({ [loginKey]: tampered })).name).toBe('NotAuthorizedException');
    // Same claims signed by a key the pool never published (even reusing its kid).
    const rogue = await generateSigningKey();
    const kid = JSON.parse(Buffer.from(h, 'base64url').toString()).kid as string;
    expect((await getId({ [loginKey]: signJwt(claims, { ...rogue, kid }) })).name).toBe('NotAuthorizedException');
    expect((await getId({ [loginKey]: 'not.a.jwt' })).name).toBe('NotAuthorizedException');
    // An access token is not an identity token.
    expect((await getId({ [loginKey]: a.AccessToken! })).name).toBe('NotAuthorizedException');
    // A token of another user pool, under its own name or under this pool's.
    const other = await signUpAndIn('mallory@example.com', OTHER_CLIENT, OTHER_POOL);
    expect((await getId({ [`cognito-idp.${region}.amazonaws.com/${OTHER_POOL}`]: other.IdToken! })).name).toBe('NotAuthorizedException');
    expect((await getId({ [loginKey]: other.IdToken! })).name).toBe('NotAuthorizedException');
    // Expired.
    clock += 61 * 60_000;
    try {
      expect(await getId({ [loginKey]: a.IdToken! })).toMatchObject({ name: 'NotAuthorizedException', message: expect.stringMatching(/expired/) });
    } finally {
      clock = Date.now();
    }
    // And the genuine token still works.
    expect((await cid.send(new GetIdCommand({ IdentityPoolId: IDENTITY_POOL, Logins: { [loginKey]: a.IdToken! } }))).IdentityId).toMatch(/^us-east-1:/);
  });
});

describe('CredentialStore', () => {
  it('forgets credentials once they expire', () => {
    let t = 1_000_000;
    const store = new CredentialStore({ ttlSeconds: 60, now: () => t });
    const c = store.issue('us-east-1:x', ROLE);
    expect(c.secretAccessKey).toHaveLength(40);
    expect(store.lookup(c.accessKeyId)).toBe(c);
    t += 59_000;
    expect(store.lookup(c.accessKeyId)).toBe(c);
    t += 1_000;
    expect(store.lookup(c.accessKeyId)).toBeUndefined();
  });
});

describe('shutdown', () => {
  it('close() ends keep-alive connections and frees the port', async () => {
    const pool = await startUserPool({ pools: [{ id: POOL, clients: [{ id: CLIENT, explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'], accessTokenMinutes: 5, idTokenMinutes: 5, refreshTokenDays: 1 }] }] });
    const ids = await startIdentityPool({ region, credentials: new CredentialStore(), pools: [] });
    const client = new CognitoIdentityProviderClient({ region, endpoint: pool.url, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    await client.send(new SignUpCommand({ ClientId: CLIENT, Username: 'dan@example.com', Password: PASSWORD }));
    const started = Date.now();
    await Promise.all([pool.close(), ids.close()]);
    // The SDK's agent still holds its socket: without closeAllConnections this waits for the keep-alive timeout.
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(fetch(`${pool.url}/${POOL}/.well-known/jwks.json`)).rejects.toThrow();
    await expect(fetch(ids.url, { method: 'POST' })).rejects.toThrow();
    client.destroy();
  });
});
