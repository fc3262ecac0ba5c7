import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../..');
export const cliPath = join(repoRoot, 'bin/archctl.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a real process, with no terminal and no AWS settings. */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('AWS_') || key === 'FORCE_COLOR' || key === 'NO_COLOR') delete env[key];
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...env, ...opts.env } as NodeJS.ProcessEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: opts.timeoutMs ?? 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A stack trace line, which users must never see without --verbose. */
export const STACK = /^\s+at .+(\(|\s)\S+:\d+:\d+\)?$/m;
