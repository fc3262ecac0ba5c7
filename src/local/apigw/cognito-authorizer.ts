// A COGNITO_USER_POOLS authorizer: the checks API Gateway makes on the token
// in the identity source header before a method runs. Without
// AuthorizationScopes on the method it wants an ID token whose `aud` is an app
// client of the pool; with scopes, an access token (client_id) carrying one
// of them.
import type { JsonWebKey } from 'node:crypto';
import { JwtError, verifyJwt, type Jwks } from '../cognito/jwt.js';

export interface CognitoAuthorizerConfig {
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>` or the local pool's issuer. */
  issuer: string;
  /** The pool's JWKS (or a function returning it, for a pool that rotates keys). */
  jwks: { keys: JsonWebKey[] } | (() => { keys: JsonWebKey[] });
  /** The pool's app client ids. */
  clientIds: string[];
}

export type Claims = Record<string, unknown>;

/** The token's claims when API Gateway would accept it, else the reason for the 401. */
export function verifyCognitoToken(
  token: string | undefined,
  config: CognitoAuthorizerConfig,
  nowMs: number,
  scopes: string[] = [],
): { claims: Claims } | { reason: string } {
  if (!token) return { reason: 'no token in the Authorization header' };
  const jwks = (typeof config.jwks === 'function' ? config.jwks() : config.jwks) as unknown as Jwks;
  try {
    // Without scopes an ID token whose aud is an app client; with scopes an access token (client_id) holding one.
    const claims = verifyJwt(token.replace(/^Bearer\s+/i, ''), jwks, {
      issuer: config.issuer,
      clientId: config.clientIds,
      tokenUse: scopes.length === 0 ? 'id' : 'access',
      now: nowMs,
    });
    if (scopes.length > 0 && !scopes.some((sc) => String(claims.scope ?? '').split(' ').includes(sc))) return { reason: 'no required scope' };
    return { claims };
  } catch (err) {
    if (err instanceof JwtError) return { reason: `${err.reason}: ${err.message}` };
    throw err;
  }
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
