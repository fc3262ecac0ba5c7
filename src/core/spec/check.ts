/**
 * Check a rendered template against the official CloudFormation resource
 * specification (the compact extract written at build time by
 * scripts/extract-spec.mjs from @aws-cdk/aws-service-spec).
 *
 * Pure: no file system, no clock. The caller supplies the spec lookup
 * (src/actions/load-spec.ts reads it from dist/spec/).
 */
import type { CfnTemplate, Finding } from '../types.js';
import { report, where, type Ctx, type TemplateCtx } from './context.js';
import { asObject, intrinsicOf, isObject } from './json.js';
import { closest, didYouMean, show } from './messages.js';
import { checkShape, checkValue, walk } from './properties.js';
import { checkConditionName, checkDependsOn } from './references.js';
import { describe } from './type-codes.js';
import { isCustomType, serviceFileOf, type SpecLookup } from './types.js';

/** The service files (sorted, without ".json") the check of this template needs. */
export function servicesOf(template: CfnTemplate): string[] {
  const files = new Set<string>();
  for (const resource of Object.values(asObject(template.Resources) ?? {})) {
    const type = asObject(resource)?.['Type'];
    if (typeof type !== 'string' || isCustomType(type)) continue;
    const file = serviceFileOf(type);
    if (file) files.add(file);
  }
  return [...files].sort();
}

