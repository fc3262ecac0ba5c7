import type { Rule, RuleOutcome } from '../rule-types.js';
import { STAGE_TYPES, isIntrinsic, isStageWide, isTrue, methodSettings, nonCompliant, notApplicable, outcomes, stageView } from '../rule-helpers.js';

export const rule: Rule = {
  id: 'apigw-execution-logs',
  level: 'error',
  explanation:
    'Execution logs at ERROR or INFO explain failed requests; DataTraceEnabled would log full request and response bodies (tokens, personal data) and must stay off.',
  fix: "Add a MethodSettings entry { ResourcePath: '/*', HttpMethod: '*', LoggingLevel: ERROR, DataTraceEnabled: false, MetricsEnabled: true } (and an AWS::ApiGateway::Account with a CloudWatch role).",
  resourceTypes: STAGE_TYPES,
  check(_id, resource) {
    const view = stageView(resource);
    if (!view) return notApplicable;
    const settings = methodSettings(resource, view);
    const found: RuleOutcome[] = [];
    const stageWide = settings.find(isStageWide);
    const level = stageWide?.setting.LoggingLevel;
    if (!stageWide || !(level === 'ERROR' || level === 'INFO' || isIntrinsic(level))) {
      found.push(
        nonCompliant(
          stageWide ? `the stage-wide LoggingLevel is ${JSON.stringify(level ?? null)}, not ERROR or INFO` : "no MethodSettings entry for ResourcePath '/*', HttpMethod '*' sets LoggingLevel",
          stageWide ? `${stageWide.path}.LoggingLevel` : `${view.base}.MethodSettings`,
        ),
      );
    }
    for (const s of settings) {
      if (isTrue(s.setting.DataTraceEnabled)) {
        found.push(nonCompliant(`DataTraceEnabled is true for ${s.resourcePath} ${s.httpMethod}: full bodies would be logged`, `${s.path}.DataTraceEnabled`));
      }
    }
    return outcomes(found);
  },
};
