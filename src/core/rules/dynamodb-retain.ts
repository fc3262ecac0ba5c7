import type { Rule, RuleOutcome } from '../rule-types.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';

export const rule: Rule = {
  id: 'dynamodb-retain',
  level: 'error',
  explanation: 'A table removed from the template, or replaced by a change to its key schema or name, is deleted with all its data unless both policies say Retain.',
  fix: 'Set DeletionPolicy: Retain and UpdateReplacePolicy: Retain on the table (resource attributes, next to Type).',
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  check(_id, resource) {
    const found: RuleOutcome[] = [];
    if (resource.DeletionPolicy !== 'Retain') found.push(nonCompliant(`DeletionPolicy is ${resource.DeletionPolicy ?? 'not set (Delete)'}, not Retain`, 'DeletionPolicy'));
    if (resource.UpdateReplacePolicy !== 'Retain') found.push(nonCompliant(`UpdateReplacePolicy is ${resource.UpdateReplacePolicy ?? 'not set (Delete)'}, not Retain`, 'UpdateReplacePolicy'));
    return outcomes(found);
  },
};
