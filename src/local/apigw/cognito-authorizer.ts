// A COGNITO_USER_POOLS authorizer: the checks API Gateway makes on the token
// in the identity source header before a method runs. Without
// AuthorizationScopes on the method it wants an ID token whose `aud` is an app
// client of the pool; with scopes, an access token (client_id) carrying one
// of them.
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';

export interface CognitoAuthorizerConfig {
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>` or the local pool's issuer. */
  issuer: string;
  /** The pool's JWKS (or a function returning it, for a pool that rotates keys). */
  jwks: { keys: JsonWebKey[] } | (() => { keys: JsonWebKey[] });
  /** The pool's app client ids. */
  clientIds: string[];
}

export type Claims = Record<string, unknown>;

const b64json = (part: string): Record<string, unknown> | undefined => {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** The token's claims when API Gateway would accept it, else undefined (401). */
export function verifyCognitoToken(
  token: string | undefined,
  config: CognitoAuthorizerConfig,
  nowMs: number,
  scopes: string[] = [],
): { claims: Claims } | { reason: string } {
  if (!token) return { reason: 'no token in the Authorization header' };
  const parts = token.replace(/^Bearer\s+/i, '').split('.');
  if (parts.length !== 3) return { reason: 'not a JWT' };
  const [h, p, s] = parts as [string, string, string];
  const header = b64json(h);
  const claims = b64json(p);
  if (!header || !claims) return { reason: 'undecodable JWT' };
  if (header.alg !== 'RS256') return { reason: `algorithm ${String(header.alg)} is not RS256` };
  const jwks = typeof config.jwks === 'function' ? config.jwks() : config.jwks;
  const jwk = jwks.keys.find((k) => (k as { kid?: string }).kid === header.kid);
  if (!jwk) return { reason: `no key ${String(header.kid)} in the pool's JWKS` };
  let ok = false;
  try {
    ok = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url'));
  } catch {
    ok = false;
  }
  if (!ok) return { reason: 'bad signature' };
  if (claims.iss !== config.issuer) return { reason: `issuer ${String(claims.iss)} is not the pool` };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return { reason: 'token expired' };
  if (scopes.length === 0) {
    if (claims.token_use !== 'id') return { reason: `token_use ${String(claims.token_use)}: an ID token is required` };
    if (typeof claims.aud !== 'string' || !config.clientIds.includes(claims.aud)) return { reason: `audience ${String(claims.aud)} is not an app client of the pool` };
  } else {
    if (claims.token_use !== 'access') return { reason: 'an access token is required for a method with scopes' };
    if (typeof claims.client_id !== 'string' || !config.clientIds.includes(claims.client_id)) return { reason: 'client_id is not an app client of the pool' };
    const granted = String(claims.scope ?? '').split(' ');
    if (!scopes.some((sc) => granted.includes(sc))) return { reason: 'no required scope' };
  }
  return { claims };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `Tue Oct 10 20:24:11 UTC 2023`: how API Gateway writes exp and iat in the claims. */
function gatewayDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** The claims as requestContext.authorizer.claims carries them: every value a string. */
export function claimsForEvent(claims: Claims): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(claims)) {
    if ((key === 'exp' || key === 'iat') && typeof value === 'number') out[key] = gatewayDate(value);
    else if (Array.isArray(value)) out[key] = value.map(String).join(',');
    else if (typeof value === 'object' && value !== null) out[key] = JSON.stringify(value);
    else out[key] = String(value);
  }
  return out;
}
