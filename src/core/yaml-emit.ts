import type { Json } from './types.js';

/**
 * A plain YAML writer for rendered templates. Rendering must stay instant, so
 * this avoids loading a YAML library: anything that is not obviously a plain
 * scalar is written as a JSON string, which YAML reads as the same string.
 * Intrinsics stay in their long form (`Fn::Sub:`), which CloudFormation accepts.
 */
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_ ./:@()-]*$/;
const RESERVED = /^(y|yes|n|no|true|false|on|off|null|~)$/i;

function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  const plain = PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(' ') && !value.includes(': ') && !value.includes(' #') && !value.endsWith(':');
  return plain ? value : JSON.stringify(value);
}

function key(k: string): string {
  return scalar(k);
}

function emit(value: Json, indent: string, lines: string[], prefix: string): void {
  if (Array.isArray(value)) {
    if (value.length === 0) return void lines.push(`${prefix} []`.trimStart());
    if (prefix) lines.push(prefix);
    for (const item of value) {
      if (item !== null && typeof item === 'object' && !(Array.isArray(item) && item.length === 0) && !(isEmptyObject(item))) {
        const sub: string[] = [];
        emit(item, indent + '  ', sub, '');
        const first = sub[0] ?? '';
        lines.push(`${indent}- ${first.slice(indent.length + 2)}`, ...sub.slice(1));
      } else {
        lines.push(`${indent}- ${inline(item)}`);
      }
    }
    return;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return void lines.push(`${prefix} {}`.trimStart());
    if (prefix) lines.push(prefix);
    for (const [k, v] of entries) {
      const head = `${indent}${key(k)}:`;
      if (v !== null && typeof v === 'object' && !isEmpty(v)) emit(v, Array.isArray(v) ? indent : indent + '  ', lines, head);
      else lines.push(`${head} ${inline(v)}`);
    }
    return;
  }
  lines.push(`${prefix} ${inline(value)}`.trimStart());
}

const isEmptyObject = (v: Json): boolean => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
const isEmpty = (v: Json): boolean => (Array.isArray(v) ? v.length === 0 : isEmptyObject(v));
const inline = (v: Json): string => (Array.isArray(v) ? '[]' : v !== null && typeof v === 'object' ? '{}' : scalar(v));

export function toYaml(value: Json): string {
  const lines: string[] = [];
  emit(value, '', lines, '');
  return lines.join('\n') + '\n';
}
