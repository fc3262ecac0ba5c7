// The local API Gateway: one REST API of a rendered template served over
// node:http at /<stageName>/..., behaving as API Gateway does in the order it
// does: route (403 Missing Authentication Token), authorizer (401), request
// validator (400), stage cache, Lambda proxy integration (502 on a function
// failure or malformed answer), with the template's gateway responses shaping
// API Gateway's own errors.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArchctlError } from '../../core/errors.js';
import type { StackValues } from '../../core/intrinsics.js';
import type { CfnTemplate } from '../../core/types.js';
import { LambdaRunner, type LambdaFunctionConfig, type LambdaRunnerOptions } from '../lambda/runner.js';
import { claimsForEvent, verifyCognitoToken, type Claims, type CognitoAuthorizerConfig } from './cognito-authorizer.js';
import { validateSchema } from './json-schema.js';
import { matchResource, readApi, type ApiMethod, type ApiModel, type ApiResource } from './model.js';

export interface StartApiOptions {
  /** The rendered template (plain CloudFormation object). */
  template: CfnTemplate;
  /** Physical ids, attributes and pseudo parameters of the local stack (AWS::AccountId, AWS::Region). */
  stackValues: StackValues;
  /** Logical id of each AWS::Lambda::Function the API invokes -> its resolved config. */
  functions: Record<string, LambdaFunctionConfig>;
  /** Logical id of each AWS::ApiGateway::Authorizer (COGNITO_USER_POOLS) -> the pool it trusts. */
  authorizers: Record<string, CognitoAuthorizerConfig>;
  /** Which RestApi to serve when the template has several (logical id). */
  restApiId?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Clock in ms since the epoch (token expiry, cache TTL, requestTimeEpoch); default Date.now. */
  now?: () => number;
  /** Where failures are explained to the developer (the client only sees API Gateway's generic answer); default console.error. */
  log?: (line: string) => void;
  /** Options of the Lambda runner the API starts (base environment: credentials, region, SDK endpoints). */
  lambda?: LambdaRunnerOptions;
  /** API Gateway's integration timeout (29 s). */
  integrationTimeoutMs?: number;
}

export interface LocalApi {
  /** `http://host:port/<stageName>`: what the template's ApiUrl output is on AWS. */
  url: string;
  port: number;
  stageName: string;
  /** Invocations of a function (logical id) so far: the cache tests count them. */
  invocations(functionLogicalId: string): number;
  /** Empties the stage cache (FlushStageCache). */
  flushCache(): void;
  /** Stops the server and every Lambda container. */
  close(): Promise<void>;
}

interface Request {
  requestId: string;
  method: string;
  /** Below the stage, not decoded. */
  path: string;
  query: URLSearchParams;
  rawHeaders: [string, string][];
  body: Buffer;
  sourceIp: string;
  startedAt: number;
}

