/** Reference checks: Ref, Fn::GetAtt, Fn::Sub variables, condition names and DependsOn point at what the template defines. */
import { report, where, type Ctx } from './context.js';
import { asObject, type Obj } from './json.js';
import { closest, didYouMean, show } from './messages.js';
import { PSEUDO_PARAMETERS, isCustomType } from './types.js';

export function checkRefName(name: string, path: string, ctx: Ctx, how: string): void {
  if (!ctx.refs) return;
  if (ctx.tpl.parameters.has(name) || PSEUDO_PARAMETERS.includes(name)) return;
  if (ctx.tpl.resources.has(name)) {
    if (ctx.section === 'Conditions')
      report(ctx, 'SPEC-BAD-REF', path, `${where(ctx, path)}: ${how} "${name}" is a resource; conditions can only use parameters and pseudo parameters.`, 'Reference a template parameter or a pseudo parameter (AWS::Region...) in Conditions.');
    return;
  }
  if (ctx.tpl.transformed) return;
  const candidates = [...ctx.tpl.parameters, ...PSEUDO_PARAMETERS, ...(ctx.section === 'Conditions' ? [] : ctx.tpl.resources.keys())];
  const hint = didYouMean(closest(name, candidates));
  report(ctx, 'SPEC-BAD-REF', path, `${where(ctx, path)}: ${how} "${name}" is not a parameter, a resource or a pseudo parameter.`, `Reference an existing parameter or resource, or a pseudo parameter such as AWS::Region${hint ? `; ${hint}` : '.'}`);
}

export function checkGetAtt(resource: string, attribute: unknown, path: string, ctx: Ctx, how: string): void {
  if (!ctx.refs) return;
  const type = ctx.tpl.resources.get(resource);
  if (type === undefined) {
    if (ctx.tpl.transformed) return;
    const hint = didYouMean(closest(resource, ctx.tpl.resources.keys()));
    report(ctx, 'SPEC-BAD-GETATT', path, `${where(ctx, path)}: ${how} names resource "${resource}", which is not in the template.`, `Use the logical id of a resource in this template${hint ? `; ${hint}` : '.'}`);
    return;
  }
  if (typeof attribute !== 'string') return; // an intrinsic attribute name: not evaluated
  if (!type || isCustomType(type)) return; // custom resources return any attribute
  if (type.startsWith('AWS::Serverless::')) return; // SAM: the attributes are those of the resources the transform generates
  const spec = ctx.tpl.spec.resourceType(type);
  if (!spec) return; // unknown type: reported on the resource itself
  const attrs = spec.a ?? [];
  const ok = attrs.some((a) => a === attribute || (a.endsWith('.*') && attribute.startsWith(a.slice(0, -1)) && attribute.length > a.length - 1));
  if (ok) return;
  const names = attrs.filter((a) => !a.endsWith('.*'));
  const hint = didYouMean(closest(attribute, names));
  report(
    ctx,
    'SPEC-BAD-GETATT',
    path,
    `${where(ctx, path)}: ${how} asks ${type} "${resource}" for attribute "${attribute}", which it does not have.`,
    names.length === 0
      ? `${type} has no Fn::GetAtt attributes; use Ref instead.`
      : `Use one of: ${names.slice(0, 15).join(', ')}${names.length > 15 ? ', ...' : ''}${hint ? ` (${hint})` : ''}.`,
  );
}

/**
 * Check the references in a Fn::Sub. Returns what is still to be walked for
 * intrinsic functions: the variable map, or the whole argument when it is malformed.
 */
