import type { Rule } from '../rule-types.js';
import { compliant, isSet, nonCompliant, notApplicable, prop, textOf } from '../rule-helpers.js';

export const rule: Rule = {
  id: 'apigw-request-validator',
  level: 'error',
  explanation: 'A request validator rejects malformed bodies and missing parameters at the edge (400), before they cost an invocation or reach handler code.',
  fix: 'Add an AWS::ApiGateway::RequestValidator (ValidateRequestBody and ValidateRequestParameters true) and set RequestValidatorId on the method, with RequestModels for bodies.',
  resourceTypes: ['AWS::ApiGateway::Method'],
  check(_id, resource) {
    if (textOf(prop(resource, 'HttpMethod'))?.toUpperCase() === 'OPTIONS') return notApplicable;
    return isSet(prop(resource, 'RequestValidatorId'))
      ? compliant
      : nonCompliant('the method has no RequestValidatorId', 'Properties.RequestValidatorId');
  },
};
