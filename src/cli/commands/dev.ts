import { isAbsolute, join, relative, resolve } from 'node:path';
import { startLocalStack, type DevEvent } from '../../actions/dev.js';
import { writeFileAtomic } from '../../actions/files.js';
import { resolveTarget } from '../../actions/project.js';
import { usageError } from '../../core/errors.js';
import type { CommandContext } from '../context.js';

interface DevOptions {
  dir: string;
  set: string[];
  port: string;
  outputsFile?: string;
  persist?: boolean;
}

const SERVICE_NAMES: Record<string, string> = {
  dynamodb: 'DynamoDB',
  s3: 'S3',
  'cognito-idp': 'Cognito user pool',
  'cognito-identity': 'Cognito identity pool',
  api: 'API Gateway',
};

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw usageError(`--port ${value} is not a port number`, 'pass an integer from 0 to 65535 (0 picks a free port)');
  return port;
}

/** Resolves on the first SIGINT or SIGTERM. */
/**
 * Resolves on the first SIGINT or SIGTERM. The listeners stay: a second
 * Ctrl-C while the stack stops is ignored instead of killing the process
 * half-way through its cleanup.
 */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const on = (signal: NodeJS.Signals) => resolveSignal(signal);
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export default async function devCommand(ctx: CommandContext, [pattern]: unknown[], opts: Record<string, unknown>): Promise<number> {
  const o = opts as unknown as DevOptions;
  const port = parsePort(o.port);
  const projectDir = resolve(ctx.io.cwd, o.dir);
  const target = resolveTarget({ pattern: pattern as string | undefined, dir: projectDir, sets: o.set });
  const outputsFile = o.outputsFile !== undefined ? resolve(ctx.io.cwd, o.outputsFile) : join(projectDir, '.archctl', 'local', 'outputs.json');
  const shown = (path: string) => {
    const rel = relative(ctx.io.cwd, path);
    return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  };
  const err = (line: string) => ctx.io.stderr.write(`${line}\n`);
  const onEvent = (e: DevEvent) => {
    if (e.type === 'rendered') err(`${e.pattern}: ${e.resources} resources`);
    else if (e.type === 'bundling' && ctx.global.verbose) err(`bundling ${e.logicalId} (${e.entry})`);
    else if (e.type === 'started') err(`started ${SERVICE_NAMES[e.service] ?? e.service} at ${e.url}`);
    else if (e.type === 'confirmation-code') err(`confirmation code for ${e.username}: ${e.code}`);
    else if (e.type === 'temporary-password') err(`temporary password for ${e.username}: ${e.password}`);
    else if (e.type === 'log') err(e.line);
  };

  // Signals that arrive while starting still stop the stack once it is up.
  const signal = untilSignal();
  const started = Date.now();
  const stack = await startLocalStack({
    pattern: target.pattern,
    parameters: target.parameters,
    dir: projectDir,
    port,
    persist: Boolean(o.persist),
    ...(target.project ? { name: target.project.name, region: target.project.region } : ctx.io.env.AWS_REGION ? { region: ctx.io.env.AWS_REGION } : {}),
    onEvent,
  });
  try {
    const json = JSON.stringify(stack.outputs, null, 2) + '\n';
    writeFileAtomic(outputsFile, json, { createDir: true });
    const width = Math.max(...Object.keys(stack.outputs).map((k) => k.length));
    for (const [key, value] of Object.entries(stack.outputs)) err(`  ${key.padEnd(width)}  ${value}`);
    if (ctx.global.json) ctx.io.stdout.write(json);
    err(`✔ ${target.pattern} running locally (ready in ${Date.now() - started} ms); outputs in ${shown(outputsFile)}`);
    err(`next: point your client at ApiUrl (sign in through CognitoEndpoint); Ctrl-C stops everything`);
    const got = await signal;
    err(`${got}: stopping`);
  } finally {
    await stack.close();
  }
  err('stopped');
  return 0;
}
