/** The state of one check (what the template holds, where the walk is, the findings so far) and how findings are reported. */
import type { Finding } from '../types.js';
import type { SpecLookup, SpecShape } from './types.js';

export type Section = 'Resources' | 'Outputs' | 'Conditions';

export interface TemplateCtx {
  spec: SpecLookup;
  parameters: Set<string>;
  /** Logical id -> resource type ('' when the resource has none). */
  resources: Map<string, string>;
  conditions: Set<string>;
  /** A Transform (SAM, macros) may add resources: do not report references to unknown ones. */
  transformed: boolean;
}

export interface Ctx {
  tpl: TemplateCtx;
  out: Finding[];
  logicalId: string;
  /** Finding type: the resource type, or the section name. */
  type: string;
  section: Section;
  defs: Record<string, SpecShape>;
  /** False during a dry run (choosing a union member): only type findings are collected. */
  refs: boolean;
}

export function report(ctx: Ctx, ruleId: string, path: string | undefined, message: string, fix: string): void {
  const f: Finding = { source: 'spec', ruleId, level: 'error', logicalId: ctx.logicalId, type: ctx.type, message, fix };
  if (path) f.path = path;
  ctx.out.push(f);
}

export const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
/** How a message names the place: "Table.Properties.X", "Output TableArn.Value", "Condition IsProd". */
export function where(ctx: Ctx, path: string): string {
  const id = ctx.section === 'Outputs' ? `Output ${ctx.logicalId}` : ctx.section === 'Conditions' ? `Condition ${ctx.logicalId}` : ctx.logicalId;
  return path ? `${id}.${path}` : id;
}
