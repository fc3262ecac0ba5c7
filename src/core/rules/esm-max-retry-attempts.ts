import type { Rule } from '../rule-types.js';
import { eventSourceKind, isStreamKind } from '../rule-helpers/lambda.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { asNumber, isIntrinsic, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'esm-max-retry-attempts',
  level: 'error',
  explanation:
    'For DynamoDB and Kinesis streams the default is to retry a failing batch until the record expires (-1), which blocks the shard for up to a day (DynamoDB) or a week (Kinesis).',
  fix: 'Set MaximumRetryAttempts to a value from 0 to 5 (for example 3), together with BisectBatchOnFunctionError and an OnFailure destination.',
  resourceTypes: ['AWS::Lambda::EventSourceMapping'],
  check(_id, resource, ctx) {
    if (!isStreamKind(eventSourceKind(ctx, resource))) return notApplicable;
    const value = prop(resource, 'MaximumRetryAttempts');
    if (isIntrinsic(value)) return compliant;
    const n = asNumber(value);
    if (n === undefined) return nonCompliant('MaximumRetryAttempts is not set (the default retries until the records expire)', 'Properties.MaximumRetryAttempts');
    if (n < 0 || n > 5) return nonCompliant(`MaximumRetryAttempts is ${n}, outside 0..5`, 'Properties.MaximumRetryAttempts');
    return compliant;
  },
};
