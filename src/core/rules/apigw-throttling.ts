import type { Rule, RuleOutcome } from '../rule-types.js';
import type { Json, JsonObject } from '../types.js';
import { STAGE_TYPES, isStageWide, methodSettings, stageView } from '../rule-helpers/apigw.js';
import { nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { asNumber, branches, isIntrinsic } from '../rule-helpers/values.js';

const KEYS = ['ThrottlingRateLimit', 'ThrottlingBurstLimit'] as const;

/**
 * Why a throttling limit does not throttle, or undefined when it does. -1
 * (API Gateway's "no limit") and other values <= 0 count as not set; an
 * intrinsic archctl cannot read is accepted.
 */
function limitProblem(value: Json | undefined): string | undefined {
  const values = branches(value);
  if (values.length === 0) return 'is not set';
  for (const v of values) {
    const n = asNumber(v);
    if (n === undefined) {
      if (!isIntrinsic(v)) return `is ${JSON.stringify(v)}, not a number`;
    } else if (n <= 0) {
      return `is ${n}, which sets no limit`;
    }
  }
  return undefined;
}

function problems(setting: JsonObject): string[] {
  const out: string[] = [];
  for (const key of KEYS) {
    const problem = limitProblem(setting[key]);
    if (problem !== undefined) out.push(`${key} ${problem}`);
  }
  return out;
}

export const rule: Rule = {
  id: 'apigw-throttling',
  level: 'error',
  explanation:
    'Without a stage throttle one caller can use the whole account limit (10,000 rps shared by every API) and run up Lambda and DynamoDB costs. A per-method MethodSettings entry replaces the stage-wide one for that method (it inherits nothing), so it must set its own limits; -1 means no limit.',
  fix: "Add ThrottlingRateLimit and ThrottlingBurstLimit (both > 0) to the MethodSettings entry { ResourcePath: '/*', HttpMethod: '*' }, and repeat them in every per-method MethodSettings entry.",
  resourceTypes: STAGE_TYPES,
  check(_id, resource) {
    const view = stageView(resource);
    if (!view) return notApplicable;
    const settings = methodSettings(resource, view);
    const found: RuleOutcome[] = [];
    const stageWide = settings.find(isStageWide);
    if (!stageWide) {
      found.push(
        nonCompliant("no stage-wide MethodSettings entry (ResourcePath '/*', HttpMethod '*') sets both ThrottlingRateLimit and ThrottlingBurstLimit", `${view.base}.MethodSettings`),
      );
    } else {
      const wrong = problems(stageWide.setting);
      if (wrong.length > 0) found.push(nonCompliant(`the stage-wide method setting does not throttle: ${wrong.join('; ')}`, stageWide.path));
    }
    for (const s of settings) {
      if (isStageWide(s)) continue;
      const wrong = problems(s.setting);
      if (wrong.length > 0) {
        found.push(
          nonCompliant(
            `the method setting for ${s.resourcePath} ${s.httpMethod} does not throttle: ${wrong.join('; ')} (a per-method entry inherits nothing from '/*' '*')`,
            s.path,
          ),
        );
      }
    }
    return outcomes(found);
  },
};
