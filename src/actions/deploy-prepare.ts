import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stampDeployHash, templateHashInput } from '../core/deploy-hash.js';
import { ArchctlError } from '../core/errors.js';
import { evaluateRules, summarize } from '../core/evaluate.js';
import { budgetError } from '../core/package-plan.js';
import { rules } from '../core/rules/index.js';
import { checkSpec } from '../core/spec/check.js';
import type { CfnTemplate } from '../core/types.js';
import { loadSpecFor } from './load-spec.js';
import { packageTemplate, type PackageEvent } from './package.js';
import type { Target } from './project.js';
import { renderPattern } from './render.js';

/** A Lambda zip ready to upload, keyed in the artifact bucket by its content. */
export interface Asset {
  logicalId: string;
  codeKeyParameter: string;
  key: string;
  body: Uint8Array;
  sha256Base64: string;
}

export interface Prepared {
  pattern: string;
  /** The template as deployed: rendered, with the deploy-hash output stamped on. */
  template: CfnTemplate;
  /** The rendered template before stamping (what widening is computed on). */
  rendered: CfnTemplate;
  body: string;
  templateHash: string;
  assets: Asset[];
  /** <Name>CodeKey parameter -> S3 key. */
  codeKeys: Record<string, string>;
  tags: Record<string, string>;
  terminationProtection: boolean;
  validation: { errors: number; warnings: number; suppressed: number };
}

export type PrepareEvent = { type: 'validated'; errors: number; warnings: number; suppressed: number } | { type: 'package'; event: PackageEvent };

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data);

/**
 * Everything a deploy needs before talking to AWS: render, validate (error
 * findings stop here), package the handlers, and hash the result. No network.
 */
export async function prepareDeploy(
  target: Target,
  o: { projectDir: string; stage: string; production: boolean; handlersDir?: string | undefined; onEvent?: (e: PrepareEvent) => void },
): Promise<Prepared> {
  const { pattern, template } = renderPattern(target);
  return prepareTemplate(pattern, template, { ...o, validateFix: `run archctl validate${target.project ? '' : ` ${pattern}`} to see them; fix each, or suppress it in Metadata with a reason` });
}

/**
 * The same for a template rendered elsewhere (the offload command renders its
 * CloudFront stack from flags, not from a pattern's parameters).
 */
export async function prepareTemplate(
  pattern: string,
  template: CfnTemplate,
  o: { projectDir: string; stage: string; production: boolean; handlersDir?: string | undefined; onEvent?: (e: PrepareEvent) => void; validateFix?: string },
): Promise<Prepared> {
  const emit = o.onEvent ?? (() => {});
  const spec = await loadSpecFor(template);
  const summary = summarize([...checkSpec(template, spec), ...evaluateRules(template, rules)]);
  emit({ type: 'validated', ...summary });
  if (summary.errors > 0) {
    throw new ArchctlError(
      `the template has ${summary.errors} error finding${summary.errors === 1 ? '' : 's'}: nothing was deployed`,
      o.validateFix ?? 'render it with --dry-run and check it with archctl validate; fix each finding, or suppress it in Metadata with a reason',
    );
  }

  const outDir = join(o.projectDir, '.archctl', 'build');
  const { manifest } = await packageTemplate(pattern, template, { outDir, ...(o.handlersDir ? { handlersDir: o.handlersDir } : {}), onEvent: (event) => emit({ type: 'package', event }) });
  const over = budgetError(manifest);
  if (over) throw over;
  const assets: Asset[] = manifest.functions.map((fn) => {
    const body = readFileSync(join(outDir, fn.zip));
    return { logicalId: fn.logicalId, codeKeyParameter: fn.codeKeyParameter, key: `assets/${fn.sha256}.zip`, body, sha256Base64: sha256(body).digest('base64') };
  });

  const tags = { 'archctl:pattern': pattern, 'archctl:stage': o.stage };
  const templateHash = sha256(templateHashInput({ template, tags, terminationProtection: o.production })).digest('hex').slice(0, 32);
  const stamped = stampDeployHash(template, templateHash);
  return {
    pattern,
    template: stamped,
    rendered: template,
    body: JSON.stringify(stamped),
    templateHash,
    assets,
    codeKeys: Object.fromEntries(assets.map((a) => [a.codeKeyParameter, a.key])),
    tags,
    terminationProtection: o.production,
    validation: summary,
  };
}
