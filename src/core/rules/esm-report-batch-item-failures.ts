import type { Rule } from '../rule-types.js';
import { eventSourceKind } from '../rule-helpers/lambda.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { asList, isIntrinsic, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'esm-report-batch-item-failures',
  level: 'error',
  explanation: 'Without partial batch responses one bad record makes the whole batch fail, so good records are processed again (duplicates) or discarded with it.',
  fix: "Set FunctionResponseTypes: ['ReportBatchItemFailures'] and return { batchItemFailures: [{ itemIdentifier }] } from the handler.",
  resourceTypes: ['AWS::Lambda::EventSourceMapping'],
  check(_id, resource, ctx) {
    const kind = eventSourceKind(ctx, resource);
    if (kind !== 'sqs' && kind !== 'dynamodb' && kind !== 'kinesis') return notApplicable;
    const types = prop(resource, 'FunctionResponseTypes');
    if (isIntrinsic(types)) return compliant;
    return asList(types).includes('ReportBatchItemFailures')
      ? compliant
      : nonCompliant('FunctionResponseTypes does not include ReportBatchItemFailures', 'Properties.FunctionResponseTypes');
  },
};
