import type { Rule } from '../rule-types.js';
import { eventSourceKind, isS3Consumer, isStreamKind, mappingsOf } from '../rule-helpers/lambda.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { asNumber, isIntrinsic, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'lambda-consumer-reserved-concurrency',
  level: 'error',
  explanation:
    'A function fed by a stream or by S3 events scales with the event rate; without reserved concurrency a burst (or a loop) can take the whole account concurrency and throttle the API functions.',
  fix: 'Set ReservedConcurrentExecutions (for example 5) on the function.',
  resourceTypes: ['AWS::Lambda::Function'],
  check(id, resource, ctx) {
    const stream = mappingsOf(ctx, id, resource).some(({ resource: m }) => isStreamKind(eventSourceKind(ctx, m)));
    if (!stream && !isS3Consumer(ctx, id, resource)) return notApplicable;
    const value = prop(resource, 'ReservedConcurrentExecutions');
    if (isIntrinsic(value)) return compliant;
    const n = asNumber(value);
    if (n === undefined) return nonCompliant(`the function consumes ${stream ? 'a stream' : 'S3 events'} but has no ReservedConcurrentExecutions`, 'Properties.ReservedConcurrentExecutions');
    if (n < 1) return nonCompliant(`ReservedConcurrentExecutions is ${n}: the function can never run`, 'Properties.ReservedConcurrentExecutions');
    return compliant;
  },
};
