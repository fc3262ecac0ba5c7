import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { isFalse, isIntrinsic, isSet, isTrue, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'sqs-encryption',
  level: 'error',
  explanation: 'Queue messages (events, failed records in dead-letter queues) hold application data and must be encrypted at rest; the template states how.',
  fix: 'Set SqsManagedSseEnabled: true, or KmsMasterKeyId with a customer managed key (needed when an AWS service such as S3 or EventBridge sends to the queue with its own key policy).',
  resourceTypes: ['AWS::SQS::Queue'],
  check(_id, resource) {
    if (isSet(prop(resource, 'KmsMasterKeyId'))) return compliant;
    const sse = prop(resource, 'SqsManagedSseEnabled');
    if (isTrue(sse) || isIntrinsic(sse)) return compliant;
    return nonCompliant(
      isFalse(sse) ? 'SqsManagedSseEnabled is false and no KmsMasterKeyId is set: the queue is not encrypted' : 'the queue declares no encryption (SqsManagedSseEnabled or KmsMasterKeyId)',
      'Properties.SqsManagedSseEnabled',
    );
  },
};
