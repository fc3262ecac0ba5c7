import { createPublicKey, generateKeyPair, randomUUID, sign, verify, type KeyObject } from 'node:crypto';

export interface Jwk {
  kid: string;
  alg: 'RS256';
  kty: 'RSA';
  use: 'sig';
  n: string;
  e: string;
}

export interface Jwks {
  keys: Jwk[];
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: Jwk;
}

export type JwtPayload = Record<string, unknown>;

/** An RS256 key pair made at start-up: tokens die with the process, as the users do. */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, pub, priv) => (err ? reject(err) : resolve({ publicKey: pub, privateKey: priv }))),
  );
  const exported = publicKey.export({ format: 'jwk' });
  const kid = randomUUID();
  return { kid, privateKey, jwk: { kid, alg: 'RS256', kty: 'RSA', use: 'sig', n: String(exported.n), e: String(exported.e) } };
}

export function signJwt(payload: JwtPayload, key: SigningKey): string {
  // Cognito's header carries kid and alg only.
  const input = `${b64url(JSON.stringify({ kid: key.kid, alg: 'RS256' }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

export type JwtFailure = 'malformed' | 'signature' | 'expired' | 'issuer' | 'audience' | 'token_use';

export class JwtError extends Error {
  constructor(
    readonly reason: JwtFailure,
    message: string,
  ) {
    super(message);
    this.name = 'JwtError';
  }
}

export interface JwtExpectations {
  issuer?: string;
  /** Matches `aud` (id tokens) or `client_id` (access tokens), as API Gateway's Cognito authorizer does. */
  clientId?: string | string[];
  tokenUse?: 'id' | 'access';
  /** Milliseconds since the epoch; defaults to Date.now(). */
  now?: number;
}

/** Verifies an RS256 JWT against a JWKS and Cognito's claim rules; throws JwtError saying which check failed. */
export function verifyJwt(token: string, jwks: Jwks, expect: JwtExpectations = {}): JwtPayload {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtError('malformed', 'Not a JWT.');
  const [h, p, s] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let payload: JwtPayload;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as JwtPayload;
  } catch {
    throw new JwtError('malformed', 'Not a JWT.');
  }
  if (!header || typeof header !== 'object' || !payload || typeof payload !== 'object') throw new JwtError('malformed', 'Not a JWT.');
  // Only RS256: never let the token choose a weaker algorithm ("none", HS256 with the public key).
  if (header.alg !== 'RS256') throw new JwtError('signature', `Unsupported algorithm ${String(header.alg)}.`);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new JwtError('signature', 'No key in the JWKS matches the token.');
  const valid = verify('sha256', Buffer.from(`${h}.${p}`), publicKeyFor(jwk), Buffer.from(s, 'base64url'));
  if (!valid) throw new JwtError('signature', 'Invalid signature.');
  const now = expect.now ?? Date.now();
  if (typeof payload.exp !== 'number' || payload.exp * 1000 <= now) throw new JwtError('expired', 'Token expired.');
  if (expect.issuer !== undefined && payload.iss !== expect.issuer) throw new JwtError('issuer', 'Issuer mismatch.');
  if (expect.tokenUse !== undefined && payload.token_use !== expect.tokenUse) throw new JwtError('token_use', `Not an ${expect.tokenUse} token.`);
  if (expect.clientId !== undefined) {
    const allowed = Array.isArray(expect.clientId) ? expect.clientId : [expect.clientId];
    const client = payload.token_use === 'access' ? payload.client_id : payload.aud;
    if (typeof client !== 'string' || !allowed.includes(client)) throw new JwtError('audience', 'Audience mismatch.');
  }
  return payload;
}

const keyCache = new WeakMap<Jwk, KeyObject>();

function publicKeyFor(jwk: Jwk): KeyObject {
  let key = keyCache.get(jwk);
  if (!key) {
    key = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
    keyCache.set(jwk, key);
  }
  return key;
}

function b64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
