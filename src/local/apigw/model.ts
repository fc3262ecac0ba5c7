// Reads one AWS::ApiGateway::RestApi out of a rendered template: its resource
// tree, methods, authorizers, validators, models, gateway responses and the
// stage (with its cache settings). Structure is linked by logical id (Ref /
// GetAtt RootResourceId), so the stack values are only needed for values.
import { ArchctlError } from '../../core/errors.js';
import { resolveIntrinsics, type StackValues } from '../../core/intrinsics.js';
import type { CfnTemplate, Json, JsonObject } from '../../core/types.js';

export type Integration =
  | { type: 'AWS_PROXY'; functionId: string; cacheKeyParameters: string[] }
  | { type: 'MOCK'; statusCode: number; headers: Record<string, string>; body: string };

export interface ApiMethod {
  logicalId: string;
  httpMethod: string;
  authorizationType: string;
  authorizerId?: string;
  authorizationScopes: string[];
  /** method.request.(header|querystring|path).name -> required */
  requestParameters: Record<string, boolean>;
  validateBody: boolean;
  validateParameters: boolean;
  /** content type -> JSON schema */
  requestModels: Record<string, JsonObject>;
  integration: Integration;
  caching: { enabled: boolean; ttlSeconds: number; requireAuthorization: boolean; unauthorizedStrategy: string };
}

export interface ApiResource {
  logicalId: string;
  /** `/todos/{id}`; `/` for the root. */
  path: string;
  pathPart: string;
  children: ApiResource[];
  methods: Map<string, ApiMethod>;
}

export interface GatewayResponse {
  statusCode?: number;
  headers: Record<string, string>;
  templates: Record<string, string>;
}

export interface ApiModel {
  apiLogicalId: string;
  apiId: string;
  stageName: string;
  stageVariables: Record<string, string> | null;
  root: ApiResource;
  binaryMediaTypes: string[];
  gatewayResponses: Map<string, GatewayResponse>;
}

const refOf = (node: Json | undefined): string | undefined => {
  if (node && typeof node === 'object' && !Array.isArray(node)) {
    if (typeof node.Ref === 'string') return node.Ref;
    const att = node['Fn::GetAtt'];
    const parts = Array.isArray(att) ? att.map(String) : typeof att === 'string' ? att.split('.') : undefined;
    if (parts && parts[1] === 'RootResourceId') return `${parts[0]}#root`;
  }
  return undefined;
};

/** `'value'` (a static mapping value) -> value. */
export const unquote = (value: string): string => (value.length >= 2 && value.startsWith("'") && value.endsWith("'") ? value.slice(1, -1) : value);

function str(node: Json | undefined, values: StackValues): string | undefined {
  if (node === undefined || node === null) return undefined;
  const v = resolveIntrinsics(node, values);
  return v === null ? undefined : String(v);
}

function headerMap(params: Json | undefined, prefix: string, values: StackValues): Record<string, string> {
  const out: Record<string, string> = {};
  if (!params || typeof params !== 'object' || Array.isArray(params)) return out;
  for (const [key, value] of Object.entries(params)) {
    if (!key.startsWith(prefix)) continue;
    const v = str(value, values);
    if (v !== undefined) out[key.slice(prefix.length)] = unquote(v);
  }
  return out;
}

/** The function a proxy integration's Uri names: `...functions/${XFunction.Arn}/invocations`. */
function functionOf(uri: Json | undefined): string | undefined {
  const text = uri && typeof uri === 'object' && !Array.isArray(uri) ? uri['Fn::Sub'] : uri;
  const raw = Array.isArray(text) ? text[0] : text;
  if (typeof raw === 'string') return /\$\{([A-Za-z0-9]+)\.Arn\}/.exec(raw)?.[1];
  if (uri && typeof uri === 'object' && !Array.isArray(uri) && Array.isArray(uri['Fn::Join'])) {
    for (const part of (uri['Fn::Join'][1] as Json[]) ?? []) {
      const att = part && typeof part === 'object' && !Array.isArray(part) ? part['Fn::GetAtt'] : undefined;
      if (Array.isArray(att) && att[1] === 'Arn') return String(att[0]);
    }
  }
  return undefined;
}

