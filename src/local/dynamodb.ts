import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { ArchctlError } from '../core/errors.js';

export interface LocalDynamoDB {
  url: string;
  close(): Promise<void>;
}

/**
 * DynamoDB on dynalite, in a child process of its own: as on AWS, the
 * database does not share an event loop (or a core) with API Gateway and the
 * functions that call it. close() ends it with SIGTERM; if the parent dies
 * first, the closed IPC channel makes it shut its server and end.
 */
export async function startDynamoDB(opts: { path?: string; host?: string } = {}): Promise<LocalDynamoDB> {
  const dynalitePath = createRequire(import.meta.url).resolve('dynalite');
  const host = opts.host ?? '127.0.0.1';
  const code = `
    const dynalite = require(${JSON.stringify(dynalitePath)});
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0${opts.path ? `, path: ${JSON.stringify(opts.path)}` : ''} });
    server.listen(0, ${JSON.stringify(host)}, () => process.send({ port: server.address().port }));
    // Orphaned (the parent died): close, and the process ends with nothing left to do.
    process.on('disconnect', () => { server.close(); server.closeAllConnections(); });`;
  // detached: a terminal's Ctrl-C goes to archctl, which then stops this child itself.
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], detached: true });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port?: number }) => (typeof m?.port === 'number' ? resolve(m.port) : reject(new Error('no port'))));
    child.once('error', (err) => reject(new ArchctlError(`cannot start local DynamoDB: ${err.message}`, 'reinstall archctl (npm ci)')));
    child.once('exit', (code) => reject(new ArchctlError(`local DynamoDB (dynalite) stopped at start (exit ${String(code)}): ${stderr.trim().split('\n').pop() ?? ''}`, 'reinstall archctl (npm ci), or check the --persist folder is writable')));
  });
  return {
    url: `http://${host}:${port}`,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
