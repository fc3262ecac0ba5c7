export { startUserPool, checkPassword, generatePassword } from './user-pool.js';
export type { LocalUserPool, UserPoolOptions, UserPoolConfig, UserPoolClientConfig, PasswordPolicy, ConfirmationCodeEvent, TemporaryPasswordEvent } from './user-pool.js';
export { startIdentityPool, loginKeysFor } from './identity-pool.js';
export type { LocalIdentityPool, IdentityPoolOptions, IdentityPoolConfig, IdentityProviderConfig } from './identity-pool.js';
export { verifyJwt, signJwt, generateSigningKey, JwtError } from './jwt.js';
export type { Jwk, Jwks, JwtPayload, JwtExpectations, JwtFailure, SigningKey } from './jwt.js';
export { passwordPolicyFromTemplate, userPoolClientFromTemplate, userPoolFromTemplate } from './template.js';
export { AwsJsonError } from './protocol.js';
