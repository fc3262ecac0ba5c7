import { createPublicKey, verify as verifySignature } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmSignUpCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPattern } from '../../src/actions/render.js';
import { CredentialStore } from '../../src/local/credentials.js';
import {
  checkPassword,
  generatePassword,
  generateSigningKey,
  loginKeysFor,
  passwordPolicyFromTemplate,
  signJwt,
  startIdentityPool,
  startUserPool,
  userPoolClientFromTemplate,
  userPoolFromTemplate,
  type LocalIdentityPool,
  type LocalUserPool,
  type TemporaryPasswordEvent,
} from '../../src/local/cognito/index.js';

const region = 'us-east-1';
const POOL = 'us-east-1_LocalPool1';
const OTHER_POOL = 'us-east-1_OtherPool';
const CLIENT = 'localclient0000000000000001';
const SRP_ONLY_CLIENT = 'localclient0000000000000002';
const OTHER_CLIENT = 'otherclient0000000000000001';
// A pool whose users sign in by a name of their own (no UsernameAttributes).
const NAMED_POOL = 'us-east-1_NamedPool';
const NAMED_CLIENT = 'namedclient0000000000000001';
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
const invitations: TemporaryPasswordEvent[] = [];

beforeAll(async () => {
  const client = userPoolClientFromTemplate(CLIENT, clientProps);
  users = await startUserPool({
    now,
    onConfirmationCode: (e) => codes.push(e.code),
    onTemporaryPassword: (e) => invitations.push(e),
    pools: [
      userPoolFromTemplate(POOL, poolProps, [client, { ...client, id: SRP_ONLY_CLIENT, explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }]),
      { id: OTHER_POOL, clients: [{ ...client, id: OTHER_CLIENT }] },
      { id: NAMED_POOL, usernameAttributes: [], caseSensitive: false, clients: [{ ...client, id: NAMED_CLIENT }] },
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

describe('local Cognito user pool admin operations (real CognitoIdentityProviderClient)', () => {
  const signIn = (username: string, password: string, clientId = CLIENT) =>
    idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
  const attrs = (list: { Name?: string; Value?: string }[] | undefined) => Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value]));

  it('AdminCreateUser with SUPPRESS makes a FORCE_CHANGE_PASSWORD user with a verified email, reporting no password', async () => {
    const before = invitations.length;
    const created = await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: POOL,
        Username: 'Henry@Example.com',
        UserAttributes: [
          { Name: 'email', Value: 'Henry@Example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
        TemporaryPassword: PASSWORD,
        MessageAction: 'SUPPRESS',
      }),
    );
    const user = created.User!;
    // UsernameAttributes: [email] makes the username a generated one, the sub, as on AWS.
    expect(user.Username).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(attrs(user.Attributes)).toEqual({ sub: user.Username, email: 'Henry@Example.com', email_verified: 'true' });
    expect(user.Attributes![0]).toEqual({ Name: 'sub', Value: user.Username });
    expect(user).toMatchObject({ Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    expect(user.UserCreateDate).toBeInstanceOf(Date);
    expect(Math.abs(user.UserCreateDate!.getTime() - clock)).toBeLessThan(1000);
    expect(user.UserLastModifiedDate!.getTime()).toBe(user.UserCreateDate!.getTime());
    expect(invitations.length).toBe(before);

    // AdminGetUser finds it by the email (any case) and by the sub alike.
    for (const name of ['henry@example.com', user.Username!]) {
      const got = await idp.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: name }));
      expect(got).toMatchObject({ Username: user.Username, Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
      expect(attrs(got.UserAttributes)).toEqual(attrs(user.Attributes));
    }

    const again = await rejection(idp.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: 'HENRY@example.com', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' })));
    expect(again).toMatchObject({ name: 'UsernameExistsException', status: 400 });
  });

  it('AdminCreateUser checks the temporary password against the pool policy and the parameters as AWS does', async () => {
    const create = (input: Partial<ConstructorParameters<typeof AdminCreateUserCommand>[0]>) =>
      rejection(idp.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: 'ivy@example.com', MessageAction: 'SUPPRESS', ...input })));
    const weak = await create({ TemporaryPassword: 'Short-1a' });
    expect(weak).toMatchObject({ name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' });
    expect((await create({ TemporaryPassword: 'no-upper-case-1234' })).name).toBe('InvalidPasswordException');
    expect((await create({ Username: 'not-an-email', TemporaryPassword: PASSWORD })).name).toBe('InvalidParameterException');
    const action = await create({ TemporaryPassword: PASSWORD, MessageAction: 'SILENT' as never });
    expect(action).toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining("at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]") });
    expect((await create({ UserPoolId: 'us-east-1_nope', TemporaryPassword: PASSWORD })).name).toBe('ResourceNotFoundException');
    // A pool with usernames of their own: an invitation by email needs an email, one by SMS a phone number, email_verified an email.
    const named = (input: Partial<ConstructorParameters<typeof AdminCreateUserCommand>[0]>) => create({ UserPoolId: NAMED_POOL, Username: 'ivy', TemporaryPassword: PASSWORD, ...input });
    expect(await named({ MessageAction: undefined, DesiredDeliveryMediums: ['EMAIL'] })).toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('No email') });
    expect(await named({ MessageAction: undefined, DesiredDeliveryMediums: ['SMS'] })).toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('No phone_number') });
    expect((await named({ UserAttributes: [{ Name: 'email_verified', Value: 'true' }] })).name).toBe('InvalidParameterException');
    expect((await named({ UserAttributes: [{ Name: 'email', Value: 'not-an-email' }] })).name).toBe('InvalidParameterException');
    // None of these made the user.
    for (const [pool, name] of [[POOL, 'ivy@example.com'], [NAMED_POOL, 'ivy']] as const) {
      expect((await rejection(idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: name })))).name).toBe('UserNotFoundException');
    }
    // In that pool the username is the name given; the email is an ordinary, unverified attribute.
    const ivy = await idp.send(new AdminCreateUserCommand({ UserPoolId: NAMED_POOL, Username: 'Ivy', UserAttributes: [{ Name: 'email', Value: 'ivy@example.com' }], TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
    expect(ivy.User!.Username).toBe('Ivy');
    expect(attrs(ivy.User!.Attributes)).toEqual({ sub: expect.stringMatching(/^[0-9a-f-]{36}$/), email: 'ivy@example.com', email_verified: 'false' });
  });

  it('a FORCE_CHANGE_PASSWORD user gets the NEW_PASSWORD_REQUIRED challenge, and answering it signs in and confirms the user', async () => {
    const temporary = 'Temporary-Pass-42';
    const { User } = await idp.send(
      new AdminCreateUserCommand({ UserPoolId: POOL, Username: 'jack@example.com', UserAttributes: [{ Name: 'email_verified', Value: 'true' }], TemporaryPassword: temporary, MessageAction: 'SUPPRESS' }),
    );
    expect((await rejection(signIn('jack@example.com', PASSWORD))).name).toBe('NotAuthorizedException');

    const challenge = await signIn('JACK@example.com', temporary);
    expect(challenge.AuthenticationResult).toBeUndefined();
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(challenge.Session!.length).toBeGreaterThan(20);
    expect(challenge.ChallengeParameters).toEqual({
      USER_ID_FOR_SRP: User!.Username,
      requiredAttributes: '[]',
      userAttributes: JSON.stringify({ email_verified: 'true', email: 'jack@example.com' }),
    });
    // A second attempt gets a session of its own.
    const second = await signIn('jack@example.com', temporary);
    expect(second.Session).not.toBe(challenge.Session);

    const respond = (session: string | undefined, responses: Record<string, string>) =>
      idp.send(new RespondToAuthChallengeCommand({ ClientId: CLIENT, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: session, ChallengeResponses: responses }));
    expect((await rejection(respond(challenge.Session, { USERNAME: 'jack@example.com', NEW_PASSWORD: 'weak' }))).name).toBe('InvalidPasswordException');
    expect((await rejection(respond('forged', { USERNAME: 'jack@example.com', NEW_PASSWORD: PASSWORD }))).name).toBe('NotAuthorizedException');
    expect((await rejection(respond(challenge.Session, { USERNAME: 'henry@example.com', NEW_PASSWORD: PASSWORD }))).name).toBe('NotAuthorizedException');
    expect((await rejection(respond(challenge.Session, { USERNAME: 'jack@example.com' }))).name).toBe('InvalidParameterException');

    const done = await respond(challenge.Session, { USERNAME: 'jack@example.com', NEW_PASSWORD: PASSWORD, 'userAttributes.name': 'Jack' });
    expect(done.ChallengeName).toBeUndefined();
    const { payload } = decode(done.AuthenticationResult!.IdToken!);
    expect(payload).toMatchObject({ sub: User!.Username, email: 'jack@example.com', email_verified: true, token_use: 'id' });
    expect(done.AuthenticationResult!.RefreshToken).toBeTruthy();
    const got = await idp.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: 'jack@example.com' }));
    expect(got.UserStatus).toBe('CONFIRMED');
    expect(attrs(got.UserAttributes).name).toBe('Jack');

    // The session is spent, and so is the other one; the temporary password no longer signs in.
    expect((await rejection(respond(challenge.Session, { USERNAME: 'jack@example.com', NEW_PASSWORD: PASSWORD }))).name).toBe('NotAuthorizedException');
    expect((await rejection(respond(second.Session, { USERNAME: 'jack@example.com', NEW_PASSWORD: PASSWORD }))).name).toBe('NotAuthorizedException');
    expect((await rejection(signIn('jack@example.com', temporary))).name).toBe('NotAuthorizedException');
    expect((await signIn('jack@example.com', PASSWORD)).AuthenticationResult!.IdToken).toBeTruthy();
    // Spent for good, both: not even once the user is back in FORCE_CHANGE_PASSWORD.
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: POOL, Username: 'jack@example.com', Password: temporary, Permanent: false }));
    for (const session of [challenge.Session, second.Session]) {
      expect((await rejection(respond(session, { USERNAME: 'jack@example.com', NEW_PASSWORD: PASSWORD }))).name).toBe('NotAuthorizedException');
    }
  });

  it('a temporary password lasts TemporaryPasswordValidityDays, a challenge session AuthSessionValidity', async () => {
    expect(passwordPolicyFromTemplate(poolProps).temporaryPasswordValidityDays).toBe(3);
    expect(userPoolClientFromTemplate(CLIENT, clientProps).authSessionMinutes).toBe(3);
    await idp.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: 'kate@example.com', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
    try {
      const challenge = await signIn('kate@example.com', PASSWORD);
      clock += 3 * 60_000;
      const stale = await rejection(
        idp.send(new RespondToAuthChallengeCommand({ ClientId: CLIENT, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session, ChallengeResponses: { USERNAME: 'kate@example.com', NEW_PASSWORD: 'Kate-New-Password-1' } })),
      );
      expect(stale).toEqual({ name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.', status: 400 });
      clock += 3 * 86_400_000;
      expect(await rejection(signIn('kate@example.com', PASSWORD))).toEqual({ name: 'NotAuthorizedException', message: 'Temporary password has expired and must be reset by an administrator.', status: 400 });
      // An administrator resets it: a new temporary password, valid again.
      await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: POOL, Username: 'kate@example.com', Password: 'Kate-Temporary-2', Permanent: false }));
      expect((await signIn('kate@example.com', 'Kate-Temporary-2')).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    } finally {
      clock = Date.now();
    }
  });

  it('without SUPPRESS the temporary password (generated to the policy when not given) is reported where AWS would send it; RESEND gives a new one', async () => {
    const before = invitations.length;
    const { User } = await idp.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: 'Liam@example.com', DesiredDeliveryMediums: ['EMAIL'] }));
    expect(invitations.slice(before)).toHaveLength(1);
    const first = invitations.at(-1)!;
    expect(first).toMatchObject({ poolId: POOL, username: 'Liam@example.com', email: 'Liam@example.com' });
    expect(() => checkPassword({ minimumLength: 12, requireUppercase: true, requireLowercase: true, requireNumbers: true, requireSymbols: true, temporaryPasswordValidityDays: 3 }, first.temporaryPassword)).not.toThrow();
    expect((await signIn('liam@example.com', first.temporaryPassword)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');

    const resent = await idp.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: 'liam@example.com', MessageAction: 'RESEND' }));
    expect(resent.User).toMatchObject({ Username: User!.Username, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    const second = invitations.at(-1)!;
    expect(second.temporaryPassword).not.toBe(first.temporaryPassword);
    expect((await rejection(signIn('liam@example.com', first.temporaryPassword))).name).toBe('NotAuthorizedException');
    expect((await signIn('liam@example.com', second.temporaryPassword)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');

    // RESEND is for a user still waiting for its first sign-in only.
    expect((await rejection(idp.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: 'nobody@example.com', MessageAction: 'RESEND' })))).name).toBe('UserNotFoundException');
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: POOL, Username: 'liam@example.com', Password: PASSWORD, Permanent: true }));
    expect((await rejection(idp.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: 'liam@example.com', MessageAction: 'RESEND' })))).name).toBe('UnsupportedUserStateException');
  });

  it('generatePassword always meets the policy it is given', () => {
    const strict = { minimumLength: 20, requireUppercase: true, requireLowercase: true, requireNumbers: true, requireSymbols: true, temporaryPasswordValidityDays: 7 };
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generatePassword(strict);
      expect(p).toHaveLength(20);
      expect(() => checkPassword(strict, p)).not.toThrow();
      seen.add(p);
    }
    expect(seen.size).toBe(200);
    expect(generatePassword({ ...strict, minimumLength: 6 }).length).toBeGreaterThanOrEqual(12);
  });

  it('AdminSetUserPassword: Permanent signs in directly (CONFIRMED), otherwise the password is temporary; the policy applies', async () => {
    await idp.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: 'mia@example.com', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
    const set = (Password: string, Permanent?: boolean, Username = 'mia@example.com', UserPoolId = POOL) =>
      idp.send(new AdminSetUserPasswordCommand({ UserPoolId, Username, Password, ...(Permanent !== undefined ? { Permanent } : {}) }));
    expect((await rejection(set('weak', true))).name).toBe('InvalidPasswordException');
    expect((await rejection(set(PASSWORD, true, 'nobody@example.com'))).name).toBe('UserNotFoundException');
    expect((await rejection(set(PASSWORD, true, 'mia@example.com', 'us-east-1_nope'))).name).toBe('ResourceNotFoundException');

    const before = (await idp.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: 'mia@example.com' }))).UserLastModifiedDate!;
    clock += 5_000;
    try {
      await set('Mia-Permanent-Pass-1', true);
      const after = await idp.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: 'mia@example.com' }));
      expect(after.UserStatus).toBe('CONFIRMED');
      expect(after.UserLastModifiedDate!.getTime()).toBe(before.getTime() + 5_000);
      expect((await signIn('mia@example.com', 'Mia-Permanent-Pass-1')).AuthenticationResult!.IdToken).toBeTruthy();
      expect((await rejection(signIn('mia@example.com', PASSWORD))).name).toBe('NotAuthorizedException');

      // Without Permanent (false by default) the user must choose a password at the next sign-in.
      await set('Mia-Temporary-Pass-2');
      expect((await idp.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: 'mia@example.com' }))).UserStatus).toBe('FORCE_CHANGE_PASSWORD');
      expect((await signIn('mia@example.com', 'Mia-Temporary-Pass-2')).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    } finally {
      clock = Date.now();
    }

    // A signed-up, unconfirmed user becomes CONFIRMED with a permanent password; AdminConfirmSignUp then has nothing to confirm.
    await idp.send(new SignUpCommand({ ClientId: CLIENT, Username: 'noah@example.com', Password: PASSWORD }));
    await set('Noah-Permanent-Pass-1', true, 'noah@example.com');
    expect((await idp.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: 'noah@example.com' }))).UserStatus).toBe('CONFIRMED');
    const confirm = await rejection(idp.send(new AdminConfirmSignUpCommand({ UserPoolId: POOL, Username: 'noah@example.com' })));
    expect(confirm).toMatchObject({ name: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED' });
  });

  it('AdminDeleteUser removes the user under every name and revokes its refresh tokens; the email is free again', async () => {
    const { User } = await idp.send(
      new AdminCreateUserCommand({ UserPoolId: POOL, Username: 'olga@example.com', UserAttributes: [{ Name: 'email_verified', Value: 'true' }], TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }),
    );
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: POOL, Username: User!.Username, Password: PASSWORD, Permanent: true }));
    const auth = (await signIn('olga@example.com', PASSWORD)).AuthenticationResult!;
    const refresh = () => idp.send(new InitiateAuthCommand({ ClientId: CLIENT, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: auth.RefreshToken! } }));
    expect((await refresh()).AuthenticationResult!.IdToken).toBeTruthy();

    expect((await rejection(idp.send(new AdminDeleteUserCommand({ UserPoolId: 'us-east-1_nope', Username: User!.Username })))).name).toBe('ResourceNotFoundException');
    const deleted = await idp.send(new AdminDeleteUserCommand({ UserPoolId: POOL, Username: User!.Username }));
    expect(deleted.$metadata.httpStatusCode).toBe(200);

    expect(await rejection(signIn('olga@example.com', PASSWORD))).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.', status: 400 });
    expect(await rejection(refresh())).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
    for (const name of ['olga@example.com', User!.Username!]) {
      expect(await rejection(idp.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: name })))).toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
      expect((await rejection(idp.send(new AdminDeleteUserCommand({ UserPoolId: POOL, Username: name })))).name).toBe('UserNotFoundException');
    }
    expect((await rejection(idp.send(new GetUserCommand({ AccessToken: auth.AccessToken })))).name).toBe('UserNotFoundException');

    const anew = await idp.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: 'olga@example.com', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
    expect(anew.User!.Username).not.toBe(User!.Username);
  });

  it('accepts admin calls whatever their signature: there is no IAM locally', async () => {
    const res = await fetch(users.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.AdminCreateUser' },
      body: JSON.stringify({ UserPoolId: POOL, Username: 'unsigned@example.com', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { User: { UserStatus: string; UserCreateDate: number } };
    expect(body.User.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    // Epoch seconds on the wire, as AWS JSON 1.1 carries timestamps.
    expect(Math.abs(body.User.UserCreateDate - clock / 1000)).toBeLessThan(1);
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
