import type { Rule, RuleContext, RuleOutcome } from '../rule-types.js';
import type { Json } from '../types.js';
import { STAGE_TYPES, methodSettings, stageCacheOn, stageView } from '../rule-helpers/apigw.js';
import { nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { dependsOn, refersTo } from '../rule-helpers/refs.js';
import { textOf } from '../rule-helpers/text.js';
import { getCaseless, isIntrinsic, isObject, isTrue } from '../rule-helpers/values.js';

/*
 * Where a template can set these two settings: nowhere native. They are
 * fields of the API Gateway MethodSetting (UpdateStage patch paths
 * `/{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl`
 * and `.../caching/unauthorizedCacheControlHeaderStrategy`), but the
 * CloudFormation MethodSetting of AWS::ApiGateway::Stage (and the
 * StageDescription of AWS::ApiGateway::Deployment) has no such properties,
 * and no x-amazon-apigateway-* OpenAPI extension carries stage settings. With
 * caching on, API Gateway defaults to "require authorization" with
 * SUCCEED_WITH_RESPONSE_HEADER (the unauthorized invalidation is ignored, with
 * a warning header). So the template must carry a custom resource that calls
 * apigateway:UpdateStage after the stage exists; this rule looks for it.
 */

const REQUIRE = 'requireauthorizationforcachecontrol';
const STRATEGY = 'unauthorizedcachecontrolheaderstrategy';
const WRONG_PLACE = ['RequireAuthorizationForCacheControl', 'UnauthorizedCacheControlHeaderStrategy'];

interface PatchOp {
  path: string;
  value: string | undefined;
}

function parseJson(text: string): Json | undefined {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return undefined;
  try {
    return JSON.parse(trimmed) as Json;
  } catch {
    return undefined;
  }
}

/** Patch operations ({op, path, value}) anywhere in a value, including JSON held in strings (CDK AwsCustomResource). */
function collectPatchOps(value: Json | undefined, out: PatchOp[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collectPatchOps(v, out);
    return;
  }
  if (typeof value === 'string') {
    const parsed = parseJson(value);
    if (parsed !== undefined) collectPatchOps(parsed, out);
    return;
  }
  if (!isObject(value)) return;
  if (isIntrinsic(value) && ('Fn::Join' in value || 'Fn::Sub' in value)) {
    const text = textOf(value);
    const parsed = text === undefined ? undefined : parseJson(text);
    if (parsed !== undefined) {
      collectPatchOps(parsed, out);
      return;
    }
  }
  const op = getCaseless(value, 'op');
  const path = textOf(getCaseless(value, 'path'));
  if (op !== undefined && path !== undefined) out.push({ path, value: textOf(getCaseless(value, 'value')) });
  for (const v of Object.values(value)) collectPatchOps(v, out);
}

function stageCustomResources(ctx: RuleContext, stageId: string): PatchOp[] {
  const ops: PatchOp[] = [];
  for (const [id, r] of Object.entries(ctx.resources)) {
    if (id === stageId) continue;
    if (!(r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource')) continue;
    // Tied to the stage by a reference (re-runs when the stage is replaced) or at least ordered after it.
    if (!refersTo(r.Properties, stageId) && !dependsOn(r, stageId)) continue;
    collectPatchOps(r.Properties, ops);
  }
  return ops;
}

function find(ops: PatchOp[], methodKey: string, field: string): PatchOp | undefined {
  const [resourcePath, httpMethod] = splitKey(methodKey);
  return ops.find((op) => {
    const parts = op.path.split('/');
    // "/<resourcePath>/<METHOD>/caching/<field>" where resourcePath is one segment (slashes encoded as ~1) or "*".
    if (parts.length !== 5 || parts[0] !== '' || parts[3] !== 'caching') return false;
    return parts[1] === resourcePath && (parts[2] ?? '').toUpperCase() === httpMethod && (parts[4] ?? '').toLowerCase() === field;
  });
}

function splitKey(methodKey: string): [string, string] {
  const i = methodKey.lastIndexOf('/');
  return [methodKey.slice(0, i), methodKey.slice(i + 1)];
}

/** MethodSetting ResourcePath ("/*", "/~1items", "/") to the patch-path segment ("*", "~1items", "~1"). */
function segment(resourcePath: string): string {
  if (resourcePath === '/') return '~1';
  return resourcePath.startsWith('/') ? resourcePath.slice(1) : resourcePath;
}

export const rule: Rule = {
  id: 'apigw-cache-invalidation-auth',
  level: 'error',
  explanation:
    'With the stage cache on, any client can send Cache-Control: max-age=0 to bypass or refill cache entries; invalidation must require authorization and fail unauthorized attempts with 403. CloudFormation has no property for these two settings (not in Stage MethodSettings, not in any OpenAPI extension), so a custom resource must set them with apigateway:UpdateStage.',
  fix:
    "Add a custom resource (for example Type: Custom::ApiStageCacheControl, backed by a small Lambda calling apigateway UpdateStage, or a CDK AwsCustomResource) with Properties { ServiceToken, RestApiId: !Ref Api, StageName: !Ref Stage, PatchOperations: [ { op: replace, path: '/*/*/caching/requireAuthorizationForCacheControl', value: 'true' }, { op: replace, path: '/*/*/caching/unauthorizedCacheControlHeaderStrategy', value: FAIL_WITH_403 } ] } — plus the same two operations for every per-method override that has CachingEnabled (path '/~1items/GET/caching/...'). The function's role needs apigateway:PATCH on the stage ARN only.",
  resourceTypes: STAGE_TYPES,
  check(id, resource, ctx) {
    const view = stageView(resource);
    if (!view || !stageCacheOn(resource, view)) return notApplicable;
    const settings = methodSettings(resource, view);
    const found: RuleOutcome[] = [];

    for (const s of settings) {
      for (const key of WRONG_PLACE) {
        if (s.setting[key] !== undefined) {
          found.push(
            nonCompliant(
              `${key} is not a CloudFormation property of a stage MethodSetting (the template is rejected or the value ignored); set it with a custom resource calling apigateway UpdateStage`,
              `${s.path}.${key}`,
            ),
          );
        }
      }
    }

    const cached = settings.filter((s) => isTrue(s.setting.CachingEnabled));
    const methodKeys = cached.length > 0 ? cached.map((s) => `${segment(s.resourcePath)}/${s.httpMethod}`) : ['*/*'];
    const ops = stageCustomResources(ctx, id);
    for (const key of [...new Set(methodKeys)]) {
      const label = key === '*/*' ? 'the stage (/*/*)' : `/${key}`;
      const require = find(ops, key, REQUIRE);
      if (!require) {
        found.push(
          nonCompliant(
            `nothing sets caching/requireAuthorizationForCacheControl for ${label}: CloudFormation has no property for it, so a custom resource tied to this stage must patch /${key}/caching/requireAuthorizationForCacheControl to true`,
            `${view.base}.MethodSettings`,
          ),
        );
      } else if (!(require.value !== undefined && isTrue(require.value))) {
        found.push(nonCompliant(`the custom resource patches /${key}/caching/requireAuthorizationForCacheControl to ${JSON.stringify(require.value ?? null)}, not true`));
      }
      const strategy = find(ops, key, STRATEGY);
      if (!strategy) {
        found.push(
          nonCompliant(
            `nothing sets caching/unauthorizedCacheControlHeaderStrategy for ${label} (API Gateway defaults to SUCCEED_WITH_RESPONSE_HEADER): a custom resource tied to this stage must patch /${key}/caching/unauthorizedCacheControlHeaderStrategy to FAIL_WITH_403`,
            `${view.base}.MethodSettings`,
          ),
        );
      } else if (strategy.value !== 'FAIL_WITH_403') {
        found.push(nonCompliant(`the custom resource patches /${key}/caching/unauthorizedCacheControlHeaderStrategy to ${JSON.stringify(strategy.value ?? null)}, not FAIL_WITH_403`));
      }
    }
    return outcomes(found);
  },
};
