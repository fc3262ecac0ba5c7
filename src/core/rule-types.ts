import type { CfnResource, CfnTemplate, Level } from './types.js';

/** What a rule says about one resource (cdk-nag's three outcomes). */
export type RuleOutcome =
  | { status: 'compliant' }
  | { status: 'not-applicable' }
  | { status: 'non-compliant'; message: string; path?: string };

export interface RuleContext {
  template: CfnTemplate;
  /** Every resource of the template by logical id, for rules that follow a Ref. */
  resources: Record<string, CfnResource>;
}

/**
 * A security rule: small, pure, one per file under src/core/rules/, and the
 * file name is the rule id.
 */
export interface Rule {
  id: string;
  level: Level;
  /** Why the rule exists, in one or two sentences. */
  explanation: string;
  /** What to change in the template to comply. */
  fix: string;
  /** The CloudFormation types the rule looks at; the engine calls `check` only for these. */
  resourceTypes: readonly string[];
  check(logicalId: string, resource: CfnResource, ctx: RuleContext): RuleOutcome | RuleOutcome[];
}
