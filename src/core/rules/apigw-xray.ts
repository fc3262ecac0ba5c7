import type { Rule } from '../rule-types.js';
import { STAGE_TYPES, stageView } from '../rule-helpers/apigw.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { isIntrinsic, isTrue } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'apigw-xray',
  level: 'error',
  explanation: 'X-Ray tracing follows a request from the stage through Lambda to DynamoDB, which is how latency and errors are located.',
  fix: 'Set TracingEnabled: true on the stage.',
  resourceTypes: STAGE_TYPES,
  check(_id, resource) {
    const view = stageView(resource);
    if (!view) return notApplicable;
    const tracing = view.props.TracingEnabled;
    return isTrue(tracing) || isIntrinsic(tracing) ? compliant : nonCompliant('TracingEnabled is not true', `${view.base}.TracingEnabled`);
  },
};
