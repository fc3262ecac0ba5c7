// The part of JSON Schema draft-04 that API Gateway's request validator
// applies and the archctl models use: type, required, properties,
// additionalProperties (false or a schema), minLength/maxLength, pattern,
// minimum/maximum (with draft-04's boolean exclusive flags), minProperties,
// maxProperties, enum, items, minItems/maxItems. Returns the first problem,
// or undefined when the value is valid.
import type { Json, JsonObject } from '../../core/types.js';

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const matchesType = (value: unknown, type: string): boolean => {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
};

export function validateSchema(value: unknown, schema: JsonObject, at = '#'): string | undefined {
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type.map(String) : [String(schema.type)];
    if (!types.some((t) => matchesType(value, t))) return `${at}: instance type (${typeOf(value)}) does not match any allowed primitive type (allowed: [${types.map((t) => `"${t}"`).join(', ')}])`;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) return `${at}: instance value not found in enum`;
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) return `${at}: string is too short (${length} chars), minimum ${schema.minLength}`;
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) return `${at}: string is too long (${length} chars), maximum ${schema.maxLength}`;
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) return `${at}: ECMA 262 regex "${schema.pattern}" does not match input string`;
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && (schema.exclusiveMinimum === true ? value <= schema.minimum : value < schema.minimum)) return `${at}: numeric instance is lower than the required minimum ${schema.minimum}`;
    if (typeof schema.maximum === 'number' && (schema.exclusiveMaximum === true ? value >= schema.maximum : value > schema.maximum)) return `${at}: numeric instance is greater than the required maximum ${schema.maximum}`;
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return `${at}: array is too short`;
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return `${at}: array is too long`;
    if (schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items)) {
      for (let i = 0; i < value.length; i++) {
        const problem = validateSchema(value[i], schema.items, `${at}/${i}`);
        if (problem) return problem;
      }
    }
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) return `${at}: object has too few properties (found ${keys.length} but schema requires at least ${schema.minProperties})`;
    if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties) return `${at}: object has too many properties`;
    const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
    const missing = required.filter((k) => !Object.hasOwn(obj, k));
    if (missing.length > 0) return `${at}: object has missing required properties ([${missing.map((k) => `"${k}"`).join(',')}])`;
    const properties = (schema.properties ?? {}) as Record<string, Json>;
    for (const key of keys) {
      const sub = Object.hasOwn(properties, key) ? properties[key] : undefined;
      if (sub && typeof sub === 'object' && !Array.isArray(sub)) {
        const problem = validateSchema(obj[key], sub, `${at}/${key}`);
        if (problem) return problem;
      } else if (schema.additionalProperties === false) {
        return `${at}: object instance has properties which are not allowed by the schema: ["${key}"]`;
      } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object' && !Array.isArray(schema.additionalProperties)) {
        const problem = validateSchema(obj[key], schema.additionalProperties, `${at}/${key}`);
        if (problem) return problem;
      }
    }
  }
  return undefined;
}
