import type { Rule } from '../rule-types.js';
import { isS3Consumer, pointsAtFunction } from '../rule-helpers/lambda.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { resourcesOfType } from '../rule-helpers/refs.js';
import { isSet, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'lambda-consumer-on-failure',
  level: 'error',
  explanation:
    'S3 invokes functions asynchronously: after the retries an event that keeps failing is dropped silently unless it goes to an on-failure destination or a dead-letter queue. (Stream consumers are covered by esm-on-failure-destination.)',
  fix: 'Add an AWS::Lambda::EventInvokeConfig for the function (Qualifier $LATEST) with DestinationConfig.OnFailure.Destination set to an SQS queue ARN, or set DeadLetterConfig.TargetArn on the function.',
  resourceTypes: ['AWS::Lambda::Function'],
  check(id, resource, ctx) {
    if (!isS3Consumer(ctx, id, resource)) return notApplicable;
    if (isSet(prop(resource, 'DeadLetterConfig.TargetArn'))) return compliant;
    const configured = resourcesOfType(ctx, 'AWS::Lambda::EventInvokeConfig').some(
      ({ resource: c }) => pointsAtFunction(prop(c, 'FunctionName'), id, resource) && isSet(prop(c, 'DestinationConfig.OnFailure.Destination')),
    );
    return configured ? compliant : nonCompliant('the function handles S3 events but has neither an on-failure destination (EventInvokeConfig) nor a DeadLetterConfig', 'Properties.DeadLetterConfig');
  },
};
