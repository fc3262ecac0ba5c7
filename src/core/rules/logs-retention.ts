import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { isSet, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'logs-retention',
  level: 'error',
  explanation: 'Without RetentionInDays a log group keeps every event forever: the cost grows without bound and personal data in logs is never deleted.',
  fix: 'Set RetentionInDays on the log group (for example 30, or 365 for access logs).',
  resourceTypes: ['AWS::Logs::LogGroup'],
  check(_id, resource) {
    return isSet(prop(resource, 'RetentionInDays')) ? compliant : nonCompliant('RetentionInDays is not set: events are kept forever', 'Properties.RetentionInDays');
  },
};
