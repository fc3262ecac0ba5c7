// A real DynamoDB wire protocol for the todo handlers' tests: dynalite in this
// process on a free loopback port, with the todo table created from
// templates/todo/base.yaml's own key schema. Also builds API Gateway REST
// proxy events the way API Gateway sends them to the functions.
import { CreateTableCommand, DynamoDBClient, type AttributeDefinition, type KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { parse } from 'yaml';
import type { ApiEvent } from '../../handlers/todo/lib/event.js';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: { createTableMs?: number }) => Server;

export const TABLE_NAME = 'todo-test';
export const REGION = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface LocalDynamo {
  endpoint: string;
  close(): Promise<void>;
}

function templateKeySchema(): { KeySchema: KeySchemaElement[]; AttributeDefinitions: AttributeDefinition[] } {
  const text = readFileSync(new URL('../../templates/todo/base.yaml', import.meta.url), 'utf8');
  // The CloudFormation tags (!Ref, !GetAtt...) are not needed here: silenced.
  const template = parse(text, { logLevel: 'error' }) as {
    Resources: { TodoTable: { Properties: { KeySchema: KeySchemaElement[]; AttributeDefinitions: AttributeDefinition[] } } };
  };
  const { KeySchema, AttributeDefinitions } = template.Resources.TodoTable.Properties;
  return { KeySchema, AttributeDefinitions };
}

function setEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

/**
 * Starts dynalite, creates the todo table and sets the environment the
 * handlers read (call it before importing a handler: the table client is
 * opened on first use). close() in afterAll.
 */
export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    TABLE_NAME,
    PAGINATION_SECRET: 'test-pagination-secret-0123456789',
    DAX_ENDPOINT: undefined,
    CORS_ORIGIN: undefined,
  };
  // Put back on close, should the worker run another test file after this one.
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  setEnv(env);

  const admin = new DynamoDBClient({ endpoint, region: REGION, credentials });
  await admin.send(new CreateTableCommand({ TableName: TABLE_NAME, BillingMode: 'PAY_PER_REQUEST', ...templateKeySchema() }));
  admin.destroy();

  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve, reject) => {
        setEnv(saved);
        server.close((err?: Error) => (err ? reject(err) : resolve()));
        // The handlers' SDK clients keep idle keep-alive sockets open.
        server.closeAllConnections();
      }),
  };
}

// ------------------------------------------------------------ API Gateway events

export interface EventOptions {
  /** The Cognito `sub` claim; null leaves out the authorizer entirely. */
  sub?: string | null;
  claims?: Record<string, unknown> | null;
  method?: string;
  /** The resource path, e.g. /todos or /todos/{id}. */
  resource?: string;
  id?: string;
  body?: string | Record<string, unknown> | null;
  isBase64Encoded?: boolean;
  headers?: Record<string, string>;
  query?: Record<string, string | string[]>;
}

/** A REST API (v1) proxy event as API Gateway builds it, for stage "test". */
export function apiEvent(options: EventOptions = {}): ApiEvent & Record<string, unknown> {
  const method = options.method ?? 'GET';
  const resource = options.resource ?? (options.id === undefined ? '/todos' : '/todos/{id}');
  const path = options.id === undefined ? resource : resource.replace('{id}', options.id);
  const body =
    options.body === undefined || options.body === null
      ? null
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    Authorization: 'eyJraWQiOiJ0ZXN0In0.e30.signature',
    Host: 'abc123.execute-api.us-east-1.amazonaws.com',
    ...(body !== null ? { 'Content-Type': 'application/json' } : {}),
    ...options.headers,
  };
  const query = options.query;
  const claims =
    options.claims !== undefined
      ? options.claims
      : options.sub === null
        ? null
        : { sub: options.sub ?? 'user-a', email: 'a@example.com', token_use: 'id' };
  const requestId = randomUUID();
  const event = {
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v[v.length - 1]! : v]))
      : null,
    multiValueQueryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]))
      : null,
    pathParameters: options.id === undefined ? null : { id: options.id },
    stageVariables: null,
    requestContext: {
      resourceId: 'abc123',
      resourcePath: resource,
      httpMethod: method,
      path: `/test${path}`,
      stage: 'test',
      accountId: '123456789012',
      apiId: 'abc123',
      protocol: 'HTTP/1.1',
      requestId,
      extendedRequestId: requestId,
      requestTimeEpoch: Date.now(),
      identity: { sourceIp: '203.0.113.7', userAgent: 'vitest' },
      ...(claims === null ? {} : { authorizer: { claims } }),
    },
    body,
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
  return event;
}