export function checkSub(arg: unknown, path: string, ctx: Ctx): unknown {
  let text: unknown = arg;
  let vars: Obj | undefined;
  if (Array.isArray(arg)) {
    text = arg[0];
    vars = asObject(arg[1]);
    if (arg.length !== 2 || !vars) text = undefined;
  }
  if (typeof text !== 'string') {
    if (ctx.refs)
      report(ctx, 'SPEC-WRONG-TYPE', path, `${where(ctx, path)}: Fn::Sub takes a string or [string, {variables}], got ${show(arg)}.`, 'Write Fn::Sub as "text ${Name}" or ["text ${Var}", {Var: value}].');
    return arg;
  }
  if (ctx.refs) {
    for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
      const raw = m[1] ?? '';
      if (raw.startsWith('!')) continue; // ${!Literal} is written as-is
      const name = raw.trim();
      if (vars && Object.hasOwn(vars, name)) continue;
      if (name === '') {
        report(ctx, 'SPEC-BAD-REF', path, `${where(ctx, path)}: Fn::Sub has an empty \${}.`, 'Put a parameter, resource or variable name inside ${}, or write ${!} for a literal "${".');
        continue;
      }
      const dot = name.indexOf('.');
      if (dot > 0) checkGetAtt(name.slice(0, dot), name.slice(dot + 1), path, ctx, `Fn::Sub \${${name}}`);
      else if (!(ctx.tpl.parameters.has(name) || PSEUDO_PARAMETERS.includes(name) || ctx.tpl.resources.has(name)) && !ctx.tpl.transformed) {
        const candidates = [...(vars ? Object.keys(vars) : []), ...ctx.tpl.parameters, ...PSEUDO_PARAMETERS, ...ctx.tpl.resources.keys()];
        const hint = didYouMean(closest(name, candidates));
        report(ctx, 'SPEC-BAD-REF', path, `${where(ctx, path)}: Fn::Sub variable \${${name}} is not a parameter, resource, pseudo parameter or key of the Sub's variable map.`, `Define ${name} in the Fn::Sub variable map, reference an existing name, or write \${!${name}} for a literal${hint ? `; ${hint}` : '.'}`);
      }
    }
  }
  return vars;
}

export function checkConditionName(name: unknown, path: string, ctx: Ctx, how: string): void {
  if (!ctx.refs) return;
  if (typeof name === 'string' && ctx.tpl.conditions.has(name)) return;
  const hint = typeof name === 'string' ? didYouMean(closest(name, ctx.tpl.conditions)) : '';
  const names = [...ctx.tpl.conditions];
  const known = names.length === 0 ? 'the template has no Conditions' : `known: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''}`;
  report(ctx, 'SPEC-BAD-CONDITION', path, `${where(ctx, path)}: ${how} names condition ${JSON.stringify(name)}, which is not defined (${known}).`, `Define it under Conditions or use an existing condition name${hint ? `; ${hint}` : '.'}`);
}

/** Check a resource's DependsOn: other resources of the template, by logical id. */
export function checkDependsOn(dependsOn: unknown, ctx: Ctx): void {
  const logicalId = ctx.logicalId;
  const names = Array.isArray(dependsOn) ? dependsOn : [dependsOn];
  for (const name of names) {
    if (typeof name !== 'string') {
      report(ctx, 'SPEC-BAD-DEPENDSON', 'DependsOn', `${logicalId}: DependsOn must be a logical id or a list of them, got ${show(name)}.`, 'Write DependsOn: LogicalId or DependsOn: [LogicalId, ...].');
    } else if (name === logicalId) {
      report(ctx, 'SPEC-BAD-DEPENDSON', 'DependsOn', `${logicalId}: DependsOn names the resource itself.`, `Remove ${name} from DependsOn.`);
    } else if (!ctx.tpl.resources.has(name) && !ctx.tpl.transformed) {
      const hint = didYouMean(closest(name, ctx.tpl.resources.keys()));
      report(ctx, 'SPEC-BAD-DEPENDSON', 'DependsOn', `${logicalId}: DependsOn names "${name}", which is not a resource in the template.`, `Name an existing resource${hint ? `; ${hint}` : ', or remove it.'}`);
    }
  }
}
