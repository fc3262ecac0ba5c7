import { isAbsolute, join, relative, resolve } from 'node:path';
import { packagePattern, type PackageEvent } from '../../actions/package.js';
import { resolveTarget } from '../../actions/project.js';
import { budgetError, type PackageManifest } from '../../core/package-plan.js';
import type { CommandContext } from '../context.js';

interface PackageOptions {
  dir: string;
  set: string[];
  outDir?: string;
  handlers?: string;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** One line per function: what loads at cold start against the budget, what loads lazily, the zip. */
function table(manifest: PackageManifest): string {
  const rows = manifest.functions.map((f) => [
    f.logicalId,
    `handler ${kb(f.handlerBytes)}`,
    `lazy ${kb(f.lazyChunkBytes)}`,
    `zip ${kb(f.zipBytes)}`,
    f.zip,
  ]);
  const widths = rows.reduce((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), [] as number[]);
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ') + '\n').join('');
}

export default async function packageCommand(ctx: CommandContext, [pattern]: unknown[], opts: Record<string, unknown>): Promise<number> {
  const o = opts as unknown as PackageOptions;
  const projectDir = resolve(ctx.io.cwd, o.dir);
  const target = resolveTarget({ pattern: pattern as string | undefined, dir: projectDir, sets: o.set });
  const outDir = o.outDir !== undefined ? resolve(ctx.io.cwd, o.outDir) : join(projectDir, '.archctl', 'build');
  // Paths as the user would type them from here.
  const shown = (path: string) => {
    const rel = relative(ctx.io.cwd, path);
    return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  };
  const err = (line: string) => ctx.io.stderr.write(`${line}\n`);
  const onEvent = (e: PackageEvent) => {
    if (e.type === 'bundling') err(`bundling ${e.logicalId} (${e.entry})`);
    else if (e.type === 'warning') err(`warning: ${e.logicalId}: ${e.message}`);
  };

  const { manifest, skipped, removed } = await packagePattern(target, {
    outDir,
    ...(o.handlers !== undefined ? { handlersDir: resolve(ctx.io.cwd, o.handlers) } : {}),
    onEvent,
  });
  const over = budgetError(manifest);
  if (over) throw over;

  ctx.io.stdout.write(ctx.global.json ? JSON.stringify(manifest, null, 2) + '\n' : table(manifest));
  for (const s of skipped) err(`skipped ${s.logicalId}: ${s.reason}`);
  if (removed.length > 0) err(`removed ${removed.length} zip${removed.length === 1 ? '' : 's'} of the previous run`);
  const n = manifest.functions.length;
  const within = n > 0 ? `, every handler within ${kb(manifest.budgetBytes)}` : '';
  err(`✔ ${manifest.pattern}: ${n} function${n === 1 ? '' : 's'} packaged into ${shown(outDir)} (${shown(join(outDir, 'manifest.json'))})${within}`);
  if (n > 0) err(`next: upload the zips to the stack's ArtifactBucket and pass each zip's key as its <Function>CodeKey parameter`);
  return 0;
}
