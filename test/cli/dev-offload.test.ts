// archctl dev offload as a real process: the burst proof's table and exit
// code, and the local edge in front of the local origin (miss, then hit), stopped by SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'archctl-dev-offload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('archctl dev offload', () => {
  it('GIVEN --burst WHEN it runs THEN the table shows the origin alone vs the edge in front, every goal met, exit 0', () => {
    const r = runCli(['dev', 'offload', '--burst', '1000', '--concurrency', '50', '--file-size', '32KiB'], { cwd: dir, timeoutMs: 60_000 });
    expect(r.stderr).toContain('✔ every goal met');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^release-day burst: 1,000 downloads of 5 files of 32 KiB by 50 concurrent clients/);
    expect(r.stdout).toMatch(/origin requests, static files +1,000 +5$/m);
    expect(r.stdout).toMatch(/dynamic requests reaching the origin +50 of 50 +50 of 50$/m);
    expect(r.stdout).toMatch(/static origin bytes reduced by 9\d\.\d\d%/);
  });

  it('GIVEN --burst on todo THEN exit 2: it belongs to offload', () => {
    const r = runCli(['dev', 'todo', '--burst'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --burst is for archctl dev offload/);
  });

  it('GIVEN the local edge WHEN a sample update is fetched twice THEN a miss then a hit; a dynamic path always reaches the origin; SIGTERM stops it with exit 0', async () => {
    const child = spawn(process.execPath, [cliPath, 'dev', 'offload', '--port', '0', '--json'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    for (let i = 0; i < 100 && !out.includes('EdgeUrl'); i++) await new Promise((r) => setTimeout(r, 100));
    const { EdgeUrl } = JSON.parse(out) as { EdgeUrl: string };
    const first = await fetch(`${EdgeUrl}/updates/app-2.4.1.zip`);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toMatch(/^Miss/);
    expect((await first.arrayBuffer()).byteLength).toBe(2 << 20);
    const second = await fetch(`${EdgeUrl}/updates/app-2.4.1.zip`);
    expect(second.headers.get('x-cache')).toMatch(/^Hit/);
    await second.arrayBuffer();
    for (let i = 0; i < 2; i++) {
      const api = await fetch(`${EdgeUrl}/api/status`);
      expect(api.headers.get('x-cache') ?? '').not.toMatch(/^Hit/);
      await api.text();
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(err).toContain('stopped');
  });
});
