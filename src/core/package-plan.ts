import { ArchctlError } from './errors.js';
import type { CfnTemplate, Json } from './types.js';

/**
 * Each handler's start-up code (index.mjs and the chunks it imports
 * statically) must stay under this many bytes unzipped: Lambda reads and
 * compiles all of it on every cold start. Chunks loaded only through a
 * dynamic import() (the DAX client) are counted apart, since a function that
 * does not use them never loads them.
 */
export const HANDLER_BUDGET_BYTES = 50 * 1024;

/** The runtime the handlers are built for when a function's Runtime is not a literal nodejsNN.x. */
export const DEFAULT_TARGET = 'node24';

/** One Lambda function whose code archctl bundles. */
export interface PlannedFunction {
  logicalId: string;
  /** The template parameter that receives the zip's S3 key, `<Name>CodeKey`. */
  codeKeyParameter: string;
  /** The handler source, relative to the handlers folder: `<pattern>/<kebab-case Name>.ts`. */
  entry: string;
  /** esbuild's target, from the function's Runtime (nodejs24.x -> node24). */
  target: string;
  /** Dynamically imported modules this function never loads, left out of its zip (see OPTIONAL_MODULES). */
  leaveOut: string[];
}

/**
 * Modules a handler imports dynamically only when an environment variable is
 * set: a function whose template does not set it never loads them, so its zip
 * goes without (the DAX client is about 800 KB; the handlers about 5-10 KB).
 */
export const OPTIONAL_MODULES: readonly { env: string; module: string }[] = [{ env: 'DAX_ENDPOINT', module: './dax.js' }];

export interface PackagePlan {
  functions: PlannedFunction[];
  /** Functions archctl does not bundle (inline Code.ZipFile, or code it is not given a key parameter for), with why. */
  skipped: { logicalId: string; reason: string }[];
}

const CODE_KEY = /^([A-Z][A-Za-z0-9]*)CodeKey$/;

/** ListTodos -> list-todos; GetURLPart -> get-url-part. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Which functions of a rendered template need a bundle, and from which source:
 * every AWS::Lambda::Function whose Code.S3Key is a Ref to a `<Name>CodeKey`
 * parameter is built from `<pattern>/<kebab-case Name>.ts`. Sorted by logical id.
 */
export function planPackage(template: CfnTemplate, pattern: string): PackagePlan {
  const functions: PlannedFunction[] = [];
  const skipped: PackagePlan['skipped'] = [];
  const parameters = template.Parameters ?? {};
  for (const [logicalId, resource] of Object.entries(template.Resources).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const props = resource.Properties ?? {};
    const code = props.Code;
    if (isObject(code) && code.ZipFile !== undefined) {
      skipped.push({ logicalId, reason: 'inline code (Code.ZipFile)' });
      continue;
    }
    const key = isObject(code) && isObject(code.S3Key) ? code.S3Key.Ref : undefined;
    const match = typeof key === 'string' && key in parameters ? CODE_KEY.exec(key) : null;
    if (!match) {
      skipped.push({ logicalId, reason: 'its Code.S3Key is not a Ref to a <Name>CodeKey parameter' });
      continue;
    }
    // The bundle's entry is always index.mjs, so the handler setting must name a function in it.
    if (typeof props.Handler === 'string' && !/^index\.[A-Za-z_$][\w$]*$/.test(props.Handler)) {
      throw new ArchctlError(
        `${logicalId} has Handler ${JSON.stringify(props.Handler)}, but archctl packages its code as index.mjs`,
        `set its Handler to index.<exported function>, for example index.handler, in templates/${pattern}/`,
      );
    }
    const runtime = typeof props.Runtime === 'string' ? /^nodejs(\d+)\.x$/.exec(props.Runtime) : null;
    if (typeof props.Runtime === 'string' && !runtime) {
      throw new ArchctlError(`${logicalId} has Runtime ${props.Runtime}, but archctl bundles Node.js handlers only`, `give it a nodejsNN.x runtime in templates/${pattern}/`);
    }
    const env = isObject(props.Environment) && isObject(props.Environment.Variables) ? props.Environment.Variables : {};
    functions.push({
      logicalId,
      codeKeyParameter: key as string,
      entry: `${pattern}/${kebabCase(match[1]!)}.ts`,
      target: runtime ? `node${runtime[1]}` : DEFAULT_TARGET,
      leaveOut: OPTIONAL_MODULES.filter((o) => !(o.env in env)).map((o) => o.module),
    });
  }
  return { functions, skipped };
}

