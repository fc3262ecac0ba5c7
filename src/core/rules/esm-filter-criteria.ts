import type { Rule } from '../rule-types.js';
import { eventSourceKind } from '../rule-helpers/lambda.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { asList, isIntrinsic, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'esm-filter-criteria',
  level: 'error',
  explanation:
    'A DynamoDB stream carries every INSERT, MODIFY and REMOVE, including the function\'s own writes; filtering on the events that matter avoids paying for (and looping on) the rest.',
  fix: 'Set FilterCriteria: { Filters: [ { Pattern: \'{"eventName":["INSERT"]}\' } ] } (the events the consumer handles).',
  resourceTypes: ['AWS::Lambda::EventSourceMapping'],
  check(_id, resource, ctx) {
    if (eventSourceKind(ctx, resource) !== 'dynamodb') return notApplicable;
    const filters = prop(resource, 'FilterCriteria.Filters');
    if (isIntrinsic(filters) || asList(filters).length > 0) return compliant;
    return nonCompliant('the DynamoDB stream mapping has no FilterCriteria: every change invokes the function', 'Properties.FilterCriteria');
  },
};
