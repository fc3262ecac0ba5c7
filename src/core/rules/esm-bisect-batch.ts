import type { Rule } from '../rule-types.js';
import { compliant, eventSourceKind, isIntrinsic, isStreamKind, isTrue, nonCompliant, notApplicable, prop } from '../rule-helpers.js';

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
