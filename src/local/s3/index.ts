/**
 * The local cloud's S3: s3rver behind an endpoint that verifies SigV4 and
 * enforces the identity pool's authenticated-role policy per caller.
 *
 *   const roles = authenticatedRolePolicies(template, stackValues);
 *   const s3 = await startS3({ buckets, roles: Object.fromEntries(roles.map((r) => [r.roleArn, r.statements])),
 *     lookupCredentials: (id) => store.lookup(id), admin, region });
 *   // s3.url is the path-style endpoint (forcePathStyle: true); await s3.close() when done.
 */
export { startS3, type LocalS3, type LookedUpCredentials, type LookupCredentials, type S3EventListener, type StartS3Options } from './server.js';
export { authenticatedRolePolicies, type RolePolicy } from './template-roles.js';
export { evaluatePolicy, type AuthorizationRequest, type Decision, type PolicyStatement } from './policy.js';
export { checkObjectKey } from './operations.js';
