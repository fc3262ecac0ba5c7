import { relative, sep } from 'node:path';
import type * as Esbuild from 'esbuild';
import { ArchctlError } from '../core/errors.js';
import type { BundleOutput } from '../core/package-plan.js';

/**
 * Packages the Lambda Node.js runtime provides, left out of the bundles
 * (the handlers import them; the runtime resolves them). Kept short and
 * explicit on purpose: any other package, @aws-sdk/* included, is bundled,
 * because a package the runtime lacks fails only when the function runs.
 * A subpath (@aws-sdk/lib-dynamodb/x) follows its package.
 */
export const RUNTIME_PACKAGES = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/util-dynamodb'] as const;

/**
 * Bundled CommonJS code (the DAX client) calls require() for node built-ins,
 * which an ES module lacks: esbuild's shim would throw "Dynamic require of
 * net is not supported". Each output file gets its own require. Constant
 * text: no dates, no paths.
 */
const REQUIRE_BANNER = 'import{createRequire as __archctlCreateRequire}from"node:module";const require=__archctlCreateRequire(import.meta.url);';

export interface BundledFile extends BundleOutput {
  data: Uint8Array;
}

let esbuild: Promise<typeof Esbuild> | undefined;

/**
 * esbuild is loaded only here, only when packaging (scripts/build.mjs keeps it
 * external: its API refuses to run bundled, as it finds its native binary
 * beside its own files). It is a dependency; the error covers a broken install.
 */
function loadEsbuild(): Promise<typeof Esbuild> {
  esbuild ??= (import('esbuild') as Promise<typeof Esbuild>).catch((err: NodeJS.ErrnoException) => {
    esbuild = undefined;
    if (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND') {
      throw new ArchctlError('archctl package needs esbuild, which is not installed', 'install it beside archctl: npm install esbuild');
    }
    throw err;
  });
  return esbuild;
}

const posix = (path: string) => path.split(sep).join('/');

function describeFailure(entry: string, err: unknown): ArchctlError {
  const messages = (err as { errors?: Esbuild.Message[] }).errors;
  const first = messages?.[0];
  const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : '';
  const more = messages && messages.length > 1 ? ` (and ${messages.length - 1} more)` : '';
  const text = first ? `${where}${first.text}${more}` : ((err as Error).message.split('\n')[0] ?? '');
  const fix = /Could not resolve/.test(text)
    ? `install the package where ${entry} can resolve it, or, if the Lambda runtime provides it, add it to RUNTIME_PACKAGES in src/actions/package-bundle.ts`
    : `fix ${entry} so that it compiles`;
  return new ArchctlError(`cannot bundle ${entry}: ${text}`, fix);
}

/** Keeps the named dynamic imports as they are, outside the bundle: the function never runs them. */
function leaveOutPlugin(modules: readonly string[]): Esbuild.Plugin {
  return {
    name: 'leave-out',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' && modules.includes(args.path) ? { path: args.path, external: true } : undefined));
    },
  };
}

/**
 * Bundles one handler into index.mjs plus chunks (a dynamic import() becomes
 * its own chunk) and their source maps, in memory. `workDir` is the folder
 * that paths in the output are relative to, so the bytes do not depend on
 * where the sources sit on disk.
 */
export async function bundleHandler(opts: { workDir: string; entry: string; target: string; leaveOut?: readonly string[] }): Promise<{ files: BundledFile[]; warnings: string[] }> {
  const { build } = await loadEsbuild();
  let result: Esbuild.BuildResult<{ write: false; metafile: true }>;
  try {
    result = await build({
      absWorkingDir: opts.workDir,
      entryPoints: [{ in: opts.entry, out: 'index' }],
      // Outputs "sit" in the working folder, so source maps name sources as handlers/<pattern>/<file>.ts.
      outdir: opts.workDir,
      outExtension: { '.js': '.mjs' },
      write: false,
      metafile: true,
      bundle: true,
      packages: 'bundle',
      external: [...RUNTIME_PACKAGES],
      platform: 'node',
      format: 'esm',
      target: opts.target,
      splitting: true,
      minify: true,
      // A .map beside each file, named by a sourceMappingURL comment: the functions set
      // NODE_OPTIONS=--enable-source-maps. Without the sources' text: stack traces need
      // file and line, not code, and the zip stays small.
      sourcemap: 'linked',
      sourcesContent: false,
      legalComments: 'none',
      banner: { js: REQUIRE_BANNER },
      // No tsconfig.json lookup: the bytes depend on the sources alone, in a checkout or an
      // installed package (which ships no tsconfig). TypeScript's defaults for this target
      // (class fields with define semantics) are what the repository's ES2022 setting gives.
      tsconfigRaw: {},
      logLevel: 'silent',
      plugins: [leaveOutPlugin(opts.leaveOut ?? [])],
    });
  } catch (err) {
    throw describeFailure(posix(relative(opts.workDir, opts.entry)), err);
  }
  const outputs = result.metafile.outputs;
  const files = result.outputFiles.map((file): BundledFile => {
    const name = posix(relative(opts.workDir, file.path));
    const imports = (outputs[name]?.imports ?? []).filter((i) => !i.external).map((i) => ({ name: i.path, dynamic: i.kind === 'dynamic-import' }));
    return { name, bytes: file.contents.byteLength, data: file.contents, imports };
  });
  const warnings = result.warnings.map((w) => `${w.location ? `${w.location.file}:${w.location.line}: ` : ''}${w.text}`);
  return { files, warnings };
}