const RESOURCE_KEYS = new Set(['Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'UpdatePolicy', 'CreationPolicy', 'Metadata']);
const OUTPUT_KEYS = new Set(['Description', 'Value', 'Export', 'Condition']);

function checkResource(logicalId: string, raw: unknown, tpl: TemplateCtx, out: Finding[]): void {
  const resource = asObject(raw);
  const type = typeof resource?.['Type'] === 'string' ? (resource['Type'] as string) : '';
  const ctx: Ctx = { tpl, out, logicalId, type: type || 'Resources', section: 'Resources', defs: {}, refs: true };
  if (!resource || !type) {
    report(ctx, 'SPEC-UNKNOWN-TYPE', 'Type', `${logicalId}: resource has no Type.`, 'Give the resource a Type such as AWS::S3::Bucket.');
    if (resource?.['Properties'] !== undefined) walk(resource['Properties'], 'Properties', ctx);
    return;
  }

  for (const key of Object.keys(resource)) {
    if (!RESOURCE_KEYS.has(key)) {
      const hint = didYouMean(closest(key, RESOURCE_KEYS));
      report(ctx, 'SPEC-UNKNOWN-PROPERTY', key, `${logicalId}: ${key} is not a resource attribute CloudFormation knows.`, hint ? `Rename it: ${hint}` : 'Remove it, or move it under Properties.');
    }
  }
  if (resource['Condition'] !== undefined) checkConditionName(resource['Condition'], 'Condition', ctx, 'Condition');
  if (resource['DependsOn'] !== undefined) checkDependsOn(resource['DependsOn'], ctx);

  const properties = resource['Properties'];
  if (properties !== undefined && !isObject(properties) && intrinsicOf(properties, 'Resources') === undefined) {
    report(ctx, 'SPEC-WRONG-TYPE', 'Properties', `${logicalId}.Properties must be an object, got ${show(properties)}.`, 'Write Properties as an object of name: value pairs.');
    return;
  }

  if (isCustomType(type)) {
    // Custom resources take any properties; CloudFormation only needs the ServiceToken.
    if (!isObject(properties) || !Object.hasOwn(properties, 'ServiceToken'))
      report(ctx, 'SPEC-MISSING-REQUIRED', 'Properties.ServiceToken', `${logicalId}: custom resource ${type} has no ServiceToken.`, 'Add Properties.ServiceToken: the ARN of the Lambda function or SNS topic that handles it.');
    if (properties !== undefined) walk(properties, 'Properties', ctx);
    return;
  }

  const spec = tpl.spec.resourceType(type);
  if (!spec) {
    const all = tpl.spec.resourceTypes?.() ?? [];
    const hint = didYouMean(closest(type, all));
    report(ctx, 'SPEC-UNKNOWN-TYPE', 'Type', `${logicalId}: resource type ${type} does not exist in the CloudFormation specification.`, hint ? `Fix the type name: ${hint}` : 'Use a resource type from the CloudFormation resource reference, or Custom::Name for a custom resource.');
    if (properties !== undefined) walk(properties, 'Properties', ctx);
    return;
  }
  ctx.defs = spec.t ?? {};
  if (isObject(properties)) checkShape(properties, spec, type, 'Properties', ctx);
  else if (properties !== undefined) checkValue(properties, undefined, 'Properties', ctx);
  else
    for (const name of spec.r ?? [])
      report(ctx, 'SPEC-MISSING-REQUIRED', `Properties.${name}`, `${logicalId}: required property ${name} of ${type} is missing.`, `Add Properties.${name} (${describe(spec.p[name] ?? 'j')}).`);
}

function checkOutput(name: string, raw: unknown, tpl: TemplateCtx, out: Finding[]): void {
  const ctx: Ctx = { tpl, out, logicalId: name, type: 'Outputs', section: 'Outputs', defs: {}, refs: true };
  const output = asObject(raw);
  if (!output) {
    report(ctx, 'SPEC-WRONG-TYPE', undefined, `${where(ctx, '')} must be an object with a Value, got ${show(raw)}.`, 'Write the output as {Value: ..., Description: ...}.');
    return;
  }
  for (const key of Object.keys(output)) {
    if (!OUTPUT_KEYS.has(key)) {
      const hint = didYouMean(closest(key, OUTPUT_KEYS));
      report(ctx, 'SPEC-UNKNOWN-PROPERTY', key, `${where(ctx, '')}: ${key} is not an output field.`, hint ? `Rename it: ${hint}` : 'Remove it; outputs accept Description, Value, Export and Condition.');
    }
  }
  if (output['Condition'] !== undefined) checkConditionName(output['Condition'], 'Condition', ctx, 'Condition');
  if (!Object.hasOwn(output, 'Value')) report(ctx, 'SPEC-MISSING-REQUIRED', 'Value', `${where(ctx, '')} has no Value.`, 'Add Value to the output.');
  else walk(output['Value'], 'Value', ctx);
  const exp = output['Export'];
  if (exp !== undefined) {
    const e = asObject(exp);
    if (!e || !Object.hasOwn(e, 'Name')) report(ctx, 'SPEC-MISSING-REQUIRED', 'Export.Name', `${where(ctx, '')}: Export has no Name.`, 'Write Export: {Name: ...}.');
    else walk(e['Name'], 'Export.Name', ctx);
  }
}

/**
 * Check a template against the CloudFormation specification: resource types,
 * property names (nested too), required properties, value types, and every
 * reference (Ref, Fn::GetAtt, Fn::Sub, Fn::If, Condition, DependsOn).
 * Findings come in template order: Conditions, Resources, Outputs.
 */
export function checkSpec(template: CfnTemplate, spec: SpecLookup): Finding[] {
  const resources = asObject(template.Resources) ?? {};
  const conditions = asObject(template.Conditions) ?? {};
  const outputs = asObject(template.Outputs) ?? {};
  const tpl: TemplateCtx = {
    spec,
    parameters: new Set(Object.keys(asObject(template.Parameters) ?? {})),
    resources: new Map(Object.entries(resources).map(([id, r]) => [id, typeof asObject(r)?.['Type'] === 'string' ? (asObject(r)?.['Type'] as string) : ''])),
    conditions: new Set(Object.keys(conditions)),
    transformed: (template as { Transform?: unknown }).Transform !== undefined,
  };
  const out: Finding[] = [];

  for (const [name, condition] of Object.entries(conditions)) {
    const ctx: Ctx = { tpl, out, logicalId: name, type: 'Conditions', section: 'Conditions', defs: {}, refs: true };
    walk(condition, '', ctx);
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (tpl.transformed && logicalId.startsWith('Fn::ForEach::')) continue; // AWS::LanguageExtensions loop
    checkResource(logicalId, resource, tpl, out);
  }
  for (const [name, output] of Object.entries(outputs)) checkOutput(name, output, tpl, out);
  return out;
}
