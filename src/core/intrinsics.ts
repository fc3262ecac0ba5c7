import { ArchctlError } from './errors.js';
import type { Json, JsonObject } from './types.js';

/**
 * What a running stack knows: the physical id of each resource (what Ref
 * gives), the attributes GetAtt may ask for, and the pseudo parameters. The
 * local cloud fills it with its own endpoints and names.
 */
export interface StackValues {
  refs: Record<string, string>;
  /** `${logicalId}.${attribute}` -> value */
  attributes: Record<string, string>;
  /** AWS::Region, AWS::AccountId, AWS::Partition, AWS::URLSuffix, AWS::StackName... */
  pseudo: Record<string, string>;
}

const fail = (what: string) => new ArchctlError(`cannot resolve ${what}`, 'the local cloud supports Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select and Fn::GetAZs');

function ref(name: string, v: StackValues): string {
  const value = v.pseudo[name] ?? v.refs[name];
  if (value === undefined) throw fail(`Ref ${name}`);
  return value;
}

function getAtt(id: string, attribute: string, v: StackValues): string {
  const value = v.attributes[`${id}.${attribute}`];
  if (value === undefined) throw fail(`Fn::GetAtt ${id}.${attribute}`);
  return value;
}

function sub(text: string, vars: JsonObject, v: StackValues): string {
  return text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (Object.hasOwn(vars, name)) return String(resolveIntrinsics(vars[name] as Json, v));
    const dot = name.indexOf('.');
    return dot > 0 && !name.startsWith('AWS::') ? getAtt(name.slice(0, dot), name.slice(dot + 1), v) : ref(name, v);
  });
}

/** Replaces CloudFormation intrinsic functions with the values of a running (local) stack. Pure. */
export function resolveIntrinsics(node: Json, v: StackValues): Json {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((n) => resolveIntrinsics(n, v));
  const keys = Object.keys(node);
  if (keys.length === 1) {
    const key = keys[0]!;
    const arg = node[key] as Json;
    switch (key) {
      case 'Ref':
        return ref(String(arg), v);
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.*)/s);
        return getAtt(id ?? '', attribute ?? '', v);
      }
      case 'Fn::Sub':
        if (typeof arg === 'string') return sub(arg, {}, v);
        if (Array.isArray(arg) && typeof arg[0] === 'string') return sub(arg[0], (arg[1] ?? {}) as JsonObject, v);
        throw fail('Fn::Sub with this shape');
      case 'Fn::Join': {
        const [sep, list] = arg as [string, Json[]];
        return (resolveIntrinsics(list, v) as Json[]).map(String).join(sep);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [Json, Json];
        const items = resolveIntrinsics(list, v) as Json[];
        return items[Number(resolveIntrinsics(index, v))] ?? null;
      }
      case 'Fn::GetAZs': {
        const region = v.pseudo['AWS::Region'] ?? 'local';
        return ['a', 'b', 'c'].map((z) => `${region}${z}`);
      }
      default:
        if (key.startsWith('Fn::')) throw fail(key);
    }
  }
  const out: JsonObject = {};
  for (const key of keys) out[key] = resolveIntrinsics(node[key] as Json, v);
  return out;
}
