// An AWS::Lambda::Function of a rendered template, resolved against the
// running local stack: what the runner needs to start its containers.
import { ArchctlError } from '../../core/errors.js';
import { resolveIntrinsics, type StackValues } from '../../core/intrinsics.js';
import type { CfnTemplate, Json } from '../../core/types.js';
import type { LambdaFunctionConfig } from './runner.js';

export interface FunctionConfigOptions {
  /** The bundled ESM file exporting the handler. */
  modulePath: string;
  /**
   * Resolves a CloudFormation dynamic reference `{{resolve:service:key}}`
   * (e.g. a Secrets Manager secret) left in an environment variable after the
   * intrinsics are resolved; return undefined when unknown.
   */
  dynamicReference?: (service: string, key: string) => string | undefined;
  /** Variables set over the template's (e.g. a DAX_ENDPOINT the local cloud does not run). */
  environmentOverrides?: Record<string, string>;
}

const DYNAMIC_REFERENCE = /\{\{resolve:([a-z-]+):([^}]*)\}\}/g;

export function functionConfigFromTemplate(
  template: CfnTemplate,
  logicalId: string,
  values: StackValues,
  options: FunctionConfigOptions,
): LambdaFunctionConfig {
  const resource = template.Resources[logicalId];
  if (!resource || resource.Type !== 'AWS::Lambda::Function') {
    throw new ArchctlError(`${logicalId} is not an AWS::Lambda::Function of the template`, 'name a function the template defines');
  }
  const props = resource.Properties ?? {};
  const variables = ((props.Environment as { Variables?: Json } | undefined)?.Variables ?? {}) as Json;
  const resolved = resolveIntrinsics(variables, values) as Record<string, Json>;
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(resolved)) {
    environment[key] = String(value).replace(DYNAMIC_REFERENCE, (whole, service: string, key2: string) => {
      const found = options.dynamicReference?.(service, key2);
      if (found === undefined) {
        throw new ArchctlError(`cannot resolve ${whole} in ${logicalId}'s ${key}`, 'give the local cloud a value for this dynamic reference');
      }
      return found;
    });
  }
  Object.assign(environment, options.environmentOverrides);
  const name = values.refs[logicalId];
  return {
    modulePath: options.modulePath,
    handler: typeof props.Handler === 'string' ? props.Handler : 'index.handler',
    environment,
    timeoutSeconds: typeof props.Timeout === 'number' ? props.Timeout : 3,
    memorySizeMb: typeof props.MemorySize === 'number' ? props.MemorySize : 128,
    ...(name ? { functionName: name } : {}),
  };
}