/** An output file of a bundle, as the bundler reports it: its imports, static or dynamic. */
export interface BundleOutput {
  name: string;
  bytes: number;
  imports: { name: string; dynamic: boolean }[];
}

export type FileRole = 'handler' | 'chunk' | 'lazy-chunk' | 'source-map';

/**
 * Sorts a bundle's files into what the budget counts: index.mjs and the
 * chunks it reaches through static imports load on every cold start; chunks
 * reached only through import() (the DAX client) load when used.
 */
export function classifyOutputs(outputs: readonly BundleOutput[], entry = 'index.mjs'): Map<string, FileRole> {
  const byName = new Map(outputs.map((o) => [o.name, o]));
  const roles = new Map<string, FileRole>();
  const atStart = new Set<string>();
  const visit = (name: string) => {
    if (atStart.has(name)) return;
    atStart.add(name);
    for (const i of byName.get(name)?.imports ?? []) if (!i.dynamic && byName.has(i.name)) visit(i.name);
  };
  visit(entry);
  for (const o of outputs) {
    roles.set(o.name, o.name.endsWith('.map') ? 'source-map' : o.name === entry ? 'handler' : atStart.has(o.name) ? 'chunk' : 'lazy-chunk');
  }
  return roles;
}

/** One function's line in .archctl/build/manifest.json. */
export interface PackagedFunction {
  logicalId: string;
  codeKeyParameter: string;
  /** The handler source, relative to the folder holding the handlers folder (handlers/todo/list-todos.ts). */
  entry: string;
  target: string;
  /** `<logicalId>-<first 16 hex digits of sha256>.zip`: the name changes exactly when the bytes do. */
  zip: string;
  sha256: string;
  zipBytes: number;
  /** Unzipped bytes loaded on every cold start: index.mjs and the chunks it imports statically. */
  handlerBytes: number;
  /** Unzipped bytes of chunks loaded only through import() (the DAX client), outside the budget. */
  lazyChunkBytes: number;
  withinBudget: boolean;
  files: { name: string; bytes: number; role: FileRole }[];
}

export interface PackageManifest {
  manifestVersion: 1;
  pattern: string;
  budgetBytes: number;
  functions: PackagedFunction[];
}

export const zipName = (logicalId: string, sha256: string) => `${logicalId}-${sha256.slice(0, 16)}.zip`;

/** The manifest entry of one function, from its zip's hash and size and its files' sizes and roles. */
export function describePackage(
  fn: PlannedFunction,
  entry: string,
  zip: { sha256: string; bytes: number },
  files: readonly { name: string; bytes: number; role: FileRole }[],
): PackagedFunction {
  const sum = (role: FileRole | FileRole[]) => files.filter((f) => ([] as FileRole[]).concat(role).includes(f.role)).reduce((n, f) => n + f.bytes, 0);
  const handlerBytes = sum(['handler', 'chunk']);
  return {
    logicalId: fn.logicalId,
    codeKeyParameter: fn.codeKeyParameter,
    entry,
    target: fn.target,
    zip: zipName(fn.logicalId, zip.sha256),
    sha256: zip.sha256,
    zipBytes: zip.bytes,
    handlerBytes,
    lazyChunkBytes: sum('lazy-chunk'),
    withinBudget: handlerBytes <= HANDLER_BUDGET_BYTES,
    files: [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

/** The error for handlers over budget, naming each: one line. */
export function budgetError(manifest: PackageManifest): ArchctlError | undefined {
  const over = manifest.functions.filter((f) => !f.withinBudget);
  if (over.length === 0) return undefined;
  const list = over.map((f) => `${f.logicalId} (${f.entry}) is ${f.handlerBytes} bytes`).join(', ');
  return new ArchctlError(
    `over the ${HANDLER_BUDGET_BYTES}-byte handler budget: ${list}`,
    'load rarely used code through import() so it becomes a lazy chunk, or drop a dependency; the zips and manifest.json were written for inspection',
  );
}
