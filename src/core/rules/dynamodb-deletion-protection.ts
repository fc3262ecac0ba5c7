import type { Rule, RuleOutcome } from '../rule-types.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { textOf } from '../rule-helpers/text.js';
import { isIntrinsic, isTrue, objectsOf, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'dynamodb-deletion-protection',
  level: 'error',
  explanation: 'Deletion protection makes DeleteTable fail, from the console, the CLI or a stack operation, until someone turns it off on purpose; on a GlobalTable it is set per replica.',
  fix: 'Table: DeletionProtectionEnabled: true. GlobalTable: DeletionProtectionEnabled: true in every entry of Replicas.',
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  check(_id, resource) {
    if (resource.Type === 'AWS::DynamoDB::Table') {
      const v = prop(resource, 'DeletionProtectionEnabled');
      return outcomes(isTrue(v) || isIntrinsic(v) ? [] : [nonCompliant('DeletionProtectionEnabled is not true', 'Properties.DeletionProtectionEnabled')]);
    }
    const found: RuleOutcome[] = [];
    for (const { item, index } of objectsOf(prop(resource, 'Replicas'))) {
      const v = item.DeletionProtectionEnabled;
      if (!isTrue(v) && !isIntrinsic(v)) {
        found.push(nonCompliant(`DeletionProtectionEnabled is not true on the replica in ${textOf(item.Region) ?? `#${index}`}`, `Properties.Replicas.${index}.DeletionProtectionEnabled`));
      }
    }
    return outcomes(found);
  },
};
