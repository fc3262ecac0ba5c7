/** What each compact type code means: the values it accepts, how a message names it, how to fix a wrong value. */
import { isObject } from './json.js';
import type { SpecShape, SpecType } from './types.js';

export const PRIMITIVE_CODES = new Set(['s', 'n', 'i', 'b', 'j', 'd', 't', 'z']);
export const TAG_SHAPE: SpecShape = { p: { Key: 's', Value: 's' }, r: ['Key', 'Value'] };

export function describe(t: SpecType): string {
  if (Array.isArray(t)) return t.map(describe).join(' or ');
  if (typeof t !== 'string') return 'a' in t ? `a list of (${describe(t.a)})` : `a map of (${describe(t.m)})`;
  switch (t) {
    case 's':
      return 'a string';
    case 'n':
      return 'a number';
    case 'i':
      return 'an integer';
    case 'b':
      return 'a boolean';
    case 'j':
      return 'a JSON object';
    case 'd':
      return 'a date-time string';
    case 't':
      return 'a tag {Key, Value}';
    case 'z':
      return 'null';
  }
  if (t.startsWith('[')) return `a list of ${describe(t.slice(1)).replace(/^an? /, '')}s`;
  if (t.startsWith('{')) return `a map (object) of ${describe(t.slice(1)).replace(/^an? /, '')}s`;
  return `an object (${t})`;
}

export function fixFor(t: SpecType): string {
  if (Array.isArray(t)) return `Use ${describe(t)}.`;
  if (typeof t !== 'string') return 'a' in t ? 'Use a list: [ ... ].' : 'Use an object of key: value pairs.';
  switch (t) {
    case 's':
    case 'd':
      return 'Use a string (quote the value).';
    case 'n':
      return 'Use a number, such as 5 or 2.5.';
    case 'i':
      return 'Use a whole number, such as 5.';
    case 'b':
      return 'Use true or false.';
    case 't':
      return 'Use an object with Key and Value.';
    case 'z':
      return 'Use null.';
    case 'j':
      return 'Use an object.';
  }
  if (t.startsWith('[')) return `Use a list ([ ... ]) of ${describe(t.slice(1)).replace(/^an? /, '')}s, or an intrinsic function that returns one.`;
  if (t.startsWith('{')) return 'Use an object of key: value pairs.';
  return `Use an object with the properties of ${t}.`;
}

const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const INTEGER_TEXT = /^\s*[-+]?\d+\s*$/;

/** Does `v` have the right outer kind for `t` (not looking inside)? CloudFormation accepts "5" and "true". */
export function accepts(v: unknown, t: SpecType): boolean {
  if (Array.isArray(t)) return t.some((m) => accepts(v, m));
  if (typeof t !== 'string') return 'a' in t ? Array.isArray(v) : isObject(v);
  switch (t) {
    case 's':
    case 'd':
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
    case 'n':
      return typeof v === 'number' || (typeof v === 'string' && NUMBER_TEXT.test(v));
    case 'i':
      return (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && INTEGER_TEXT.test(v));
    case 'b':
      return typeof v === 'boolean' || (typeof v === 'string' && /^(true|false)$/i.test(v));
    case 'j':
      return true;
    case 'z':
      return v === null;
  }
  if (t.startsWith('[')) return Array.isArray(v);
  return isObject(v); // "t", "{X", type definitions
}

export const isListType = (t: SpecType): boolean => (typeof t === 'string' ? t.startsWith('[') : !Array.isArray(t) && 'a' in t);
