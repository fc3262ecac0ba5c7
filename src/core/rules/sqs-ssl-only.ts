import type { Rule } from '../rule-types.js';
import { deniesInsecureTransport } from '../rule-helpers/iam-statements.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { resourcesReferencing } from '../rule-helpers/refs.js';
import { prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'sqs-ssl-only',
  level: 'error',
  explanation: 'Without a policy that denies plain-HTTP requests, producers and consumers can send and receive messages over unencrypted connections.',
  fix: 'Add an AWS::SQS::QueuePolicy with Queues: [!Ref Queue] and a statement: Effect Deny, Principal "*", Action "sqs:*", Resource !GetAtt Queue.Arn, Condition { Bool: { "aws:SecureTransport": "false" } }.',
  resourceTypes: ['AWS::SQS::Queue'],
  check(id, _resource, ctx) {
    const policies = resourcesReferencing(ctx, id, 'AWS::SQS::QueuePolicy', 'Queues');
    if (policies.length === 0) return nonCompliant('no AWS::SQS::QueuePolicy applies to the queue, so plain-HTTP requests are not denied');
    return policies.some((p) => deniesInsecureTransport(prop(p.resource, 'PolicyDocument'), 'sqs'))
      ? compliant
      : nonCompliant(`the queue policy (${policies.map((p) => p.id).join(', ')}) has no Deny statement for "aws:SecureTransport": "false" covering every principal and sqs:*`);
  },
};
