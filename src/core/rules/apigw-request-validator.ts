import type { Rule, RuleOutcome } from '../rule-types.js';
import { compliant, nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { resolveRef } from '../rule-helpers/refs.js';
import { textOf } from '../rule-helpers/text.js';
import { isNoValue, isObject, isOpaque, isSet, isTrue, prop } from '../rule-helpers/values.js';

/** Methods whose requests carry a body the validator must check. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export const rule: Rule = {
  id: 'apigw-request-validator',
  level: 'error',
  explanation:
    'A request validator rejects malformed bodies and missing parameters at the edge (400), before they cost an invocation or reach handler code. For POST, PUT and PATCH the validator must check the body (ValidateRequestBody) and the method must name the model to check it against (RequestModels); otherwise any body goes through.',
  fix: 'Add an AWS::ApiGateway::RequestValidator (ValidateRequestBody and ValidateRequestParameters true) and set RequestValidatorId on the method; on POST, PUT and PATCH also set RequestModels (for example application/json: !Ref TodoModel, an AWS::ApiGateway::Model with additionalProperties: false).',
  resourceTypes: ['AWS::ApiGateway::Method'],
  check(_id, resource, ctx) {
    const httpMethod = textOf(prop(resource, 'HttpMethod'))?.toUpperCase();
    if (httpMethod === 'OPTIONS') return notApplicable;
    const validatorId = prop(resource, 'RequestValidatorId');
    if (!isSet(validatorId)) return nonCompliant('the method has no RequestValidatorId', 'Properties.RequestValidatorId');
    if (httpMethod === undefined || !BODY_METHODS.has(httpMethod)) return compliant;

    const found: RuleOutcome[] = [];
    const validator = resolveRef(ctx, validatorId);
    if (validator && validator.resource.Type === 'AWS::ApiGateway::RequestValidator') {
      const body = prop(validator.resource, 'ValidateRequestBody');
      if (!isTrue(body) && !isOpaque(body)) {
        found.push(
          nonCompliant(
            `the validator ${validator.id} has ValidateRequestBody ${JSON.stringify(body ?? false)}, so the ${httpMethod} body reaches the handler unchecked`,
            'Properties.RequestValidatorId',
          ),
        );
      }
    }
    const models = prop(resource, 'RequestModels');
    if (!isOpaque(models)) {
      const entries = isObject(models) && !isNoValue(models) ? Object.values(models) : [];
      if (entries.length === 0 || !entries.every((m) => isSet(m))) {
        found.push(
          nonCompliant(
            entries.length === 0
              ? `the ${httpMethod} method takes a body but has no RequestModels, so the validator has no schema to check it against`
              : `the ${httpMethod} method has a RequestModels entry without a model`,
            'Properties.RequestModels',
          ),
        );
      }
    }
    return outcomes(found);
  },
};