/** MethodSettings ResourcePath `/~1todos~1{id}` -> `/todos/{id}`. */
const settingPath = (p: string): string => (p === '/*' ? '*' : p.replace(/^\//, '').replace(/~1/g, '/').replace(/~0/g, '~'));

export function readApi(template: CfnTemplate, values: StackValues, restApiId?: string): ApiModel {
  const resources = Object.entries(template.Resources);
  const apis = resources.filter(([, r]) => r.Type === 'AWS::ApiGateway::RestApi').map(([id]) => id);
  const apiLogicalId = restApiId ?? apis[0];
  if (!apiLogicalId || !apis.includes(apiLogicalId) || (restApiId === undefined && apis.length > 1)) {
    throw new ArchctlError(
      apis.length === 0 ? 'the template has no AWS::ApiGateway::RestApi' : `cannot pick the REST API among ${apis.join(', ')}`,
      'pass restApiId with the logical id of the API to serve',
    );
  }
  const of = (type: string) =>
    resources.filter(([, r]) => r.Type === type && refOf(r.Properties?.RestApiId) === apiLogicalId) as [string, { Properties: JsonObject }][];
  const apiProps = template.Resources[apiLogicalId]!.Properties ?? {};

  const stages = of('AWS::ApiGateway::Stage');
  if (stages.length === 0) throw new ArchctlError(`${apiLogicalId} has no AWS::ApiGateway::Stage`, 'add a stage to the template');
  const [stageId, stage] = stages[0]!;
  const stageName = str(stage.Properties.StageName, values) ?? stageId;
  const vars = stage.Properties.Variables;
  const stageVariables =
    vars && typeof vars === 'object' && !Array.isArray(vars) ? (resolveIntrinsics(vars, values) as Record<string, string>) : null;
  const cacheCluster = stage.Properties.CacheClusterEnabled === true;
  const settings = (Array.isArray(stage.Properties.MethodSettings) ? stage.Properties.MethodSettings : []) as JsonObject[];

  // requireAuthorizationForCacheControl / unauthorizedCacheControlHeaderStrategy cannot be set in
  // CloudFormation; a custom resource applies them as UpdateStage patch operations.
  const cacheControl = new Map<string, string>();
  for (const [, r] of resources) {
    const ops = r.Properties?.PatchOperations;
    if (refOf(r.Properties?.RestApiId) !== apiLogicalId || !Array.isArray(ops)) continue;
    for (const op of ops as JsonObject[]) {
      if (op.op === 'replace' && typeof op.path === 'string' && op.path.includes('/caching/')) cacheControl.set(op.path, String(op.value));
    }
  }

  const methodSettings = (path: string, method: string) => {
    const find = (p: string, m: string) => settings.find((s) => settingPath(String(s.ResourcePath ?? '')) === p && String(s.HttpMethod ?? '') === m);
    return { ...find('*', '*'), ...find(path, method) };
  };
  const cachingSetting = (path: string, method: string, name: string) => {
    const enc = `/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/caching/${name}`;
    return cacheControl.get(enc) ?? cacheControl.get(`/*/*/caching/${name}`);
  };

  const validators = new Map(of('AWS::ApiGateway::RequestValidator').map(([id, r]) => [id, r.Properties]));
  const models = new Map(of('AWS::ApiGateway::Model').map(([id, r]) => [id, r.Properties.Schema as JsonObject]));

  // The resource tree.
  const nodes = new Map<string, ApiResource>();
  const root: ApiResource = { logicalId: `${apiLogicalId}#root`, path: '/', pathPart: '', children: [], methods: new Map() };
  nodes.set(root.logicalId, root);
  const pending = of('AWS::ApiGateway::Resource');
  for (let progress = true; progress && pending.length > 0; ) {
    progress = false;
    for (let i = 0; i < pending.length; i++) {
      const [id, r] = pending[i]!;
      const parent = nodes.get(refOf(r.Properties.ParentId) ?? '');
      if (!parent) continue;
      const pathPart = str(r.Properties.PathPart, values) ?? '';
      const node: ApiResource = { logicalId: id, pathPart, path: `${parent.path === '/' ? '' : parent.path}/${pathPart}`, children: [], methods: new Map() };
      parent.children.push(node);
      nodes.set(id, node);
      pending.splice(i--, 1);
      progress = true;
    }
  }

  for (const [id, r] of of('AWS::ApiGateway::Method')) {
    const p = r.Properties;
    const resource = nodes.get(refOf(p.ResourceId) ?? '');
    if (!resource) continue;
    const httpMethod = String(p.HttpMethod).toUpperCase();
    const integ = (p.Integration ?? {}) as JsonObject;
    let integration: Integration;
    if (integ.Type === 'AWS_PROXY') {
      const functionId = functionOf(integ.Uri);
      if (!functionId) throw new ArchctlError(`${id}: cannot tell which function its integration Uri invokes`, 'use ${Function.Arn} in the Uri');
      integration = { type: 'AWS_PROXY', functionId, cacheKeyParameters: ((integ.CacheKeyParameters ?? []) as Json[]).map(String) };
    } else if (integ.Type === 'MOCK') {
      const responses = (Array.isArray(integ.IntegrationResponses) ? integ.IntegrationResponses : []) as JsonObject[];
      const chosen = responses.find((x) => !x.SelectionPattern) ?? responses[0] ?? {};
      const statusCode = Number(chosen.StatusCode ?? 200);
      let headers = headerMap(chosen.ResponseParameters, 'method.response.header.', values);
      const declared = ((Array.isArray(p.MethodResponses) ? p.MethodResponses : []) as JsonObject[]).find((m) => Number(m.StatusCode) === statusCode);
      if (declared) {
        const allowed = Object.keys((declared.ResponseParameters ?? {}) as JsonObject).map((k) => k.replace('method.response.header.', ''));
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => allowed.includes(k)));
      }
      const templates = (chosen.ResponseTemplates ?? {}) as Record<string, string>;
      integration = { type: 'MOCK', statusCode, headers, body: templates['application/json'] ?? '' };
    } else {
      throw new ArchctlError(`${id}: integration type ${String(integ.Type)} is not supported locally`, 'use AWS_PROXY or MOCK integrations');
    }
    const validator = validators.get(refOf(p.RequestValidatorId) ?? '');
    const requestModels: Record<string, JsonObject> = {};
    for (const [type, model] of Object.entries((p.RequestModels ?? {}) as JsonObject)) {
      const schema = models.get(refOf(model) ?? String(model));
      if (schema) requestModels[type] = resolveIntrinsics(schema, values) as JsonObject;
    }
    const s = methodSettings(resource.path, httpMethod);
    const authorizerId = refOf(p.AuthorizerId);
    resource.methods.set(httpMethod, {
      logicalId: id,
      httpMethod,
      authorizationType: String(p.AuthorizationType ?? 'NONE'),
      ...(authorizerId ? { authorizerId } : {}),
      authorizationScopes: ((p.AuthorizationScopes ?? []) as Json[]).map(String),
      requestParameters: Object.fromEntries(Object.entries((p.RequestParameters ?? {}) as JsonObject).map(([k, v]) => [k, v === true])),
      validateBody: validator?.ValidateRequestBody === true,
      validateParameters: validator?.ValidateRequestParameters === true,
      requestModels,
      integration,
      caching: {
        enabled: cacheCluster && s.CachingEnabled === true,
        ttlSeconds: typeof s.CacheTtlInSeconds === 'number' ? s.CacheTtlInSeconds : 300,
        requireAuthorization: (cachingSetting(resource.path, httpMethod, 'requireAuthorizationForCacheControl') ?? 'true') === 'true',
        unauthorizedStrategy: cachingSetting(resource.path, httpMethod, 'unauthorizedCacheControlHeaderStrategy') ?? 'SUCCEED_WITH_RESPONSE_HEADER',
      },
    });
  }

  const gatewayResponses = new Map<string, GatewayResponse>();
  for (const [, r] of of('AWS::ApiGateway::GatewayResponse')) {
    const p = r.Properties;
    const templates: Record<string, string> = {};
    for (const [k, v] of Object.entries((p.ResponseTemplates ?? {}) as JsonObject)) templates[k] = str(v, values) ?? '';
    gatewayResponses.set(String(p.ResponseType), {
      ...(p.StatusCode !== undefined ? { statusCode: Number(str(p.StatusCode, values)) } : {}),
      headers: headerMap(p.ResponseParameters, 'gatewayresponse.header.', values),
      templates,
    });
  }

  return {
    apiLogicalId,
    apiId: values.refs[apiLogicalId] ?? apiLogicalId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 10),
    stageName,
    stageVariables,
    root,
    binaryMediaTypes: ((apiProps.BinaryMediaTypes ?? []) as Json[]).map(String),
    gatewayResponses,
  };
}

/** Matches a path (below the stage) to a resource: literal parts before `{param}`, `{proxy+}` takes the rest. */
export function matchResource(root: ApiResource, path: string): { resource: ApiResource; params: Record<string, string> } | undefined {
  const segments = path.split('/').filter((s, i, all) => s !== '' || (i > 0 && i < all.length - 1));
  const walk = (node: ApiResource, i: number, params: Record<string, string>): { resource: ApiResource; params: Record<string, string> } | undefined => {
    if (i === segments.length) return { resource: node, params };
    const seg = segments[i]!;
    const literal = node.children.find((c) => c.pathPart === seg);
    const found = literal && walk(literal, i + 1, params);
    if (found) return found;
    for (const c of node.children) {
      const m = /^\{([^}+]+)\}$/.exec(c.pathPart);
      if (m) {
        const r = walk(c, i + 1, { ...params, [m[1]!]: safeDecode(seg) });
        if (r) return r;
      }
    }
    for (const c of node.children) {
      const m = /^\{([^}]+)\+\}$/.exec(c.pathPart);
      if (m) return { resource: c, params: { ...params, [m[1]!]: segments.slice(i).map(safeDecode).join('/') } };
    }
    return undefined;
  };
  return walk(root, 0, {});
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
