/** References between resources: Ref / Fn::GetAtt / Fn::Sub targets, resources by type, DependsOn. */
import type { RuleContext } from '../rule-types.js';
import type { CfnResource, Json } from '../types.js';
import { escapeRegExp } from './text.js';
import { isObject, prop } from './values.js';

/** The logical id a `{Ref: X}` or `{"Fn::GetAtt": [X, A]}` points at (not pseudo parameters). */
export function refTarget(value: Json | undefined): string | undefined {
  if (!isObject(value)) return undefined;
  const ref = value.Ref;
  if (typeof ref === 'string') return ref.startsWith('AWS::') ? undefined : ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** The resource a `Ref`/`GetAtt` points at, when it is in the template. */
export function resolveRef(ctx: RuleContext, value: Json | undefined): { id: string; resource: CfnResource } | undefined {
  const id = refTarget(value);
  if (id === undefined) return undefined;
  const resource = ctx.resources[id];
  return resource ? { id, resource } : undefined;
}

/** True when `${id}` or `${id.Attr}` appears in a Fn::Sub template string. */
function subMentions(template: string, id: string): boolean {
  return new RegExp(`\\$\\{${escapeRegExp(id)}(\\.[A-Za-z0-9.]+)?\\}`).test(template);
}

/**
 * True when `value` refers to the logical id anywhere inside: `Ref`,
 * `Fn::GetAtt`, or `${id}` / `${id.Attr}` in a `Fn::Sub`.
 */
export function refersTo(value: Json | undefined, id: string): boolean {
  if (Array.isArray(value)) return value.some((v) => refersTo(v, id));
  if (!isObject(value)) return false;
  if (value.Ref === id) return true;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[0] === id) return true;
  if (typeof getAtt === 'string' && getAtt.split('.')[0] === id) return true;
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string' && subMentions(sub, id)) return true;
  if (Array.isArray(sub) && typeof sub[0] === 'string' && subMentions(sub[0], id)) return true;
  return Object.values(value).some((v) => refersTo(v, id));
}

/** Every resource of the given type(s), in template order. */
export function resourcesOfType(ctx: RuleContext, types: string | readonly string[]): { id: string; resource: CfnResource }[] {
  const wanted = typeof types === 'string' ? [types] : types;
  return Object.entries(ctx.resources)
    .filter(([, r]) => wanted.includes(r.Type))
    .map(([id, resource]) => ({ id, resource }));
}

/** Resources (optionally of given types) whose Properties, or the named property, refer to `id`. */
export function resourcesReferencing(
  ctx: RuleContext,
  id: string,
  types?: string | readonly string[],
  propertyPath?: string,
): { id: string; resource: CfnResource }[] {
  const candidates = types === undefined ? Object.entries(ctx.resources).map(([rid, resource]) => ({ id: rid, resource })) : resourcesOfType(ctx, types);
  return candidates.filter(({ id: rid, resource }) => {
    if (rid === id) return false;
    const value = propertyPath === undefined ? resource.Properties : prop(resource, propertyPath);
    return refersTo(value, id);
  });
}

/** True when the resource names `id` in DependsOn. */
export function dependsOn(resource: CfnResource, id: string): boolean {
  const deps = resource.DependsOn;
  return deps === id || (Array.isArray(deps) && deps.includes(id));
}
