import { evaluateRules, summarize } from '../core/evaluate.js';
import { rules } from '../core/rules/index.js';
import { checkSpec } from '../core/spec/check.js';
import type { Finding } from '../core/types.js';
import { loadSpecFor } from './load-spec.js';
import { renderPattern, type RenderRequest } from './render.js';

export interface ValidationReport {
  pattern: string;
  resources: number;
  findings: Finding[];
  summary: { errors: number; warnings: number; suppressed: number };
}

/** Renders, then checks the template against the CloudFormation spec and the security rules. */
export async function validatePattern(req: RenderRequest): Promise<ValidationReport> {
  const { pattern, template } = renderPattern(req);
  const spec = await loadSpecFor(template);
  const findings = [...checkSpec(template, spec), ...evaluateRules(template, rules)];
  return { pattern, resources: Object.keys(template.Resources).length, findings, summary: summarize(findings) };
}
