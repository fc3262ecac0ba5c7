import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ArchctlError, usageError } from '../core/errors.js';
import { parseSets } from '../core/params.js';
import { getPattern } from '../core/patterns/index.js';
import { checkProject, PROJECT_FILE, type ProjectConfig } from '../core/project.js';

export function readProject(dir: string): ProjectConfig {
  const file = join(resolve(dir), PROJECT_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw usageError(`no ${PROJECT_FILE} in ${resolve(dir)}`, 'name a pattern (archctl render todo), pass --dir to a project, or create one with archctl init todo');
    }
    throw new ArchctlError(`cannot read ${file}: ${code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message}`, 'make the file readable');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ArchctlError(`${file} is not valid JSON: ${(err as Error).message}`, 'fix the syntax, or write a new one with archctl init <pattern> --force');
  }
  return checkProject(data, file);
}

export interface Target {
  pattern: string;
  /** Unchecked parameters: the project's, then --set on top. */
  parameters: Record<string, unknown>;
  project?: ProjectConfig;
}

/** A pattern named on the command line needs no project; otherwise archctl.json in `dir` says what to render. */
export function resolveTarget(opts: { pattern?: string; dir: string; sets: readonly string[] }): Target {
  if (opts.pattern) {
    const pattern = getPattern(opts.pattern);
    return { pattern: pattern.name, parameters: parseSets(pattern.params, opts.sets, pattern.name) };
  }
  const project = readProject(opts.dir);
  const pattern = getPattern(project.pattern);
  return { pattern: pattern.name, parameters: { ...project.parameters, ...parseSets(pattern.params, opts.sets, pattern.name) }, project };
}
