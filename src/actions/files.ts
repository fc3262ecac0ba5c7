import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ArchctlError } from '../core/errors.js';

function why(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'its folder does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return e.message ?? String(err);
  }
}

/**
 * Writes a file so that readers see the old content or the new, never half of
 * it: the data goes to a temporary file beside the target, reaches the disk
 * (fsync), then takes the target's name. With `overwrite: false` the last step
 * is a hard link, which fails if the target appeared meanwhile.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: { createDir?: boolean; overwrite?: boolean } = {}): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    if (options.createDir) mkdirSync(dir, { recursive: true });
    const fd = openSync(temp, 'wx');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.overwrite === false) {
      linkSync(temp, path);
      rmSync(temp, { force: true });
    } else {
      renameSync(temp, path);
    }
  } catch (err) {
    rmSync(temp, { force: true });
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && options.overwrite === false) {
      throw new ArchctlError(`${path} already exists`, 'pass --force to overwrite it, or choose another folder');
    }
    throw new ArchctlError(`cannot write ${path}: ${why(err)}`, 'choose a writable path, or create the folder first');
  }
}
