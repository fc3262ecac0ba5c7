import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ArchctlError } from '../core/errors.js';
import { servicesOf } from '../core/spec/check.js';
import { SPEC_FORMAT, type SpecIndex, type SpecLookup, type SpecResource, type SpecService } from '../core/spec/types.js';
import type { CfnTemplate } from '../core/types.js';
import { distDir } from './package-paths.js';

/** The extract written by scripts/extract-spec.mjs at build time: this file compiles to dist/actions/. */
const DEFAULT_SPEC_DIR = pathToFileURL(join(distDir, 'spec') + '/');

const REBUILD = 'Run npm run build (it writes dist/spec/ from @aws-cdk/aws-service-spec), or reinstall archctl.';

/** Parsed files, by absolute path: a process that checks several templates reads each file once. */
const cache = new Map<string, Promise<unknown>>();

async function parseFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ArchctlError(
      e.code === 'ENOENT' ? `the CloudFormation specification extract is missing: ${path} not found` : `cannot read ${what} ${path}: ${e.message}`,
      REBUILD,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ArchctlError(`the CloudFormation specification extract ${path} is not valid JSON: ${(err as Error).message}`, REBUILD);
  }
}

function readJson(url: URL, what: string): Promise<unknown> {
  const path = fileURLToPath(url);
  let pending = cache.get(path);
  if (!pending) {
    pending = parseFile(path, what);
    pending.catch(() => cache.delete(path)); // retry next time (e.g. after a build)
    cache.set(path, pending);
  }
  return pending;
}

function isIndex(v: unknown): v is SpecIndex {
  const o = v as Partial<SpecIndex> | null;
  return typeof o === 'object' && o !== null && typeof o.t === 'object' && o.t !== null && typeof o.f === 'number';
}

/**
 * Read the spec of the services a template uses (only those files) from the
 * build's spec extract, and return the lookup `checkSpec` takes.
 * `specDir` defaults to the package's dist/spec/.
 */
export async function loadSpecFor(template: CfnTemplate, specDir: URL | string = DEFAULT_SPEC_DIR): Promise<SpecLookup> {
  const dir = typeof specDir === 'string' ? pathToFileURL(resolve(specDir)) : specDir;
  const dirUrl = dir.href.endsWith('/') ? dir : new URL(`${dir.href}/`);

  const index = await readJson(new URL('index.json', dirUrl), 'spec index');
  if (!isIndex(index) || index.f !== SPEC_FORMAT)
    throw new ArchctlError(`the CloudFormation specification extract in ${fileURLToPath(dirUrl)} has an unknown format (expected format ${SPEC_FORMAT})`, REBUILD);

  // Only files the index names: a resource type is never turned into an arbitrary path.
  const known = new Set(Object.values(index.t));
  const needed = servicesOf(template).filter((file) => known.has(file));
  const services = await Promise.all(needed.map((file) => readJson(new URL(`${file}.json`, dirUrl), 'spec file') as Promise<SpecService>));

  const byType = new Map<string, SpecResource>();
  for (const service of services) for (const [type, spec] of Object.entries(service)) byType.set(type, spec);
  const allTypes = Object.keys(index.t);
  return {
    resourceType: (type) => byType.get(type),
    resourceTypes: () => allTypes,
  };
}
