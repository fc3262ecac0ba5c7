// `npm pack` gives a tarball that works on its own: installed into an empty
// folder (dependencies from the npm cache when it has them), its archctl
// renders and validates without the source tree or any devDependency.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'archctl-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

describe('npm pack', () => {
  it('ships the built CLI, the compiled templates and the spec extract, and no sources or tests', () => {
    const [info] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], repoRoot)) as [{ files: { path: string }[] }];
    const files = info.files.map((f) => f.path);
    for (const f of ['bin/archctl.js', 'dist/js/main.js', 'dist/templates/todo/base.json', 'dist/spec/index.json', 'dist/archctl.schema.json', 'templates/todo/base.yaml', 'README.md']) {
      expect(files).toContain(f);
    }
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('node_modules/'))).toBe(false);
  });

  it('installs into an empty folder and runs', () => {
    const out = npm(['pack', '--ignore-scripts', '--pack-destination', work], repoRoot).trim().split('\n').pop()!;
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    npm(['init', '-y'], app);
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, out)], app);
    const bin = join(app, 'node_modules/.bin/archctl');
    const render = spawnSync(bin, ['render', 'todo', '--json'], { cwd: app, encoding: 'utf8' });
    expect(render.status).toBe(0);
    expect(Object.keys((JSON.parse(render.stdout) as { Resources: object }).Resources).length).toBeGreaterThan(40);
    const validate = spawnSync(bin, ['validate', 'todo'], { cwd: app, encoding: 'utf8' });
    expect(validate.stderr).toMatch(/0 errors/);
    expect(validate.status).toBe(0);
  }, 120_000);
});
