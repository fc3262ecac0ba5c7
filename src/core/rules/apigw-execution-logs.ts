import type { Rule, RuleOutcome } from '../rule-types.js';
import type { Json } from '../types.js';
import { STAGE_TYPES, isStageWide, methodSettings, stageView } from '../rule-helpers/apigw.js';
import { nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { branches, isIntrinsic, isTrue } from '../rule-helpers/values.js';

/** ERROR or INFO on every branch (an intrinsic archctl cannot read is accepted). */
function loggingOn(level: Json | undefined): boolean {
  const values = branches(level);
  return values.length > 0 && values.every((v) => v === 'ERROR' || v === 'INFO' || isIntrinsic(v));
}

export const rule: Rule = {
  id: 'apigw-execution-logs',
  level: 'error',
  explanation:
    'Execution logs at ERROR or INFO explain failed requests; DataTraceEnabled would log full request and response bodies (tokens, personal data) and must stay off. A per-method MethodSettings entry replaces the stage-wide one for that method (it inherits nothing), so each one must set the logging level itself.',
  fix: "Add a MethodSettings entry { ResourcePath: '/*', HttpMethod: '*', LoggingLevel: ERROR, DataTraceEnabled: false, MetricsEnabled: true } (and an AWS::ApiGateway::Account with a CloudWatch role), and repeat LoggingLevel: ERROR (or INFO) and DataTraceEnabled: false in every per-method MethodSettings entry.",
  resourceTypes: STAGE_TYPES,
  check(_id, resource) {
    const view = stageView(resource);
    if (!view) return notApplicable;
    const settings = methodSettings(resource, view);
    const found: RuleOutcome[] = [];
    const stageWide = settings.find(isStageWide);
    const level = stageWide?.setting.LoggingLevel;
    if (!stageWide || !loggingOn(level)) {
      found.push(
        nonCompliant(
          stageWide ? `the stage-wide LoggingLevel is ${JSON.stringify(level ?? null)}, not ERROR or INFO` : "no MethodSettings entry for ResourcePath '/*', HttpMethod '*' sets LoggingLevel",
          stageWide ? `${stageWide.path}.LoggingLevel` : `${view.base}.MethodSettings`,
        ),
      );
    }
    for (const s of settings) {
      if (!isStageWide(s)) {
        const own = s.setting.LoggingLevel;
        if (!loggingOn(own)) {
          found.push(
            nonCompliant(
              own === undefined
                ? `the method setting for ${s.resourcePath} ${s.httpMethod} does not set LoggingLevel: a per-method entry inherits nothing from '/*' '*', so execution logging is OFF for that method`
                : `the method setting for ${s.resourcePath} ${s.httpMethod} sets LoggingLevel ${JSON.stringify(own)}, not ERROR or INFO`,
              `${s.path}.LoggingLevel`,
            ),
          );
        }
      }
      if (branches(s.setting.DataTraceEnabled).some(isTrue)) {
        found.push(nonCompliant(`DataTraceEnabled is true for ${s.resourcePath} ${s.httpMethod}: full bodies would be logged`, `${s.path}.DataTraceEnabled`));
      }
    }
    return outcomes(found);
  },
};