interface Reply {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

interface CacheEntry extends Reply {
  expiresAt: number;
}

class GatewayError {
  constructor(
    readonly responseType: string,
    readonly statusCode: number,
    readonly message: string,
    readonly errorType: string,
    readonly reason?: string,
  ) {}
}

const MAX_PAYLOAD = 10 * 1024 * 1024;

const missingToken = () => new GatewayError('MISSING_AUTHENTICATION_TOKEN', 403, 'Missing Authentication Token', 'IncompleteSignatureException');
const unauthorized = (reason: string) => new GatewayError('UNAUTHORIZED', 401, 'Unauthorized', 'UnauthorizedException', reason);
const internal = (reason: string) => new GatewayError('DEFAULT_5XX', 502, 'Internal server error', 'InternalServerErrorException', reason);

function headerValue(req: Request, name: string): string | undefined {
  const lower = name.toLowerCase();
  let found: string | undefined;
  for (const [k, v] of req.rawHeaders) if (k.toLowerCase() === lower) found = v;
  return found;
}

/** method.request.header.X / querystring.X / path.X -> the request's value. */
function parameterValue(req: Request, params: Record<string, string>, name: string): string | undefined {
  const m = /^method\.request\.(header|querystring|multivaluequerystring|path|multivalueheader)\.(.+)$/.exec(name);
  if (!m) return undefined;
  const [, where, key] = m as unknown as [string, string, string];
  if (where === 'header' || where === 'multivalueheader') return headerValue(req, key);
  if (where === 'path') return params[key];
  const all = req.query.getAll(key);
  return all.length === 0 ? undefined : where === 'querystring' ? all[all.length - 1] : all.join(',');
}

function isBinary(model: ApiModel, contentType: string | undefined, body: Buffer): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const listed = model.binaryMediaTypes.some((t) => {
    const [a, b] = t.toLowerCase().split('/');
    const [x, y] = type.split('/');
    return (a === '*' || a === x) && (b === '*' || b === y);
  });
  if (listed) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return false;
  } catch {
    return true;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** 09/Apr/2015:12:34:56 +0000 */
function requestTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function buildEvent(
  model: ApiModel,
  accountId: string,
  host: string,
  req: Request,
  resource: ApiResource,
  params: Record<string, string>,
  claims: Claims | undefined,
): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const add = (k: string, v: string) => {
    headers[k] = v;
    (multiValueHeaders[k] ??= []).push(v);
  };
  for (const [k, v] of req.rawHeaders) add(k, v);
  if (headerValue(req, 'X-Forwarded-For') === undefined) add('X-Forwarded-For', req.sourceIp);
  if (headerValue(req, 'X-Forwarded-Proto') === undefined) add('X-Forwarded-Proto', 'http');
  const keys = [...new Set(req.query.keys())];
  const contentType = headerValue(req, 'Content-Type');
  const binary = req.body.length > 0 && isBinary(model, contentType, req.body);
  const decodedPath = req.path.split('/').map((s) => { try { return decodeURIComponent(s); } catch { return s; } }).join('/');
  return {
    resource: resource.path,
    path: decodedPath,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: keys.length === 0 ? null : Object.fromEntries(keys.map((k) => [k, req.query.getAll(k).at(-1)!])),
    multiValueQueryStringParameters: keys.length === 0 ? null : Object.fromEntries(keys.map((k) => [k, req.query.getAll(k)])),
    pathParameters: Object.keys(params).length === 0 ? null : params,
    stageVariables: model.stageVariables,
    requestContext: {
      resourceId: resource.logicalId,
      resourcePath: resource.path,
      httpMethod: req.method,
      extendedRequestId: req.requestId,
      requestTime: requestTime(req.startedAt),
      path: `/${model.stageName}${decodedPath}`,
      accountId,
      protocol: 'HTTP/1.1',
      stage: model.stageName,
      domainPrefix: host.split('.')[0] ?? host,
      requestTimeEpoch: req.startedAt,
      requestId: req.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: req.sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: headerValue(req, 'User-Agent') ?? null,
        user: null,
      },
      domainName: host,
      apiId: model.apiId,
      ...(claims ? { authorizer: { claims: claimsForEvent(claims) } } : {}),
    },
    body: req.body.length === 0 ? null : binary ? req.body.toString('base64') : req.body.toString('utf8'),
    isBase64Encoded: binary,
  };
}

/** The Lambda's answer as API Gateway reads a proxy response, or why it is malformed. */
function proxyReply(value: unknown): Reply | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the result is not an object';
  const r = value as Record<string, unknown>;
  const status = typeof r.statusCode === 'string' && /^\d{3}$/.test(r.statusCode) ? Number(r.statusCode) : r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return 'statusCode is missing or not an HTTP status';
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return 'body is not a string';
  if (r.isBase64Encoded !== undefined && r.isBase64Encoded !== null && typeof r.isBase64Encoded !== 'boolean') return 'isBase64Encoded is not a boolean';
  const headers: Record<string, string | string[]> = {};
  const primitive = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return 'headers is not an object';
    for (const [k, v] of Object.entries(r.headers)) {
      if (!primitive(v)) return `header ${k} is not a string`;
      headers[k] = String(v);
    }
  }
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object' || Array.isArray(r.multiValueHeaders)) return 'multiValueHeaders is not an object';
    for (const [k, v] of Object.entries(r.multiValueHeaders)) {
      if (!Array.isArray(v) || !v.every(primitive)) return `multiValueHeaders.${k} is not a list of strings`;
      const existing = Object.keys(headers).find((h) => h.toLowerCase() === k.toLowerCase());
      if (existing) delete headers[existing];
      headers[k] = v.map(String);
    }
  }
  const text = typeof r.body === 'string' ? r.body : '';
  return { statusCode: status, headers, body: r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8') };
}

