import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { usageError } from '../core/errors.js';
import { checkOffloadFlags, dnsOrigin } from '../core/offload/options.js';
import { renderOffloadStack } from '../core/offload/stack.js';
import { resolveParams } from '../core/params.js';
import { getPattern } from '../core/patterns/index.js';
import type { CfnTemplate } from '../core/types.js';
import { runBurst, startEdgeStack, type BurstReport, type EdgeStack } from '../local/edge/index.js';

/**
 * The CloudFront behaviours the offload pattern deploys, as the edge runs
 * them here: the same renderer as `archctl offload`, fed the pattern's
 * updatePaths, ttlSeconds and priceClass. (The pattern's own template picks
 * its paths with Fn::Split at deploy time, which the local edge cannot read.)
 */
export function localOffloadTemplate(parameters: Record<string, unknown>): CfnTemplate {
  const pattern = getPattern('offload');
  const p = resolveParams(pattern.params, parameters, pattern.name);
  const paths = String(p.updatePaths ?? '/updates/*')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const options = checkOffloadFlags({ paths, ttl: String(p.ttlSeconds ?? 86_400), priceClass: String(p.priceClass ?? 'PriceClass_100') });
  return renderOffloadStack({ ...options, origin: dnsOrigin('origin.local.archctl') });
}

/** A few sample update files, so `archctl dev offload` has something to serve without --files. */
export function sampleFiles(dir: string): string {
  const updates = join(dir, 'updates');
  mkdirSync(updates, { recursive: true });
  const files: Record<string, number> = { 'app-2.4.1.zip': 2 << 20, 'app-2.4.1.msi': 1 << 20, 'latest.json': 0 };
  for (const [name, bytes] of Object.entries(files)) {
    const path = join(updates, name);
    if (existsSync(path)) continue;
    writeFileSync(path, bytes > 0 ? Buffer.alloc(bytes, name) : JSON.stringify({ version: '2.4.1', files: ['app-2.4.1.zip', 'app-2.4.1.msi'] }) + '\n');
  }
  return dir;
}

export interface DevOffloadOptions {
  parameters: Record<string, unknown>;
  /** The folder the local origin serves; sample files under <project>/.archctl/local/offload-files when absent. */
  filesDir?: string | undefined;
  projectDir: string;
  port: number;
}

export async function startLocalOffload(o: DevOffloadOptions): Promise<EdgeStack & { filesDir: string }> {
  const filesDir = o.filesDir ?? sampleFiles(join(o.projectDir, '.archctl', 'local', 'offload-files'));
  if (!existsSync(filesDir)) throw usageError(`--files ${filesDir} does not exist`, 'give the folder of update files the origin should serve');
  const stack = await startEdgeStack({ template: localOffloadTemplate(o.parameters), filesDir, port: o.port });
  return Object.assign(stack, { filesDir });
}

export interface BurstRequest {
  parameters: Record<string, unknown>;
  downloads: number;
  files: number;
  fileBytes: number;
  concurrency: number;
}

/** The release-day burst against the pattern's behaviours: the origin's traffic with and without the edge. */
export async function burstLocalOffload(r: BurstRequest): Promise<BurstReport> {
  return runBurst({ files: r.files, fileBytes: r.fileBytes, downloads: r.downloads, concurrency: r.concurrency, template: localOffloadTemplate(r.parameters) });
}
