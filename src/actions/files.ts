import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ArchctlError } from '../core/errors.js';

/**
 * Writes a file so that readers see the old content or the new, never half of
 * it: write a temporary file beside it, then rename over the target.
 */
export function writeFileAtomic(path: string, data: string, options: { createDir?: boolean } = {}): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    if (options.createDir) mkdirSync(dir, { recursive: true });
    writeFileSync(temp, data, { flag: 'wx' });
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'its folder does not exist' : e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code === 'EISDIR' ? 'it is a folder' : e.code === 'EROFS' ? 'the file system is read-only' : (e.message ?? String(err));
    throw new ArchctlError(`cannot write ${path}: ${why}`, 'choose a writable path, or create the folder first');
  }
}
