/** What a rule's check returns: compliant, not applicable, or non-compliant findings. */
import type { RuleOutcome } from '../rule-types.js';

export const compliant: RuleOutcome = { status: 'compliant' };
export const notApplicable: RuleOutcome = { status: 'not-applicable' };

export function nonCompliant(message: string, path?: string): RuleOutcome {
  return path === undefined ? { status: 'non-compliant', message } : { status: 'non-compliant', message, path };
}

/** Several findings for one resource, or `compliant` when there are none. */
export function outcomes(list: readonly RuleOutcome[]): RuleOutcome | RuleOutcome[] {
  return list.length === 0 ? compliant : [...list];
}
