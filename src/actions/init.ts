import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArchctlError } from '../core/errors.js';
import { resolveParams, type Params } from '../core/params.js';
import { getPattern } from '../core/patterns/index.js';
import { checkProject, PROJECT_FILE, type ProjectConfig } from '../core/project.js';
import { writeFileAtomic } from './files.js';
import { distDir } from './package-paths.js';

export const SCHEMA_PATH = '.archctl/archctl.schema.json';

export interface InitRequest {
  dir: string;
  pattern: string;
  name: string;
  region: string;
  /** Only what the user set; defaults stay implicit so a newer archctl's defaults apply. */
  parameters: Params;
  force: boolean;
}

/**
 * Writes archctl.json, plus a copy of its JSON Schema under .archctl/ so
 * editors autocomplete offline with the schema of the archctl that wrote it.
 */
export function initProject(req: InitRequest): { file: string; config: ProjectConfig } {
  const pattern = getPattern(req.pattern);
  resolveParams(pattern.params, req.parameters, pattern.name);
  const file = join(req.dir, PROJECT_FILE);
  if (existsSync(file) && !req.force) {
    throw new ArchctlError(`${file} already exists`, 'pass --force to overwrite it, or choose another folder');
  }
  const config = checkProject({ $schema: `./${SCHEMA_PATH}`, pattern: pattern.name, name: req.name, region: req.region, parameters: req.parameters }, file);
  const schema = readFileSync(join(distDir, 'archctl.schema.json'), 'utf8');
  writeFileAtomic(join(req.dir, SCHEMA_PATH), schema, { createDir: true });
  writeFileAtomic(join(req.dir, '.archctl/.gitignore'), '# build output and local data stay out of git; the schema is kept for editors\n*\n!.gitignore\n!archctl.schema.json\n');
  writeFileAtomic(file, JSON.stringify(config, null, 2) + '\n', { createDir: true, overwrite: req.force });
  return { file, config };
}
