// The parts of API Gateway's REST proxy event (and of its answer) that the
// todo handlers read. Every field is optional or nullable: API Gateway sends
// null for absent bodies, headers and parameters, and a handler must never
// crash on a shape it did not expect.
export interface ApiEvent {
  httpMethod?: string;
  path?: string | null;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  pathParameters?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean | null;
  requestContext?: {
    requestId?: string;
    path?: string;
    authorizer?: { claims?: Record<string, unknown> | null } | null;
  } | null;
}

export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}
