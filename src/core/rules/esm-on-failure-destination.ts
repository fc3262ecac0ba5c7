import type { Rule } from '../rule-types.js';
import type { Json } from '../types.js';
import { eventSourceKind, isStreamKind } from '../rule-helpers/lambda.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { resolveRef } from '../rule-helpers/refs.js';
import { getCaseless, isIntrinsic, isObject, isSet, prop } from '../rule-helpers/values.js';

function redriveTarget(policy: Json | undefined): Json | undefined {
  if (typeof policy === 'string') {
    try {
      const parsed = JSON.parse(policy) as Json;
      return isObject(parsed) ? getCaseless(parsed, 'deadLetterTargetArn') : undefined;
    } catch {
      return undefined;
    }
  }
  if (isIntrinsic(policy)) return policy;
  return isObject(policy) ? getCaseless(policy, 'deadLetterTargetArn') : undefined;
}

export const rule: Rule = {
  id: 'esm-on-failure-destination',
  level: 'error',
  explanation:
    'Records that still fail after the retries are lost unless they go somewhere: an OnFailure destination for stream and Kafka sources, a dead-letter queue (RedrivePolicy) for SQS sources.',
  fix: 'Streams/Kafka: set DestinationConfig: { OnFailure: { Destination: !GetAtt FailureQueue.Arn } }. SQS: give the source queue RedrivePolicy: { deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 5 }.',
  resourceTypes: ['AWS::Lambda::EventSourceMapping'],
  check(_id, resource, ctx) {
    const kind = eventSourceKind(ctx, resource);
    if (isStreamKind(kind) || kind === 'kafka') {
      return isSet(prop(resource, 'DestinationConfig.OnFailure.Destination'))
        ? compliant
        : nonCompliant('the mapping has no DestinationConfig.OnFailure.Destination: records that keep failing are dropped', 'Properties.DestinationConfig.OnFailure.Destination');
    }
    if (kind === 'sqs') {
      const queue = resolveRef(ctx, prop(resource, 'EventSourceArn'));
      if (!queue || queue.resource.Type !== 'AWS::SQS::Queue') return notApplicable;
      return isSet(redriveTarget(prop(queue.resource, 'RedrivePolicy')))
        ? compliant
        : nonCompliant(`the source queue ${queue.id} has no RedrivePolicy with a deadLetterTargetArn: messages that keep failing are retried until they expire`, 'Properties.EventSourceArn');
    }
    return notApplicable;
  },
};
