// Shared by the bench's parts: paths, timing and the children it must stop.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cli = join(root, 'bin/archctl.js');

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** Wall time of one child node run to its exit, in ms; throws on a non-zero exit. */
export function once(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

// The environment for children that talk to the local cloud: never a real AWS profile or endpoint.
export const cleanEnv = () => ({ ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))), NO_COLOR: '1' });

// Every long-lived child the bench starts, so that any exit path stops them.
const children = new Set();

/** spawn() of a node child that is tracked until it exits; its stderr is kept (the last 64 KB) for error messages. */
export function startChild(args, opts = {}) {
  const child = spawn(process.execPath, args, { cwd: root, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  child.log = '';
  const keep = (d) => {
    child.log = (child.log + d).slice(-65536);
  };
  child.stderr?.on('data', keep);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  children.add(child);
  child.exited.then(() => children.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with how it exited. */
export async function stopChild(child, graceMs = 10_000) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const result = await child.exited;
  clearTimeout(timer);
  return result;
}

export const stopAll = () => Promise.all([...children].map((c) => stopChild(c)));

/** Last resort on a hard exit (uncaught error, signal): no child outlives the bench. */
export function killAllSync() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
