/** The text a template value renders to (references kept as `${X}`), and text escaped for a RegExp. */
import type { Json, JsonObject } from '../types.js';
import { branches, isObject } from './values.js';

/**
 * The text a value renders to, with references kept as `${X}` / `${X.Attr}`
 * (so `{"Fn::GetAtt": ["Table","Arn"]}` gives `${Table.Arn}` and a Fn::Sub
 * gives its template). Fn::Join is joined; pieces that cannot be rendered
 * become `${?}`. Fn::If, Fn::ImportValue and the like give undefined.
 */
export function textOf(value: Json | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return `\${${value.Ref}}`;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && typeof getAtt[1] === 'string') return `\${${getAtt[0]}.${getAtt[1]}}`;
  if (typeof getAtt === 'string') return `\${${getAtt}}`;
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') return renderSub(sub, {});
  if (Array.isArray(sub) && typeof sub[0] === 'string') return renderSub(sub[0], isObject(sub[1]) ? sub[1] : {});
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map((part) => textOf(part) ?? '${?}').join(join[0]);
  }
  return undefined;
}

function renderSub(template: string, vars: JsonObject): string {
  return template.replace(/\$\{(!?)([^}]*)\}/g, (whole, bang: string, name: string) => {
    if (bang === '!') return `\${${name}}`;
    const bound = vars[name];
    if (bound !== undefined) return textOf(bound) ?? '${?}';
    return whole;
  });
}

/** The texts of every branch of a value (Fn::If expanded); unrenderable branches are left out. */
export function textsOf(value: Json | undefined): string[] {
  return branches(value)
    .map((b) => textOf(b))
    .filter((t): t is string => t !== undefined);
}

/** `text` with every RegExp special character escaped, to match it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
