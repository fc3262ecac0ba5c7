import type { Rule, RuleOutcome } from '../rule-types.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { textOf } from '../rule-helpers/text.js';
import { getPath, isIntrinsic, isTrue, objectsOf, prop } from '../rule-helpers/values.js';

const FLAG = 'PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled';

export const rule: Rule = {
  id: 'dynamodb-pitr',
  level: 'error',
  explanation:
    'Point-in-time recovery restores a table to any second of the last 35 days after a bad write or a bug; on a GlobalTable it is set per replica, so every replica needs it.',
  fix: 'Table: PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }. GlobalTable: the same inside every entry of Replicas.',
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  check(_id, resource) {
    if (resource.Type === 'AWS::DynamoDB::Table') {
      const v = prop(resource, FLAG);
      return outcomes(isTrue(v) || isIntrinsic(v) ? [] : [nonCompliant('point-in-time recovery is not enabled', `Properties.${FLAG}`)]);
    }
    const found: RuleOutcome[] = [];
    const replicas = objectsOf(prop(resource, 'Replicas'));
    for (const { item, index } of replicas) {
      const v = getPath(item, FLAG);
      if (!isTrue(v) && !isIntrinsic(v)) {
        found.push(nonCompliant(`point-in-time recovery is not enabled on the replica in ${textOf(item.Region) ?? `#${index}`}`, `Properties.Replicas.${index}.${FLAG}`));
      }
    }
    return outcomes(found);
  },
};
