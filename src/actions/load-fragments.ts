import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArchctlError } from '../core/errors.js';
import type { FragmentSource } from '../core/render.js';
import type { JsonObject } from '../core/types.js';
import { distDir } from './package-paths.js';

/** Reads template fragments compiled to JSON at build time (dist/templates/<pattern>/<fragment>.json). */
export const loadFragment: FragmentSource = (pattern, fragment) => {
  const file = join(distDir, 'templates', pattern, `${fragment}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
  } catch (err) {
    throw new ArchctlError(
      `cannot read template fragment ${pattern}/${fragment}: ${(err as Error).message.split('\n')[0]}`,
      'rebuild archctl with npm run build (or reinstall it)',
    );
  }
};
