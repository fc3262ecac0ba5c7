// The local API Gateway (REST API v1) of archctl's local cloud.
//
// Not emulated, on purpose or for now: throttling and usage plans / API keys
// (stage MethodSettings Throttling* are read by nobody locally), IAM and
// custom (Lambda) authorizers, integrations other than AWS_PROXY and MOCK
// (no VTL mapping templates beyond $context substitution in gateway
// responses), access and execution logs, X-Ray, custom domains and base path
// mappings, canary settings, several stages or APIs per server, and cache
// invalidation by an IAM caller (a request is never IAM-signed locally).
export { startApi, type LocalApi, type StartApiOptions } from './server.js';
export { verifyCognitoToken, claimsForEvent, type CognitoAuthorizerConfig, type Claims } from './cognito-authorizer.js';
export { validateSchema } from './json-schema.js';
export { readApi, matchResource, type ApiModel, type ApiMethod, type ApiResource, type Integration } from './model.js';
