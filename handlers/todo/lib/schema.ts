import { badRequest } from './errors.js';
import { codePoints, normaliseText } from './text.js';

// A strict validator for flat JSON bodies: only the listed fields, each of
// its type; strings normalised (text.ts) before their length is measured.

export type FieldRule =
  | { type: 'string'; minLength?: number; maxLength: number; check?: (value: string) => boolean; format?: string }
  | { type: 'boolean' }
  | { type: 'integer'; minimum: number };

export interface ObjectSchema {
  fields: Record<string, FieldRule>;
  required: readonly string[];
  /** Fewest fields the body must have (an update needs something to change). */
  minFields?: number;
}

export type FieldValue = string | boolean | number;

function checkField(name: string, rule: FieldRule, value: unknown): FieldValue {
  switch (rule.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw badRequest(`${name} must be true or false.`, 'InvalidField');
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < rule.minimum) {
        throw badRequest(`${name} must be an integer of at least ${rule.minimum}.`, 'InvalidField');
      }
      return value;
    case 'string': {
      if (typeof value !== 'string') throw badRequest(`${name} must be a string.`, 'InvalidField');
      const text = normaliseText(value);
      if (!text.ok) {
        throw badRequest(
          text.problem === 'lone-surrogate'
            ? `${name} is not valid Unicode (lone surrogate).`
            : `${name} contains a control, bidi override or zero-width character.`,
          'InvalidText',
        );
      }
      const length = codePoints(text.value);
      const min = rule.minLength ?? 0;
      if (length < min || length > rule.maxLength) {
        throw badRequest(`${name} must be ${min} to ${rule.maxLength} characters long.`, 'InvalidField');
      }
      if (rule.check && !rule.check(text.value)) throw badRequest(`${name} must be ${rule.format ?? 'valid'}.`, 'InvalidField');
      return text.value;
    }
  }
}

export function validateObject(body: Record<string, unknown>, schema: ObjectSchema): Record<string, FieldValue> {
  // Own keys only, looked up with Object.hasOwn: "__proto__", "constructor"
  // and "toString" are unknown fields like any other, never inherited ones.
  const keys = Object.keys(body);
  for (const key of keys) {
    if (!Object.hasOwn(schema.fields, key)) {
      // The name is echoed only when it is plainly printable.
      const shown = /^[A-Za-z0-9_$]{1,64}$/.test(key) ? `: ${key}` : '';
      throw badRequest(`Unknown field${shown}.`, 'UnknownField');
    }
  }
  for (const key of schema.required) {
    if (!Object.hasOwn(body, key)) throw badRequest(`${key} is required.`, 'MissingField');
  }
  if (keys.length < (schema.minFields ?? 0)) throw badRequest('The body has no field to change.', 'MissingField');
  const out: Record<string, FieldValue> = {};
  for (const key of keys) out[key] = checkField(key, schema.fields[key]!, body[key]);
  return out;
}
