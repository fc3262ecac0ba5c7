// Runs cdk-nag's AwsSolutions pack on a raw CloudFormation template, offline.
//
// cdk-nag 3 is a CDK policy-validation plugin: it walks the construct tree and
// reads suppressions from construct metadata written by
// `Validations.of(construct).acknowledge(...)`, NOT from the template's
// `Metadata.cdk_nag` (v3 only writes that section, it never reads it). So the
// template's v2-style `cdk_nag.rules_to_suppress` entries are turned into
// acknowledgements here: `{ id, reason }` acknowledges the rule, and each
// `applies_to` entry acknowledges one granular finding (`AwsSolutions-IAM5[Resource::*]`),
// which is the only way v3 suppresses findings of granular rules.
// Acknowledged findings do not appear in the report at all.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';

export interface Violation {
  /** Rule id, with the granular finding when there is one: `AwsSolutions-IAM5[Resource::*]`. */
  ruleId: string;
  /** The template's logical id (the last part of the construct path). */
  resource: string;
  description: string;
}

export interface CdkNagResult {
  errors: Violation[];
  warnings: Violation[];
}

interface Suppression {
  id?: unknown;
  reason?: unknown;
  applies_to?: unknown;
}

/**
 * The outdir's validation-report.json as aws-cdk-lib 2.276 writes it (also when
 * there is no violation): one report per plugin, one violation per rule id
 * (granular findings such as `AwsSolutions-IAM5[Resource::*]` are separate rule
 * ids), each listing the constructs it was found on (`Nag/T/<LogicalId>`).
 * Acknowledged findings are not in the report at all.
 */
interface ValidationReport {
  pluginReports?: {
    pluginName?: string;
    conclusion?: string;
    violations?: {
      ruleName: string;
      description?: string;
      severity?: string;
      violatingConstructs?: { constructPath?: string }[];
    }[];
  }[];
}

/** Placeholder values for template parameters without a default (package-time inputs). */
function parameterValues(template: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const params = (template.Parameters ?? {}) as Record<string, { Default?: unknown }>;
  for (const [name, spec] of Object.entries(params)) {
    if (spec.Default !== undefined) continue;
    out[name] = name === 'ArtifactBucket' ? 'example-artifacts' : name.endsWith('CodeKey') ? `${name}.zip` : `example-${name}`;
  }
  return out;
}

/** The v2-style suppressions of one resource as v3 acknowledgement ids; one without an id or a real reason throws (SECURITY.md: that is a finding). */
function suppressionsOf(logicalId: string, resource: Record<string, unknown>): { id: string; reason: string }[] {
  const metadata = resource.Metadata as { cdk_nag?: { rules_to_suppress?: Suppression[] } } | undefined;
  const rules = metadata?.cdk_nag?.rules_to_suppress ?? [];
  const out: { id: string; reason: string }[] = [];
  for (const rule of rules) {
    if (typeof rule.id !== 'string' || typeof rule.reason !== 'string' || rule.reason.trim().length < 10) {
      throw new Error(`${logicalId}: a cdk_nag suppression needs an id and a reason of at least 10 characters`);
    }
    const appliesTo = rule.applies_to;
    if (appliesTo === undefined) out.push({ id: rule.id, reason: rule.reason });
    else if (Array.isArray(appliesTo) && appliesTo.every((a) => typeof a === 'string')) {
      for (const finding of appliesTo as string[]) out.push({ id: `${rule.id}[${finding}]`, reason: rule.reason });
    } else {
      throw new Error(`${logicalId}: applies_to must be a list of strings (cdk-nag 3 has no regex findings)`);
    }
  }
  return out;
}

export async function runCdkNag(template: object): Promise<CdkNagResult> {
  // aws-cdk-lib reads AWS_* (region, account, profile) from the environment; the check must not depend on them.
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  const work = mkdtempSync(join(tmpdir(), 'archctl-cdk-nag-'));
  try {
    const templateFile = join(work, 'template.json');
    writeFileSync(templateFile, JSON.stringify(template));
    const outdir = join(work, 'out');
    const app = new App({ outdir });
    const stack = new Stack(app, 'Nag');
    const included = new CfnInclude(stack, 'T', { templateFile, parameters: parameterValues(template as Record<string, unknown>) });
    const resources = ((template as { Resources?: Record<string, Record<string, unknown>> }).Resources ?? {});
    for (const [logicalId, resource] of Object.entries(resources)) {
      const acks = suppressionsOf(logicalId, resource);
      if (acks.length > 0) Validations.of(included.getResource(logicalId)).acknowledge(...acks);
    }
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    let synthError: unknown;
    try {
      app.synth();
    } catch (err) {
      // synth throws when the plugin reports violations; the report file still holds them.
      synthError = err;
    }
    const reportFile = join(outdir, 'validation-report.json');
    if (!existsSync(reportFile)) throw synthError ?? new Error(`cdk-nag wrote no validation report in ${outdir}`);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ValidationReport;
    const result: CdkNagResult = { errors: [], warnings: [] };
    for (const plugin of report.pluginReports ?? []) {
      for (const v of plugin.violations ?? []) {
        if (!v.ruleName.startsWith('AwsSolutions-')) continue;
        for (const c of v.violatingConstructs ?? []) {
          const resource = c.constructPath?.split('/').pop() ?? '?';
          const finding = { ruleId: v.ruleName, resource, description: v.description ?? '' };
          (v.severity === 'error' ? result.errors : result.warnings).push(finding);
        }
      }
    }
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
