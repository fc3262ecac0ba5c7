import type { ParamSpec, Params } from './params.js';

/**
 * A reference architecture: its parameters and which template fragments
 * (templates/<name>/<fragment>.yaml) make up the template for given values.
 */
export interface PatternDefinition {
  name: string;
  /** One line, shown by `archctl patterns`. */
  description: string;
  params: readonly ParamSpec[];
  /** Fragment names, merged in this order; the first is the base. */
  fragments(params: Params): string[];
}
