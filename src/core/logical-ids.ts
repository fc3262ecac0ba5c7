import type { CfnTemplate, Json, JsonObject } from './types.js';

/** A content hash: the same text always gives the same short id (supplied by the caller: the core does no I/O and loads no crypto). */
export type ContentHash = (text: string) => string;

/** Rewrites references to `from` in one template node; unchanged subtrees are returned as they are. */
function renamer(from: string, to: string): (node: Json) => Json {
  const inSub = new RegExp(`\\$\\{${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.[^}]*)?\\}`, 'g');
  const swap = (text: string) => (text.includes(from) ? text.replace(inSub, (_m, attr: string | undefined) => `\${${to}${attr ?? ''}}`) : text);
  const walk = (node: Json): Json => {
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) {
      let changed = false;
      const out = node.map((n) => {
        const r = walk(n);
        if (r !== n) changed = true;
        return r;
      });
      return changed ? out : node;
    }
    let out: JsonObject | undefined;
    for (const [key, value] of Object.entries(node)) {
      let next: Json = value;
      if (key === 'Ref' && value === from) next = to;
      else if (key === 'Fn::GetAtt' && Array.isArray(value) && value[0] === from) next = [to, ...value.slice(1)];
      else if (key === 'Fn::GetAtt' && typeof value === 'string' && value.startsWith(`${from}.`)) next = to + value.slice(from.length);
      else if (key === 'Fn::Sub' && typeof value === 'string') next = swap(value);
      else if (key === 'Fn::Sub' && Array.isArray(value) && typeof value[0] === 'string') {
        const [text, ...rest] = value;
        const swapped = swap(text);
        const vars = rest.map(walk);
        next = swapped !== text || vars.some((v, i) => v !== rest[i]) ? [swapped, ...vars] : value;
      } else next = walk(value);
      if (next !== value) {
        out ??= { ...node };
        out[key] = next;
      }
    }
    return out ?? node;
  };
  return walk;
}

/** Renames a resource and every reference to it: Ref, GetAtt, Sub, DependsOn. */
export function renameResource(template: CfnTemplate, from: string, to: string): CfnTemplate {
  const walk = renamer(from, to);
  const resources: CfnTemplate['Resources'] = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    let renamed = walk(resource as unknown as JsonObject) as unknown as typeof resource;
    const deps = renamed.DependsOn;
    const hit = Array.isArray(deps) ? deps.includes(from) : deps === from;
    if (hit) renamed = { ...renamed, DependsOn: Array.isArray(deps) ? deps.map((d) => (d === from ? to : d)) : to };
    resources[id === from ? to : id] = renamed;
  }
  const out = { ...template, Resources: resources };
  if (template.Outputs) out.Outputs = walk(template.Outputs as JsonObject) as CfnTemplate['Outputs'];
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
export function stampDeployments(template: CfnTemplate, hash: ContentHash): CfnTemplate {
  const api = Object.entries(template.Resources)
    .filter(([, r]) => DEPLOYED.has(r.Type))
    .map(([id, r]) => JSON.stringify([id, r]))
    .join('\n');
  let out = template;
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::ApiGateway::Deployment') out = renameResource(out, id, `${id}${hash(api)}`);
  }
  return out;
}
