// archctl package on fixture handlers in a temporary folder (the real ones
// are checked at the end when present): manifest, determinism, zips read
// back by Python, the bundles run, errors, and the CLI as a process.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { packagePattern, packageTemplate, type PackageEvent } from '../src/actions/package.js';
import { renderPattern } from '../src/actions/render.js';
import { isArchctlError } from '../src/core/errors.js';
import { HANDLER_BUDGET_BYTES, type PackageManifest } from '../src/core/package-plan.js';
import { repoRoot, runCli, STACK } from './support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'archctl-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let count = 0;
const fresh = (name: string) => join(work, `${name}-${++count}`);

function write(root: string, files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const SDK = '@aws-sdk/client-dynamodb';
/** Five tiny handlers for the todo template's five functions, plus a CommonJS package standing in for the DAX client. */
const HANDLERS: Record<string, string> = {
  'handlers/todo/list-todos.ts': `
    export const handler = async (event: { dax?: boolean; fail?: boolean }) => {
      if (event.fail) throw new Error('boom');
      if (event.dax) {
        const { viaDax } = await import('./lib/dax.js');
        return { statusCode: 200, body: viaDax() };
      }
      return { statusCode: 200, body: 'list' };
    };`,
  'handlers/todo/lib/dax.ts': `
    import fakeDax from 'fake-dax';
    export const viaDax = (): string => fakeDax.describe();`,
  'node_modules/fake-dax/package.json': '{ "name": "fake-dax", "version": "1.0.0", "main": "index.js" }',
  // require() of a node built-in from bundled CommonJS, as the DAX client does: needs the require banner in an ES module.
  'node_modules/fake-dax/index.js': `'use strict';
    const net = require('net');
    const padding = ${JSON.stringify('lazy '.repeat(2000))};
    module.exports = { describe: () => 'dax via net.' + typeof net.connect + ' ' + padding.length };`,
  'handlers/todo/get-todo.ts': `
    import { DynamoDBClient, GetItemCommand } from '${SDK}';
    const client = new DynamoDBClient({});
    export const handler = async () => client.send(new GetItemCommand({ TableName: 't', Key: {} }));`,
  'handlers/todo/lib/respond.ts': `
    export const respond = (statusCode: number, body: unknown) => ({ statusCode, body: JSON.stringify(body) });`,
  'handlers/todo/create-todo.ts': `import { respond } from './lib/respond.js';\nexport const handler = async () => respond(201, { created: true });`,
  'handlers/todo/update-todo.ts': `import { respond } from './lib/respond.js';\nexport const handler = async () => respond(200, { updated: true });`,
  'handlers/todo/delete-todo.ts': `import { respond } from './lib/respond.js';\nexport const handler = async () => respond(204, null);`,
};

function fixture(extra: Record<string, string> = {}): string {
  const root = fresh('fixture');
  write(root, { ...HANDLERS, ...extra });
  return root;
}

const todo = { pattern: 'todo', parameters: {} };
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

const PY_READ = `
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(json.dumps(dict(bad=z.testzip(), names=z.namelist(), index=z.read('index.mjs').decode(), map=json.loads(z.read('index.mjs.map')))))
`;
const readZip = (file: string) =>
  JSON.parse(execFileSync('python3', ['-c', PY_READ, file], { encoding: 'utf8' })) as { bad: null | string; names: string[]; index: string; map: { sources: string[] } };

describe('packageTemplate on fixture handlers', () => {
  const root = fixture();
  const handlersDir = join(root, 'handlers');

  it('writes one content-addressed zip per function and a manifest of sizes and hashes', async () => {
    const outDir = fresh('out');
    const events: PackageEvent[] = [];
    const { manifest, skipped } = await packagePattern(todo, { outDir, handlersDir, onEvent: (e) => events.push(e) });
    expect(manifest).toMatchObject({ manifestVersion: 1, pattern: 'todo', budgetBytes: HANDLER_BUDGET_BYTES });
    expect(manifest.functions.map((f) => [f.logicalId, f.codeKeyParameter, f.entry])).toEqual([
      ['CreateTodoFunction', 'CreateTodoCodeKey', 'handlers/todo/create-todo.ts'],
      ['DeleteTodoFunction', 'DeleteTodoCodeKey', 'handlers/todo/delete-todo.ts'],
      ['GetTodoFunction', 'GetTodoCodeKey', 'handlers/todo/get-todo.ts'],
      ['ListTodosFunction', 'ListTodosCodeKey', 'handlers/todo/list-todos.ts'],
      ['UpdateTodoFunction', 'UpdateTodoCodeKey', 'handlers/todo/update-todo.ts'],
    ]);
    expect(skipped).toEqual([{ logicalId: 'StageCacheControlFunction', reason: 'inline code (Code.ZipFile)' }]);
    expect(events.filter((e) => e.type === 'bundling')).toHaveLength(5);
    expect(readdirSync(outDir).sort()).toEqual([...manifest.functions.map((f) => f.zip), 'manifest.json'].sort());
    expect(JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'))).toEqual(manifest);

    for (const f of manifest.functions) {
      const file = join(outDir, f.zip);
      expect(f.zip).toBe(`${f.logicalId}-${f.sha256.slice(0, 16)}.zip`);
      expect(sha256(file)).toBe(f.sha256);
      expect(readFileSync(file).length).toBe(f.zipBytes);
      expect(f.target).toBe('node24');
      expect(f.withinBudget).toBe(true);
      const index = f.files.find((x) => x.name === 'index.mjs')!;
      expect(index.role).toBe('handler');
      expect(f.handlerBytes).toBe(f.files.filter((x) => x.role === 'handler' || x.role === 'chunk').reduce((n, x) => n + x.bytes, 0));
    }

    // The dynamically imported helper is its own chunk, counted apart from the handler.
    const list = manifest.functions.find((f) => f.logicalId === 'ListTodosFunction')!;
    const dax = list.files.find((x) => /^dax-[A-Z0-9]+\.mjs$/.test(x.name))!;
    expect(dax.role).toBe('lazy-chunk');
    expect(list.lazyChunkBytes).toBeGreaterThanOrEqual(dax.bytes);
    expect(dax.bytes).toBeGreaterThan(10_000);
    expect(list.handlerBytes).toBeLessThan(2_000);
    expect(list.files.map((x) => x.name)).toContain(`${dax.name}.map`);
    const create = manifest.functions.find((f) => f.logicalId === 'CreateTodoFunction')!;
    expect(create.lazyChunkBytes).toBe(0);
  });

  it('zips index.mjs, its source map and the chunks, readable by Python; source maps name relative sources', async () => {
    const outDir = fresh('out');
    const { manifest } = await packageTemplate('todo', renderPattern(todo).template, { outDir, handlersDir });
    for (const f of manifest.functions) {
      const z = readZip(join(outDir, f.zip));
      expect(z.bad).toBeNull();
      expect(z.names).toEqual(f.files.map((x) => x.name));
      expect(z.names).toEqual([...z.names].sort());
      expect(z.names).toEqual(expect.arrayContaining(['index.mjs', 'index.mjs.map']));
      expect(z.index).toMatch(/export\s*\{\s*\w+ as handler\s*\}/);
      expect(z.index).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\n?$/);
      for (const source of z.map.sources) {
        expect(source.startsWith('/') || source.includes(work) || source.includes('\\')).toBe(false);
      }
      expect(z.map.sources).toContain(f.entry);
      // No dates, no absolute paths anywhere in the code.
      expect(z.index).not.toContain(root);
      expect(z.index).not.toMatch(/20\d\d-\d\d-\d\d/);
    }
  });

  it('leaves @aws-sdk/* to the runtime: the SDK is imported, not bundled', async () => {
    const outDir = fresh('out');
    const { manifest } = await packagePattern(todo, { outDir, handlersDir });
    const get = manifest.functions.find((f) => f.logicalId === 'GetTodoFunction')!;
    const z = readZip(join(outDir, get.zip));
    expect(z.index).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
    expect(z.names.filter((n) => n.endsWith('.mjs'))).toEqual(['index.mjs']);
    expect(get.handlerBytes).toBeLessThan(1_000);
    expect(z.index).not.toMatch(/smithy|DynamoDBServiceException/);
  });

  it('gives the same bytes and hashes on every run, and renames a zip exactly when its code changes', async () => {
    const a = await packagePattern(todo, { outDir: fresh('out'), handlersDir });
    const b = await packagePattern(todo, { outDir: fresh('out'), handlersDir });
    expect(b.manifest).toEqual(a.manifest);
    for (const f of a.manifest.functions) expect(readFileSync(join(b.outDir, f.zip)).equals(readFileSync(join(a.outDir, f.zip)))).toBe(true);
    // The same sources in another folder: no absolute path reaches the bytes.
    const elsewhere = await packagePattern(todo, { outDir: fresh('out'), handlersDir: join(fixture(), 'handlers') });
    expect(elsewhere.manifest).toEqual(a.manifest);

    // The same out dir: change one handler; its zip gets a new name, the others keep theirs, the old zip goes.
    const changed = fixture({ 'handlers/todo/delete-todo.ts': `import { respond } from './lib/respond.js';\nexport const handler = async () => respond(204, 'gone');` });
    const outDir = fresh('out');
    const first = await packagePattern(todo, { outDir, handlersDir });
    const second = await packagePattern(todo, { outDir, handlersDir: join(changed, 'handlers') });
    const zips = (m: PackageManifest) => Object.fromEntries(m.functions.map((f) => [f.logicalId, f.zip]));
    const [before, after] = [zips(first.manifest), zips(second.manifest)];
    expect(after.DeleteTodoFunction).not.toBe(before.DeleteTodoFunction);
    for (const id of ['CreateTodoFunction', 'GetTodoFunction', 'ListTodosFunction', 'UpdateTodoFunction']) expect(after[id]).toBe(before[id]);
    expect(second.removed).toEqual([before.DeleteTodoFunction]);
    expect(readdirSync(outDir).sort()).toEqual([...Object.values(after), 'manifest.json'].sort());
  });

  it('builds bundles that run: the lazy chunk loads, and bundled CommonJS can require node built-ins', async () => {
    const outDir = fresh('out');
    const { manifest } = await packagePattern(todo, { outDir, handlersDir });
    const list = manifest.functions.find((f) => f.logicalId === 'ListTodosFunction')!;
    const task = fresh('var-task');
    execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', join(outDir, list.zip), task]);
    const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(join(task, 'index.mjs')).href)});
      const stack = await handler({ fail: true }).catch((e) => e.stack);
      console.log(JSON.stringify([await handler({}), await handler({ dax: true }), stack]));`;
    const out = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const [plain, viaDax, stack] = JSON.parse(out) as [unknown, unknown, string];
    expect(plain).toEqual({ statusCode: 200, body: 'list' });
    expect(viaDax).toEqual({ statusCode: 200, body: 'dax via net.function 10000' });
    // The linked source map leads a stack trace back to the TypeScript source.
    expect(stack).toMatch(/handlers\/todo\/list-todos\.ts:\d+:\d+/);
  });

  it('names a missing handler source in one line, before bundling or writing anything', async () => {
    const partial = fresh('partial');
    write(partial, { ...HANDLERS, 'handlers/todo/get-todo.ts': '' });
    rmSync(join(partial, 'handlers/todo/get-todo.ts'));
    const outDir = fresh('out');
    const events: PackageEvent[] = [];
    const err = await packagePattern(todo, { outDir, handlersDir: join(partial, 'handlers'), onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(isArchctlError(err)).toBe(true);
    expect((err as Error).message).toBe('no handler source for handlers/todo/get-todo.ts (GetTodoFunction)');
    expect(events).toEqual([]);
    expect(existsSync(outDir)).toBe(false);
  });

  it('reports a handler that does not compile or resolve, naming the file', async () => {
    const broken = fixture({ 'handlers/todo/create-todo.ts': `import { nope } from 'not-installed-anywhere';\nexport const handler = nope;` });
    const err = await packagePattern(todo, { outDir: fresh('out'), handlersDir: join(broken, 'handlers') }).catch((e: unknown) => e);
    expect(isArchctlError(err)).toBe(true);
    expect((err as Error).message).toMatch(/^cannot bundle handlers\/todo\/create-todo\.ts: handlers\/todo\/create-todo\.ts:1:\d+: Could not resolve "not-installed-anywhere"$/);
  });
});

describe('archctl package as a process', () => {
  const root = fixture();
  const handlers = join(root, 'handlers');

  it('has --help with examples and the budget', () => {
    const r = runCli(['package', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ archctl package todo');
    expect(r.stdout).toMatch(/50 KB/);
    expect(runCli(['--help']).stdout).toContain('package');
  });

  it('prints the manifest as JSON on stdout, progress on stderr, and the same hashes from another process', () => {
    const a = runCli(['package', 'todo', '--handlers', handlers, '--json'], { cwd: root });
    expect(a.code).toBe(0);
    const manifest = JSON.parse(a.stdout) as PackageManifest;
    expect(manifest.functions).toHaveLength(5);
    expect(JSON.parse(readFileSync(join(root, '.archctl/build/manifest.json'), 'utf8'))).toEqual(manifest);
    expect(a.stderr).toMatch(/^bundling ListTodosFunction \(handlers\/todo\/list-todos\.ts\)$/m);
    expect(a.stderr).toMatch(/^skipped StageCacheControlFunction: inline code/m);
    expect(a.stderr).toMatch(/✔ todo: 5 functions packaged into \.archctl\/build \(\.archctl\/build\/manifest\.json\), every handler within 50\.0 KB\n/);
    expect(a.stderr).toMatch(/^next: /m);

    const out = fresh('cli-out');
    const b = runCli(['package', 'todo', '--handlers', handlers, '--out-dir', out], { cwd: root });
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/^ListTodosFunction +handler \d+\.\d KB +lazy \d+\.\d KB +zip \d+\.\d KB +ListTodosFunction-[0-9a-f]{16}\.zip$/m);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toEqual(manifest);
  });

  it('packages the project of --dir into its .archctl/build', () => {
    const project = fresh('project');
    expect(runCli(['init', 'todo', project, '--region', 'eu-west-1', '--yes']).code).toBe(0);
    const r = runCli(['package', '--dir', project, '--handlers', handlers, '--set', 'cache=dax']);
    expect(r.code).toBe(0);
    expect(readdirSync(join(project, '.archctl/build'))).toContain('manifest.json');
  });

  it('exits 1 naming the function over budget; the zips stay for inspection', () => {
    const big = fixture({ 'handlers/todo/update-todo.ts': `export const handler = async () => ${JSON.stringify('x'.repeat(HANDLER_BUDGET_BYTES))};` });
    const out = fresh('cli-out');
    const r = runCli(['package', 'todo', '--handlers', join(big, 'handlers'), '--out-dir', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const last = r.stderr.trimEnd().split('\n').at(-1)!;
    expect(last).toMatch(/^error: over the 51200-byte handler budget: UpdateTodoFunction \(handlers\/todo\/update-todo\.ts\) is \d+ bytes \(fix: .+\)$/);
    expect(last).not.toMatch(/CreateTodoFunction/);
    expect(r.stderr).not.toMatch(STACK);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as PackageManifest;
    expect(manifest.functions.filter((f) => !f.withinBudget).map((f) => f.logicalId)).toEqual(['UpdateTodoFunction']);
  });

  it('a missing handler source is a one-line error naming the file', () => {
    const empty = fresh('empty');
    mkdirSync(join(empty, 'todo'), { recursive: true });
    write(empty, { 'todo/get-todo.ts': 'export const handler = 1;' });
    const r = runCli(['package', 'todo', '--handlers', empty, '--out-dir', fresh('cli-out')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: no handler source for .*\/todo\/create-todo\.ts \(CreateTodoFunction\), .*\/todo\/delete-todo\.ts \(DeleteTodoFunction\), .*list-todos\.ts .*update-todo\.ts \(UpdateTodoFunction\) \(fix: .+\)\n$/);
    expect(r.stderr).not.toMatch(/get-todo/);
  });

  it('without a pattern or a project, it is a usage error', () => {
    const r = runCli(['package', '--dir', fresh('nothing')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: no archctl\.json in /);
  });

  // archctl's own handlers, when they are in the tree: real sizes, within budget.
  it.skipIf(!existsSync(join(repoRoot, 'handlers/todo/list-todos.ts')))(
    "packages archctl's own todo handlers within budget, twice to the same bytes",
    () => {
      const [outA, outB] = [fresh('real'), fresh('real')];
      const a = runCli(['package', 'todo', '--json', '--out-dir', outA]);
      expect(a.stderr).not.toMatch(/^error/m);
      expect(a.code).toBe(0);
      const b = runCli(['package', 'todo', '--json', '--out-dir', outB]);
      expect(b.stdout).toBe(a.stdout);
      const manifest = JSON.parse(a.stdout) as PackageManifest;
      expect(manifest.functions.map((f) => f.logicalId)).toEqual(['CreateTodoFunction', 'DeleteTodoFunction', 'GetTodoFunction', 'ListTodosFunction', 'UpdateTodoFunction']);
      for (const f of manifest.functions) {
        expect(f.withinBudget).toBe(true);
        expect(readZip(join(outA, f.zip)).bad).toBeNull();
        // The SDK stays external; the handler bundle stays small.
        expect(readZip(join(outA, f.zip)).index).not.toMatch(/DynamoDBServiceException/);
      }
    },
    120_000,
  );
});
