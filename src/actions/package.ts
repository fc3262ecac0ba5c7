import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { ArchctlError } from '../core/errors.js';
import { classifyOutputs, describePackage, HANDLER_BUDGET_BYTES, planPackage, type PackagedFunction, type PackageManifest, type PackagePlan } from '../core/package-plan.js';
import type { CfnTemplate } from '../core/types.js';
import { writeFileAtomic } from './files.js';
import { bundleHandler } from './package-bundle.js';
import { packageRoot } from './package-paths.js';
import { renderPattern, type RenderRequest } from './render.js';
import { createZip } from './zip.js';

export const MANIFEST_FILE = 'manifest.json';
/** archctl's own handler sources: handlers/<pattern>/<function>.ts. */
export const defaultHandlersDir = join(packageRoot, 'handlers');

export type PackageEvent =
  | { type: 'bundling'; logicalId: string; entry: string }
  | { type: 'bundled'; fn: PackagedFunction }
  | { type: 'warning'; logicalId: string; message: string };

export interface PackageOptions {
  /** Where the zips and manifest.json go (the CLI's default: <project>/.archctl/build). */
  outDir: string;
  /** The folder holding <pattern>/<function>.ts; archctl's own handlers/ unless given. */
  handlersDir?: string;
  onEvent?: (event: PackageEvent) => void;
}

export interface PackageResult {
  manifest: PackageManifest;
  outDir: string;
  /** Functions of the template not bundled (inline code), with why. */
  skipped: PackagePlan['skipped'];
  /** Zips of an earlier run that this run removed (named in the old manifest, not in the new). */
  removed: string[];
}

const posix = (path: string) => path.split(sep).join('/');
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
// What a manifest may name as a zip of ours: guards the clean-up against a hand-edited manifest.
const OUR_ZIP = /^[A-Za-z0-9]+-[0-9a-f]{16}\.zip$/;

/** Renders the pattern, then packages its functions. */
export async function packagePattern(req: RenderRequest, opts: PackageOptions): Promise<PackageResult> {
  const { pattern, template } = renderPattern(req);
  return packageTemplate(pattern, template, opts);
}

/**
 * Bundles each function of a rendered template whose code comes from a
 * `<Name>CodeKey` parameter into a deterministic zip named by its hash, then
 * writes manifest.json. Every handler source is checked before anything is
 * bundled, and nothing is written before every bundle has succeeded. Handlers
 * over budget are still written (to inspect them) and marked in the manifest.
 */
export async function packageTemplate(pattern: string, template: CfnTemplate, opts: PackageOptions): Promise<PackageResult> {
  const emit = opts.onEvent ?? (() => {});
  const handlersDir = opts.handlersDir ?? defaultHandlersDir;
  // Paths in bundles and in the manifest are relative to the folder holding handlers/, never absolute.
  const workDir = dirname(handlersDir);
  const plan = planPackage(template, pattern);

  const entryOf = (entry: string) => posix(relative(workDir, join(handlersDir, entry)));
  const missing = plan.functions.filter((fn) => !existsSync(join(handlersDir, fn.entry)));
  if (missing.length > 0) {
    const list = missing.map((fn) => `${entryOf(fn.entry)} (${fn.logicalId})`).join(', ');
    throw new ArchctlError(
      `no handler source for ${list}`,
      `write ${missing.length === 1 ? 'it' : 'them'} (each exports handler), or pass --handlers DIR holding ${pattern}/<function>.ts`,
    );
  }

  const built: { fn: PackagedFunction; zip: Buffer }[] = [];
  for (const planned of plan.functions) {
    const entry = entryOf(planned.entry);
    emit({ type: 'bundling', logicalId: planned.logicalId, entry });
    const { files, warnings } = await bundleHandler({ workDir, entry: join(handlersDir, planned.entry), target: planned.target, leaveOut: planned.leaveOut });
    for (const message of warnings) emit({ type: 'warning', logicalId: planned.logicalId, message });
    const roles = classifyOutputs(files);
    const zip = createZip(files.map((f) => ({ name: f.name, data: f.data })));
    const fn = describePackage(
      planned,
      entry,
      { sha256: sha256(zip), bytes: zip.length },
      files.map((f) => ({ name: f.name, bytes: f.bytes, role: roles.get(f.name)! })),
    );
    built.push({ fn, zip });
    emit({ type: 'bundled', fn });
  }

  const manifest: PackageManifest = { manifestVersion: 1, pattern, budgetBytes: HANDLER_BUDGET_BYTES, functions: built.map((b) => b.fn) };
  const manifestFile = join(opts.outDir, MANIFEST_FILE);
  const previous = readPreviousZips(manifestFile);
  try {
    mkdirSync(opts.outDir, { recursive: true });
  } catch (err) {
    throw new ArchctlError(`cannot create ${opts.outDir}: ${(err as Error).message}`, 'choose a writable folder with --out-dir');
  }
  for (const { fn, zip } of built) writeFileAtomic(join(opts.outDir, fn.zip), zip);
  writeFileAtomic(manifestFile, JSON.stringify(manifest, null, 2) + '\n');

  // Only now that the new manifest names the new zips: an interrupted run leaves the old set usable.
  const current = new Set(manifest.functions.map((f) => f.zip));
  const removed = previous.filter((name) => !current.has(name));
  for (const name of removed) rmSync(join(opts.outDir, name), { force: true });
  return { manifest, outDir: opts.outDir, skipped: plan.skipped, removed };
}

/** The zips an earlier run's manifest names; none when there is no readable manifest. */
function readPreviousZips(manifestFile: string): string[] {
  try {
    const old = JSON.parse(readFileSync(manifestFile, 'utf8')) as Partial<PackageManifest>;
    return (old.functions ?? []).map((f) => f?.zip).filter((z): z is string => typeof z === 'string' && OUR_ZIP.test(z));
  } catch {
    return [];
  }
}
