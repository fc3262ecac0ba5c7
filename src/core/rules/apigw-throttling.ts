import type { Rule } from '../rule-types.js';
import { STAGE_TYPES, compliant, isSet, isStageWide, methodSettings, nonCompliant, notApplicable, stageView } from '../rule-helpers.js';

export const rule: Rule = {
  id: 'apigw-throttling',
  level: 'error',
  explanation: 'Without a stage throttle one caller can use the whole account limit (10,000 rps shared by every API) and run up Lambda and DynamoDB costs.',
  fix: "Add ThrottlingRateLimit and ThrottlingBurstLimit to the MethodSettings entry { ResourcePath: '/*', HttpMethod: '*' }.",
  resourceTypes: STAGE_TYPES,
  check(_id, resource) {
    const view = stageView(resource);
    if (!view) return notApplicable;
    const stageWide = methodSettings(resource, view).find(isStageWide);
    if (stageWide && isSet(stageWide.setting.ThrottlingRateLimit) && isSet(stageWide.setting.ThrottlingBurstLimit)) return compliant;
    return nonCompliant(
      "no stage-wide MethodSettings entry (ResourcePath '/*', HttpMethod '*') sets both ThrottlingRateLimit and ThrottlingBurstLimit",
      stageWide ? stageWide.path : `${view.base}.MethodSettings`,
    );
  },
};