/** Starts the API; resolves once it listens. */
export async function startApi(options: StartApiOptions): Promise<LocalApi> {
  const model = readApi(options.template, options.stackValues, options.restApiId);
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.error(line));
  const accountId = options.stackValues.pseudo['AWS::AccountId'] ?? '000000000000';
  const integrationTimeoutMs = options.integrationTimeoutMs ?? 29_000;

  // Everything the template asks for must be there before the first request.
  const visit = (r: ApiResource, f: (m: ApiMethod) => void) => {
    r.methods.forEach(f);
    r.children.forEach((c) => visit(c, f));
  };
  visit(model.root, (m) => {
    if (m.integration.type === 'AWS_PROXY' && !options.functions[m.integration.functionId]) {
      throw new ArchctlError(`${m.logicalId} invokes ${m.integration.functionId}, which the local cloud was not given`, 'pass a config for every function the API invokes');
    }
    if (m.authorizationType === 'COGNITO_USER_POOLS' && !options.authorizers[m.authorizerId ?? '']) {
      throw new ArchctlError(`${m.logicalId} uses authorizer ${m.authorizerId ?? '(none)'}, which the local cloud was not given`, 'pass the user pool of every authorizer');
    }
    if (!['NONE', 'COGNITO_USER_POOLS'].includes(m.authorizationType)) {
      throw new ArchctlError(`${m.logicalId}: AuthorizationType ${m.authorizationType} is not supported locally`, 'use COGNITO_USER_POOLS or NONE');
    }
  });

  const runner = new LambdaRunner(options.functions, { log, ...(accountId ? { accountId } : {}), ...options.lambda });
  const cache = new Map<string, CacheEntry>();

  function errorReply(req: Request, err: GatewayError, resourcePath?: string, httpMethod?: string): Reply {
    const family = err.statusCode >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
    const custom = model.gatewayResponses.get(err.responseType) ?? model.gatewayResponses.get(family);
    const context: Record<string, string> = {
      'error.responseType': err.responseType,
      'error.messageString': JSON.stringify(err.message),
      'error.message': err.message,
      'error.validationErrorString': '',
      requestId: req.requestId,
      extendedRequestId: req.requestId,
      stage: model.stageName,
      apiId: model.apiId,
      accountId,
      resourcePath: resourcePath ?? '',
      httpMethod: httpMethod ?? req.method,
      'identity.sourceIp': req.sourceIp,
    };
    const template = custom?.templates['application/json'] ?? Object.values(custom?.templates ?? {})[0];
    const body =
      template === undefined
        ? JSON.stringify({ message: err.message })
        : template.replace(/\$\{?context\.([A-Za-z][A-Za-z0-9.]*[A-Za-z0-9])\}?/g, (_, key: string) => context[key] ?? '');
    return {
      statusCode: custom?.statusCode ?? err.statusCode,
      headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': err.errorType, ...custom?.headers },
      body: Buffer.from(body),
    };
  }

  async function handle(req: Request, host: string): Promise<Reply> {
    const stagePrefix = `/${model.stageName}`;
    if (req.path !== stagePrefix && !req.path.startsWith(`${stagePrefix}/`)) throw missingToken();
    req.path = req.path.slice(stagePrefix.length) || '/';
    const match = matchResource(model.root, req.path);
    const method = match && (match.resource.methods.get(req.method) ?? match.resource.methods.get('ANY'));
    if (!match || !method) throw missingToken();
    const { resource, params } = match;

    if (method.integration.type === 'MOCK' && method.authorizationType === 'NONE') {
      return { statusCode: method.integration.statusCode, headers: { ...method.integration.headers }, body: Buffer.from(method.integration.body) };
    }

    let claims: Claims | undefined;
    if (method.authorizationType === 'COGNITO_USER_POOLS') {
      const verdict = verifyCognitoToken(headerValue(req, 'Authorization'), options.authorizers[method.authorizerId!]!, now(), method.authorizationScopes);
      if ('reason' in verdict) throw unauthorized(verdict.reason);
      claims = verdict.claims;
    }

    if (method.validateParameters) {
      const missing = Object.entries(method.requestParameters)
        .filter(([name, required]) => required && parameterValue(req, params, name) === undefined)
        .map(([name]) => name.replace(/^method\.request\.[a-z]+\./, ''));
      if (missing.length > 0) {
        throw new GatewayError('BAD_REQUEST_PARAMETERS', 400, `Missing required request parameters: [${missing.join(', ')}]`, 'BadRequestException');
      }
    }
    if (method.validateBody) {
      const type = (headerValue(req, 'Content-Type') ?? 'application/json').split(';')[0]!.trim().toLowerCase();
      const schema = method.requestModels[type] ?? method.requestModels.$default;
      if (schema) {
        let problem: string | undefined;
        try {
          problem = validateSchema(JSON.parse(req.body.toString('utf8')), schema);
        } catch {
          problem = 'the body is not JSON';
        }
        if (problem) throw new GatewayError('BAD_REQUEST_BODY', 400, 'Invalid request body', 'BadRequestException', problem);
      }
    }

    if (method.integration.type === 'MOCK') {
      return { statusCode: method.integration.statusCode, headers: { ...method.integration.headers }, body: Buffer.from(method.integration.body) };
    }
    const integration = method.integration;

    // The stage cache: GET answers keyed by the resource path and exactly the method's CacheKeyParameters.
    const caching = method.caching.enabled && req.method === 'GET';
    let cacheKey: string | undefined;
    let extraHeaders: Record<string, string> = {};
    if (caching) {
      cacheKey = JSON.stringify([
        resource.path,
        req.method,
        ...integration.cacheKeyParameters.map((p) => [p, parameterValue(req, params, p) ?? null]),
      ]);
      const invalidate = /(^|,)\s*max-age\s*=\s*0\s*(,|$)/i.test(headerValue(req, 'Cache-Control') ?? '');
      if (invalidate) {
        // Only an IAM caller with execute-api:InvalidateCache may invalidate; a Cognito token is not one.
        if (method.caching.requireAuthorization) {
          if (method.caching.unauthorizedStrategy === 'FAIL_WITH_403') {
            throw new GatewayError('UNAUTHORIZED', 403, 'Unauthorized', 'AccessDeniedException', 'Cache-Control: max-age=0 without execute-api:InvalidateCache');
          }
          if (method.caching.unauthorizedStrategy === 'SUCCEED_WITH_RESPONSE_HEADER') {
            extraHeaders = { 'x-amzn-Remapped-Cache-Control': 'cache invalidation ignored: unauthorized' };
          }
        } else {
          cache.delete(cacheKey);
        }
      }
      const hit = cache.get(cacheKey);
      if (hit && hit.expiresAt > now()) {
        return { statusCode: hit.statusCode, headers: { ...hit.headers, ...extraHeaders }, body: hit.body };
      }
      cache.delete(cacheKey);
    }

    const event = buildEvent(model, accountId, host, req, resource, params, claims);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), integrationTimeoutMs);
    });
    const result = await Promise.race([runner.invoke(integration.functionId, event), timedOut]).finally(() => clearTimeout(timer));
    if (result === 'timeout') {
      throw new GatewayError('INTEGRATION_TIMEOUT', 504, 'Endpoint request timed out', 'InternalServerErrorException', `${integration.functionId} did not answer within ${integrationTimeoutMs} ms`);
    }
    if (!result.ok) throw internal(`${integration.functionId} failed (${result.kind}): ${result.errorType}: ${result.errorMessage}`);
    const reply = proxyReply(result.value);
    if (typeof reply === 'string') throw internal(`Malformed Lambda proxy response from ${integration.functionId}: ${reply}`);
    if (caching && cacheKey && reply.statusCode >= 200 && reply.statusCode < 300) {
      cache.set(cacheKey, { ...reply, expiresAt: now() + method.caching.ttlSeconds * 1000 });
    }
    reply.headers = { ...reply.headers, ...extraHeaders };
    return reply;
  }

  async function serve(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    // The request target is a path: parsed against a fixed origin so that `//host/...` stays a path.
    const url = new URL(`http://local${(incoming.url ?? '/').startsWith('/') ? (incoming.url ?? '/') : '/'}`);
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) pairs.push([incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!]);
    const req: Request = {
      requestId: randomUUID(),
      method: (incoming.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      rawHeaders: pairs,
      body: Buffer.alloc(0),
      sourceIp: (incoming.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      startedAt: now(),
    };
    let reply: Reply;
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of incoming) {
        size += (chunk as Buffer).length;
        if (size > MAX_PAYLOAD) throw new GatewayError('REQUEST_TOO_LARGE', 413, 'Request Too Long', 'RequestTooLargeException');
        chunks.push(chunk as Buffer);
      }
      req.body = Buffer.concat(chunks);
      reply = await handle(req, incoming.headers.host ?? 'localhost');
    } catch (err) {
      const gatewayError = err instanceof GatewayError ? err : internal(`local API Gateway error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (gatewayError.reason) log(`[apigw] ${req.method} ${url.pathname} ${req.requestId} -> ${gatewayError.statusCode} ${gatewayError.responseType}: ${gatewayError.reason}`);
      reply = errorReply(req, gatewayError);
    }
    const headers = { ...reply.headers };
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type') && reply.body.length > 0) headers['Content-Type'] = 'application/json';
    headers['x-amzn-RequestId'] = req.requestId;
    headers['x-amz-apigw-id'] = req.requestId.slice(0, 16);
    res.writeHead(reply.statusCode, headers);
    res.end(req.method === 'HEAD' ? undefined : reply.body);
  }

  const server = createServer((incoming, res) => {
    serve(incoming, res).catch((err: unknown) => {
      log(`[apigw] cannot answer: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await runner.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/${model.stageName}`,
    port,
    stageName: model.stageName,
    invocations: (id) => runner.invocations(id),
    flushCache: () => cache.clear(),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([closed, runner.close()]);
    },
  };
}
