import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An error the AWS JSON 1.1 protocol carries as `{ "__type": Type, "message": ... }`: the SDK turns
 * `__type` into the named exception class (NotAuthorizedException, ...), so names must match AWS.
 */
export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export type JsonInput = Record<string, unknown>;
export type JsonOperation = (input: JsonInput) => unknown;

export interface JsonServerOptions {
  port?: number;
  host?: string;
  /** The X-Amz-Target prefix, e.g. `AWSCognitoIdentityProviderService`. */
  targetPrefix: string;
  operations: Record<string, JsonOperation>;
  /** Plain GET routes (JWKS, discovery); return undefined for 404. */
  get?: (path: string) => unknown;
}

export interface JsonServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

export async function startJsonServer(opts: JsonServerOptions): Promise<JsonServer> {
  const server: Server = createServer((req, res) => {
    handle(opts, req, res).catch((err: unknown) => {
      // The handler itself failed (not an operation error): answer once, never leave the socket hanging.
      if (!res.headersSent) sendError(res, new AwsJsonError('InternalErrorException', String(err), 500));
      else res.destroy();
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // A wildcard bind is still reached (and named in token issuers) through the loopback address.
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // SDK clients keep sockets alive; without this close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}

async function handle(opts: JsonServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Browser clients (a local web app) call Cognito directly, as they do on AWS.
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
      'Access-Control-Max-Age': '600',
    });
    res.end();
    return;
  }
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (req.method === 'GET' && opts.get) {
    const body = opts.get(path);
    if (body !== undefined) {
      const text = JSON.stringify(body);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
  }
  if (req.method !== 'POST' || path !== '/') {
    req.resume();
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ message: 'Not found' }));
    return;
  }
  let input: JsonInput;
  try {
    const text = await readBody(req);
    const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    input = parsed as JsonInput;
  } catch (err) {
    if (err instanceof AwsJsonError) return sendError(res, err);
    return sendError(res, new AwsJsonError('SerializationException', 'Request body is not a JSON object.'));
  }
  const target = String(req.headers['x-amz-target'] ?? '');
  const [prefix, op] = target.split('.', 2);
  const operation = prefix === opts.targetPrefix && op ? opts.operations[op] : undefined;
  if (!operation || !Object.hasOwn(opts.operations, op!)) {
    return sendError(res, new AwsJsonError('UnknownOperationException', `Operation ${target || '(none)'} is not supported by the local endpoint.`));
  }
  let output: unknown;
  try {
    output = await operation(input);
  } catch (err) {
    if (err instanceof AwsJsonError) return sendError(res, err);
    return sendError(res, new AwsJsonError('InternalErrorException', err instanceof Error ? err.message : String(err), 500));
  }
  const text = JSON.stringify(output ?? {});
  res.writeHead(200, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new AwsJsonError('SerializationException', 'Request body too large.', 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendError(res: ServerResponse, err: AwsJsonError): void {
  const text = JSON.stringify({ __type: err.type, message: err.message });
  res.writeHead(err.status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-ErrorType': err.type,
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(text);
}

/** Input field helpers: the SDK validates little client-side, so the endpoint answers like AWS does. */
export function requiredString(input: JsonInput, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') {
    throw new AwsJsonError('InvalidParameterException', `1 validation error detected: Value at '${lowerFirst(field)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

export function optionalString(input: JsonInput, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new AwsJsonError('SerializationException', `${field} must be a string.`);
  return value;
}

/** An optional enum field; any other value gets AWS's validation error. */
export function optionalEnum<T extends string>(input: JsonInput, field: string, values: readonly T[]): T | undefined {
  const value = optionalString(input, field);
  if (value === undefined || (values as readonly string[]).includes(value)) return value as T | undefined;
  throw new AwsJsonError(
    'InvalidParameterException',
    `1 validation error detected: Value '${value}' at '${lowerFirst(field)}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
  );
}

export function stringMap(input: JsonInput, field: string): Record<string, string> {
  const value = input[field];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new AwsJsonError('InvalidParameterException', `${field} must be a map of strings.`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new AwsJsonError('InvalidParameterException', `${field}.${k} must be a string.`);
    out[k] = v;
  }
  return out;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
