/** API Gateway stages: stage views of Stage / Deployment resources, method settings, caching. */
import type { CfnResource, JsonObject } from '../types.js';
import { refTarget } from './refs.js';
import { textOf } from './text.js';
import { isObject, isSet, isTrue, objectsOf, prop, props } from './values.js';

/** The stage-like settings of a Stage, or of a Deployment that creates a stage (StageName + StageDescription). */
export interface StageView {
  props: JsonObject;
  /** Path of `props` from the resource root. */
  base: string;
}

export function stageView(resource: CfnResource): StageView | undefined {
  if (resource.Type === 'AWS::ApiGateway::Stage') return { props: props(resource), base: 'Properties' };
  if (resource.Type === 'AWS::ApiGateway::Deployment' && isSet(prop(resource, 'StageName'))) {
    const description = prop(resource, 'StageDescription');
    return { props: isObject(description) ? description : {}, base: 'Properties.StageDescription' };
  }
  return undefined;
}

export const STAGE_TYPES = ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment'] as const;

export interface MethodSettingView {
  setting: JsonObject;
  resourcePath: string;
  httpMethod: string;
  path: string;
}

const STAGE_DESCRIPTION_METHOD_KEYS = [
  'CacheDataEncrypted',
  'CacheTtlInSeconds',
  'CachingEnabled',
  'DataTraceEnabled',
  'LoggingLevel',
  'MetricsEnabled',
  'ThrottlingBurstLimit',
  'ThrottlingRateLimit',
];

/**
 * The method settings of a stage. A Deployment's StageDescription also holds
 * stage-wide method defaults at its top level: they count as `/*` `*`.
 */
export function methodSettings(resource: CfnResource, view: StageView): MethodSettingView[] {
  const out: MethodSettingView[] = [];
  for (const { item, index } of objectsOf(view.props.MethodSettings)) {
    out.push({
      setting: item,
      resourcePath: textOf(item.ResourcePath) ?? '',
      httpMethod: (textOf(item.HttpMethod) ?? '').toUpperCase(),
      path: `${view.base}.MethodSettings${index >= 0 ? `.${index}` : ''}`,
    });
  }
  if (resource.Type === 'AWS::ApiGateway::Deployment') {
    const defaults: JsonObject = {};
    for (const key of STAGE_DESCRIPTION_METHOD_KEYS) {
      const v = view.props[key];
      if (v !== undefined) defaults[key] = v;
    }
    if (Object.keys(defaults).length > 0) out.push({ setting: defaults, resourcePath: '/*', httpMethod: '*', path: view.base });
  }
  return out;
}

/** True for the stage-wide setting (`ResourcePath: /*`, `HttpMethod: *`). */
export function isStageWide(setting: MethodSettingView): boolean {
  return setting.resourcePath === '/*' && setting.httpMethod === '*';
}

/** True when the stage has a cache cluster or any method setting turns caching on. */
export function stageCacheOn(resource: CfnResource, view: StageView): boolean {
  return isTrue(view.props.CacheClusterEnabled) || methodSettings(resource, view).some((m) => isTrue(m.setting.CachingEnabled));
}

/** The RestApi logical id (or text) a Stage / Deployment / Method belongs to. */
export function restApiKey(resource: CfnResource): string | undefined {
  const value = prop(resource, 'RestApiId');
  return refTarget(value) ?? textOf(value);
}
