// The zip writer, read back by an independent reader (Python's zipfile, and
// Info-ZIP's unzip when present), and byte-identical across runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createZip, type ZipEntry } from '../src/actions/zip.js';

const work = mkdtempSync(join(tmpdir(), 'archctl-zip-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface PyEntry {
  name: string;
  size: number;
  compressed: number;
  method: number;
  date: number[];
  mode: string;
  system: number;
  extra: number;
  data: string;
}

/** Python's zipfile: names, sizes, method, timestamp, Unix mode, content (base64), and testzip()'s CRC check. */
const PY = `
import base64, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    out = [dict(name=i.filename, size=i.file_size, compressed=i.compress_size, method=i.compress_type,
                date=list(i.date_time), mode=oct(i.external_attr >> 16), system=i.create_system,
                extra=len(i.extra), data=base64.b64encode(z.read(i.filename)).decode()) for i in z.infolist()]
    print(json.dumps(dict(bad=bad, entries=out)))
`;

function readWithPython(zip: Buffer): { bad: string | null; entries: PyEntry[] } {
  const file = join(work, `z${Math.random().toString(36).slice(2)}.zip`);
  writeFileSync(file, zip);
  return JSON.parse(execFileSync('python3', ['-c', PY, file], { encoding: 'utf8' })) as { bad: string | null; entries: PyEntry[] };
}

const text = (s: string) => new TextEncoder().encode(s);
// Compressible and incompressible content, and an empty file.
const noise = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 2654435761) >>> 24));
const entries: ZipEntry[] = [
  { name: 'index.mjs.map', data: text('{"version":3,"sources":["handlers/x.ts"]}') },
  { name: 'index.mjs', data: text('export const handler = async () => "ok";\n'.repeat(500)) },
  { name: 'chunks/dax-ABC.mjs', data: noise },
  { name: 'empty.txt', data: new Uint8Array(0) },
];

describe('createZip', () => {
  it('writes a zip that Python reads back: sorted names, right content and CRCs, fixed time and mode, DEFLATE', () => {
    const r = readWithPython(createZip(entries));
    expect(r.bad).toBeNull();
    expect(r.entries.map((e) => e.name)).toEqual(['chunks/dax-ABC.mjs', 'empty.txt', 'index.mjs', 'index.mjs.map']);
    for (const e of r.entries) {
      const original = entries.find((x) => x.name === e.name)!.data;
      expect(Buffer.from(e.data, 'base64').equals(Buffer.from(original))).toBe(true);
      expect(e).toMatchObject({ size: original.length, method: 8, date: [1980, 1, 1, 0, 0, 0], mode: '0o100644', system: 3, extra: 0 });
    }
    const index = r.entries.find((e) => e.name === 'index.mjs')!;
    expect(index.compressed).toBeLessThan(index.size / 10);
  });

  it('gives the same bytes for the same entries, whatever their order', () => {
    const a = createZip(entries);
    const b = createZip([...entries].reverse());
    expect(a.equals(b)).toBe(true);
    expect(createZip(entries).equals(a)).toBe(true);
    // and different bytes when one byte of content changes
    const changed = entries.map((e) => (e.name === 'index.mjs' ? { ...e, data: text('export const handler = 1;') } : e));
    expect(createZip(changed).equals(a)).toBe(false);
  });

  it('lists and tests cleanly with unzip, when installed', () => {
    if (spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status !== 0) return;
    const file = join(work, 'unzip.zip');
    writeFileSync(file, createZip(entries));
    const t = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/No errors detected/);
    const l = spawnSync('unzip', ['-Z', file], { encoding: 'utf8' }).stdout;
    expect(l).toMatch(/^-rw-r--r-- +2\.0 unx +20500 b- defN 80-Jan-01 00:00 index\.mjs$/m);
  });

  it('writes an empty zip, and refuses unsafe or duplicate names', () => {
    expect(readWithPython(createZip([])).entries).toEqual([]);
    const one = (name: string) => () => createZip([{ name, data: text('x') }]);
    for (const name of ['', '/abs.mjs', '../up.mjs', 'a/../b.mjs', 'a\\b.mjs', 'a//b.mjs', './a.mjs']) expect(one(name), name).toThrow(/not a plain relative path/);
    expect(() => createZip([{ name: 'a', data: text('1') }, { name: 'a', data: text('2') }])).toThrow(/duplicate zip entry a/);
  });
});
