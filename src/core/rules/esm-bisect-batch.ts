import type { Rule } from '../rule-types.js';
import { eventSourceKind, isStreamKind } from '../rule-helpers/lambda.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { isIntrinsic, isTrue, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'esm-bisect-batch',
  level: 'error',
  explanation: 'When a stream batch fails, splitting it isolates the one bad record; without bisection the whole batch is retried and then discarded with its good records.',
  fix: 'Set BisectBatchOnFunctionError: true on the event source mapping.',
  resourceTypes: ['AWS::Lambda::EventSourceMapping'],
  check(_id, resource, ctx) {
    if (!isStreamKind(eventSourceKind(ctx, resource))) return notApplicable;
    const value = prop(resource, 'BisectBatchOnFunctionError');
    return isTrue(value) || isIntrinsic(value) ? compliant : nonCompliant('BisectBatchOnFunctionError is not true', 'Properties.BisectBatchOnFunctionError');
  },
};
