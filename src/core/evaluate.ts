/**
 * Runs the security rules over a template and turns what they say into
 * findings. Pure: no fs, no clock; the same template gives the same list.
 */
import type { Rule, RuleContext, RuleOutcome } from './rule-types.js';
import type { CfnResource, CfnTemplate, Finding, Json, JsonObject } from './types.js';

/** Rule id of the finding raised for a suppression without a real reason. Never suppressible. */
export const SUPPRESSION_REASON_RULE = 'suppression-reason';
/** Rule id of the finding raised for a suppression naming no known rule. Never suppressible. */
export const SUPPRESSION_UNKNOWN_RULE = 'suppression-unknown-rule';

/** Shortest reason accepted (the same floor cdk-nag applies). */
export const MIN_REASON_LENGTH = 10;

const PLACEHOLDER_REASONS = new Set(['todo', 'tbd', 'n/a', 'na', 'none', 'fixme', 'ignore', 'xxx', '-', '.', '...']);

/** Why a suppression reason is not acceptable, or undefined when it is. */
export function reasonProblem(reason: unknown): string | undefined {
  if (typeof reason !== 'string' || reason.trim() === '') return 'has no reason';
  const text = reason.trim();
  const normalized = text.toLowerCase().replace(/[\s.!:;,]+$/u, '');
  if (PLACEHOLDER_REASONS.has(normalized) || /^(todo|tbd|fixme)\b/.test(normalized)) {
    return `has a placeholder reason (${JSON.stringify(text)})`;
  }
  if (text.length < MIN_REASON_LENGTH) {
    return `has a reason shorter than ${MIN_REASON_LENGTH} characters (${JSON.stringify(text)})`;
  }
  return undefined;
}

interface Suppression {
  id: string;
  reason: string;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads `Metadata.archctl.rules_to_suppress` (applied here) and checks the
 * reasons in `Metadata.cdk_nag.rules_to_suppress` (applied by cdk-nag, but a
 * suppression without a real reason is a finding whoever reads it).
 */
function readSuppressions(
  logicalId: string,
  resource: CfnResource,
  knownRuleIds: ReadonlySet<string>,
): { valid: Map<string, Suppression>; problems: Finding[] } {
  const valid = new Map<string, Suppression>();
  const problems: Finding[] = [];
  const problem = (ruleId: string, level: Finding['level'], path: string, message: string, fix: string): void => {
    problems.push({ source: 'rules', ruleId, level, logicalId, type: resource.Type, path, message, fix });
  };

  for (const owner of ['archctl', 'cdk_nag'] as const) {
    const block = resource.Metadata?.[owner];
    if (!isObject(block)) continue;
    const list: Json | undefined = block.rules_to_suppress;
    if (list === undefined) continue;
    const base = `Metadata.${owner}.rules_to_suppress`;
    if (!Array.isArray(list)) {
      problem(SUPPRESSION_REASON_RULE, 'error', base, `${base} is not a list, so nothing is suppressed`, 'Write rules_to_suppress as a list of { id, reason } entries.');
      continue;
    }
    list.forEach((entry, index) => {
      const path = `${base}.${index}`;
      if (!isObject(entry) || typeof entry.id !== 'string' || entry.id.trim() === '') {
        problem(SUPPRESSION_REASON_RULE, 'error', path, `suppression ${index} has no rule id`, 'Give every suppression an "id" naming the rule and a "reason".');
        return;
      }
      const id = entry.id;
      const bad = reasonProblem(entry.reason);
      if (bad !== undefined) {
        problem(
          SUPPRESSION_REASON_RULE,
          'error',
          `${path}.reason`,
          `suppression of ${id} ${bad}${owner === 'archctl' ? ', so it does not apply' : ''}`,
          `Say in "reason" why ${id} does not apply to this resource (at least ${MIN_REASON_LENGTH} characters, not a placeholder), or fix the resource and remove the suppression.`,
        );
        return;
      }
      if (owner !== 'archctl') return;
      if (!knownRuleIds.has(id)) {
        problem(
          SUPPRESSION_UNKNOWN_RULE,
          'warning',
          `${path}.id`,
          `suppression names ${JSON.stringify(id)}, which is not an archctl rule`,
          'Use the id of an archctl rule (its file name under src/core/rules/), or remove the entry; cdk-nag suppressions belong in Metadata.cdk_nag.',
        );
        return;
      }
      valid.set(id, { id, reason: (entry.reason as string).trim() });
    });
  }
  return { valid, problems };
}

function compareIds(a: Rule, b: Rule): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function asOutcomes(result: RuleOutcome | RuleOutcome[]): RuleOutcome[] {
  return Array.isArray(result) ? result : [result];
}

/**
 * Calls each rule on each resource of its types and returns the
 * non-compliant outcomes as findings (source "rules"). Resources come in
 * template order, rules by id; a resource's suppression problems follow its
 * rule findings. Suppressed findings are kept, marked `suppressed`.
 */
export function evaluateRules(template: CfnTemplate, rules: readonly Rule[]): Finding[] {
  const resources = template.Resources ?? {};
  const ctx: RuleContext = { template, resources };
  const sorted = [...rules].sort(compareIds);
  const knownRuleIds = new Set(sorted.map((r) => r.id));
  const findings: Finding[] = [];

  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isObject(resource) || typeof resource.Type !== 'string') continue;
    const { valid, problems } = readSuppressions(logicalId, resource, knownRuleIds);
    for (const rule of sorted) {
      if (!rule.resourceTypes.includes(resource.Type)) continue;
      let results: RuleOutcome[];
      try {
        results = asOutcomes(rule.check(logicalId, resource, ctx));
      } catch (error) {
        // A rule that throws is a bug in archctl; report it rather than hide the other findings.
        const detail = error instanceof Error ? error.message : String(error);
        results = [{ status: 'non-compliant', message: `the rule could not check this resource: ${detail}` }];
      }
      for (const outcome of results) {
        if (outcome.status !== 'non-compliant') continue;
        const finding: Finding = {
          source: 'rules',
          ruleId: rule.id,
          level: rule.level,
          logicalId,
          type: resource.Type,
          message: outcome.message,
          fix: rule.fix,
        };
        if (outcome.path !== undefined) finding.path = outcome.path;
        const suppression = valid.get(rule.id);
        if (suppression) finding.suppressed = { reason: suppression.reason };
        findings.push(finding);
      }
    }
    findings.push(...problems);
  }
  return findings;
}

export interface FindingSummary {
  /** Unsuppressed errors. */
  errors: number;
  /** Unsuppressed warnings. */
  warnings: number;
  /** Suppressed findings of any level. */
  suppressed: number;
}

export function summarize(findings: readonly Finding[]): FindingSummary {
  const summary: FindingSummary = { errors: 0, warnings: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.suppressed) summary.suppressed += 1;
    else if (f.level === 'error') summary.errors += 1;
    else summary.warnings += 1;
  }
  return summary;
}
