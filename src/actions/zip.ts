import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A minimal, deterministic zip writer for Lambda code: the same entries give
 * the same bytes on every run, so a zip's hash says whether its code changed.
 * Entries are sorted by name; every entry has the same timestamp (the zip
 * format's earliest, 1980-01-01 00:00), the same Unix mode (0644: Lambda runs
 * the code as another user, which must be able to read it) and no extra
 * fields (which is where zip tools put real timestamps and owner ids).
 * DEFLATE (level 9) throughout; no zip64, no folders, no comments.
 */
export interface ZipEntry {
  /** A relative path with forward slashes. */
  name: string;
  data: Uint8Array;
}

const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
const VERSION_NEEDED = 20; // 2.0: DEFLATE
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED; // 3: Unix, so the external attributes carry a mode
const UTF8_NAMES = 1 << 11;
const DEFLATE = 8;
const MODE_FILE_0644 = 0o100644;
const MAX_16 = 0xffff;
const MAX_32 = 0xffffffff;

function checkName(name: string): void {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    throw new Error(`zip entry name ${JSON.stringify(name)} is not a plain relative path`);
  }
}

export function createZip(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (sorted.length > MAX_16) throw new Error(`a zip holds at most ${MAX_16} entries without zip64`);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [i, entry] of sorted.entries()) {
    checkName(entry.name);
    if (i > 0 && sorted[i - 1]!.name === entry.name) throw new Error(`duplicate zip entry ${entry.name}`);
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength);
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    if (data.length > MAX_32 || compressed.length > MAX_32 || offset > MAX_32) throw new Error('zip too large without zip64');

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(DEFLATE, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    locals.push(local, name, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(VERSION_MADE_BY, 4);
    central.writeUInt16LE(VERSION_NEEDED, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(DEFLATE, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // 30: extra length, 32: comment length, 34: disk number, 36: internal attributes: all 0
    central.writeUInt32LE((MODE_FILE_0644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  if (offset > MAX_32) throw new Error('zip too large without zip64');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  // 4: this disk, 6: disk with the directory: 0
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  // 20: comment length: 0
  return Buffer.concat([...locals, directory, end]);
}
