import { usageError } from '../errors.js';
import type { PatternDefinition } from '../pattern-types.js';
import { offload } from './offload.js';
import { todo } from './todo.js';

/** Every pattern archctl can render, in the order `archctl patterns` lists them. */
export const patterns: readonly PatternDefinition[] = [todo, offload];

export function getPattern(name: string): PatternDefinition {
  const found = patterns.find((p) => p.name === name);
  if (!found) {
    throw usageError(`unknown pattern ${JSON.stringify(name)}`, `use one of: ${patterns.map((p) => p.name).join(', ')}`);
  }
  return found;
}
