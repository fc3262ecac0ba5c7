import { resolveParams, type Params } from '../core/params.js';
import { getPattern } from '../core/patterns/index.js';
import { render } from '../core/render.js';
import type { CfnTemplate } from '../core/types.js';
import { contentHash } from './content-hash.js';
import { loadFragment } from './load-fragments.js';

export interface RenderRequest {
  pattern: string;
  /** Parameters from archctl.json and --set, not yet checked. */
  parameters: Record<string, unknown>;
}

export interface Rendered {
  pattern: string;
  params: Params;
  template: CfnTemplate;
}

export function renderPattern(req: RenderRequest): Rendered {
  const pattern = getPattern(req.pattern);
  const params = resolveParams(pattern.params, req.parameters, pattern.name);
  return { pattern: pattern.name, params, template: render(pattern, params, loadFragment, contentHash) };
}
