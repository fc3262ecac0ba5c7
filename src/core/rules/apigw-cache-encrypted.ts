import type { Rule, RuleOutcome } from '../rule-types.js';
import { STAGE_TYPES, isStageWide, methodSettings, stageCacheOn, stageView } from '../rule-helpers/apigw.js';
import { nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { isIntrinsic, isTrue } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'apigw-cache-encrypted',
  level: 'error',
  explanation: 'Cached responses hold user data; when the stage cache is on, every cached method must encrypt its cache entries.',
  fix: "Set CacheDataEncrypted: true on every MethodSettings entry with CachingEnabled: true (and on the '/*' '*' entry when only CacheClusterEnabled is set).",
  resourceTypes: STAGE_TYPES,
  check(_id, resource) {
    const view = stageView(resource);
    if (!view || !stageCacheOn(resource, view)) return notApplicable;
    const settings = methodSettings(resource, view);
    const cached = settings.filter((s) => isTrue(s.setting.CachingEnabled));
    const found: RuleOutcome[] = [];
    if (cached.length === 0) {
      const stageWide = settings.find(isStageWide);
      const encrypted = stageWide?.setting.CacheDataEncrypted;
      if (!(isTrue(encrypted) || isIntrinsic(encrypted))) {
        found.push(
          nonCompliant(
            "CacheClusterEnabled is true but the stage-wide MethodSettings entry ('/*' '*') does not set CacheDataEncrypted: true",
            stageWide ? `${stageWide.path}.CacheDataEncrypted` : `${view.base}.MethodSettings`,
          ),
        );
      }
    }
    for (const s of cached) {
      const encrypted = s.setting.CacheDataEncrypted;
      if (!(isTrue(encrypted) || isIntrinsic(encrypted))) {
        found.push(nonCompliant(`caching is on for ${s.resourcePath} ${s.httpMethod} but CacheDataEncrypted is not true`, `${s.path}.CacheDataEncrypted`));
      }
    }
    return outcomes(found);
  },
};
