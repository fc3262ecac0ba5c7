import type { CfnTemplate, Json, JsonObject } from './types.js';

/** FNV-1a, 32 bits: a small, pure, stable content hash (no node:crypto in the core). */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0').toUpperCase();
}

function renameIn(node: Json, from: string, to: string): Json {
  if (Array.isArray(node)) return node.map((n) => renameIn(n, from, to));
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'Ref' && value === from) out[key] = to;
    else if (key === 'Fn::GetAtt' && Array.isArray(value) && value[0] === from) out[key] = [to, ...value.slice(1)];
    else if (key === 'Fn::GetAtt' && typeof value === 'string' && value.startsWith(`${from}.`)) out[key] = to + value.slice(from.length);
    else if (key === 'Fn::Sub') out[key] = renameInSub(value, from, to);
    else out[key] = renameIn(value, from, to);
  }
  return out;
}

function renameInSub(value: Json, from: string, to: string): Json {
  const swap = (s: string) => s.replace(new RegExp(`\\$\\{${from}(\\.[^}]*)?\\}`, 'g'), (_m, attr: string | undefined) => `\${${to}${attr ?? ''}}`);
  if (typeof value === 'string') return swap(value);
  if (Array.isArray(value) && typeof value[0] === 'string') return [swap(value[0]), ...value.slice(1).map((v) => renameIn(v, from, to))];
  return renameIn(value, from, to);
}

/** Renames a resource and every reference to it: Ref, GetAtt, Sub, DependsOn. */
export function renameResource(template: CfnTemplate, from: string, to: string): CfnTemplate {
  const resources: CfnTemplate['Resources'] = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    const renamed = renameIn(resource as unknown as JsonObject, from, to) as unknown as typeof resource;
    const deps = renamed.DependsOn;
    if (deps !== undefined) renamed.DependsOn = Array.isArray(deps) ? deps.map((d) => (d === from ? to : d)) : deps === from ? to : deps;
    resources[id === from ? to : id] = renamed;
  }
  const out = { ...template, Resources: resources };
  if (template.Outputs) out.Outputs = renameIn(template.Outputs as JsonObject, from, to) as CfnTemplate['Outputs'];
  return out;
}

/** Everything a REST API deployment snapshots; a change to any of these needs a new Deployment. */
const DEPLOYED = new Set(['AWS::ApiGateway::RestApi', 'AWS::ApiGateway::Resource', 'AWS::ApiGateway::Method', 'AWS::ApiGateway::Model', 'AWS::ApiGateway::RequestValidator', 'AWS::ApiGateway::Authorizer', 'AWS::ApiGateway::GatewayResponse']);

/**
 * API Gateway only publishes method changes through a new Deployment, and
 * CloudFormation only creates one when the resource is new. So each
 * Deployment's logical id carries a hash of the API it snapshots (as the CDK
 * does): the same API gives the same id, a changed API a new one.
 */
export function stampDeployments(template: CfnTemplate): CfnTemplate {
  const api = Object.entries(template.Resources)
    .filter(([, r]) => DEPLOYED.has(r.Type))
    .map(([id, r]) => JSON.stringify([id, r]))
    .join('\n');
  let out = template;
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::ApiGateway::Deployment') out = renameResource(out, id, `${id}${fnv1a(api)}`);
  }
  return out;
}
