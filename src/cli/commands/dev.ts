import { isAbsolute, join, relative, resolve } from 'node:path';
import { startLocalStack, type DevEvent } from '../../actions/dev.js';
import { burstLocalOffload, startLocalOffload } from '../../actions/dev-offload.js';
import { burstMisses } from '../../local/edge/index.js';
import { parseSize } from '../../core/size.js';
import { formatBurst } from '../burst-report.js';
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
  files?: string;
  burst?: string | boolean;
  concurrency?: string;
  fileSize?: string;
}

const positive = (value: string, flag: string, max: number): number => {
  const n = Number(value.replace(/_/g, ''));
  if (!/^\d[\d_]*$/.test(value) || n < 1 || n > max) throw usageError(`${flag} ${value} is not a whole number from 1 to ${max.toLocaleString('en-US')}`, `pass ${flag} with such a number`);
  return n;
};

/** archctl dev offload: the local origin and edge, or with --burst the release-day proof. */
async function devOffload(ctx: CommandContext, o: DevOptions, parameters: Record<string, unknown>, projectDir: string, port: number): Promise<number> {
  const err = (line: string) => ctx.io.stderr.write(`${line}\n`);
  if (o.burst !== undefined) {
    const downloads = o.burst === true ? 10_000 : positive(String(o.burst), '--burst', 1_000_000);
    const concurrency = o.concurrency !== undefined ? positive(o.concurrency, '--concurrency', 2_000) : 200;
    const fileBytes = o.fileSize !== undefined ? parseSize(o.fileSize) : 1 << 20;
    // Five files are written to the temp folder, and each download is read whole: keep it to what a laptop holds.
    if (fileBytes > 256 << 20) throw usageError(`--file-size ${o.fileSize} is over 256 MiB`, 'the burst proves a ratio, which does not depend on the size: pass 1MiB, for example');
    err(`running the release-day burst: ${downloads} downloads through the local edge, then straight from the origin...`);
    const report = await burstLocalOffload({ parameters, downloads, files: 5, fileBytes, concurrency });
    if (ctx.global.json) ctx.io.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else ctx.io.stdout.write(formatBurst(report).join('\n') + '\n');
    const missed = burstMisses(report);
    for (const m of missed) err(`✖ ${m}`);
    if (missed.length === 0) err('✔ every goal met: static origin bytes down by at least 99%, no failed download, every dynamic request reached the origin');
    return missed.length === 0 ? 0 : 1;
  }
  const signal = untilSignal();
  const stack = await startLocalOffload({ parameters, filesDir: o.files !== undefined ? resolve(ctx.io.cwd, o.files) : undefined, projectDir, port });
  try {
    err(`origin (the app on EC2 + EFS, serving ${stack.filesDir}) at ${stack.originUrl}`);
    err(`edge (CloudFront's behaviours, from the rendered stack) at ${stack.edgeUrl}`);
    for (const b of stack.behaviours) err(`  ${b.pathPattern.padEnd(16)} ${b.cached ? `cached, TTL ${b.defaultTtl} s` : 'passed through, never cached'}`);
    if (ctx.global.json) ctx.io.stdout.write(JSON.stringify({ EdgeUrl: stack.edgeUrl, OriginUrl: stack.originUrl, FilesDir: stack.filesDir }, null, 2) + '\n');
    err(`✔ offload running locally; try: curl -sI ${stack.edgeUrl}/updates/app-2.4.1.zip (X-Cache tells hit or miss); Ctrl-C stops it`);
    const got = await signal;
    err(`${got}: stopping`);
  } finally {
    await stack.close();
  }
  err('stopped');
  return 0;
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
  if (target.pattern === 'offload') return devOffload(ctx, o, target.parameters, projectDir, port);
  for (const flag of ['files', 'burst', 'concurrency', 'fileSize'] as const) {
    if (o[flag] !== undefined) throw usageError(`--${flag.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)} is for archctl dev offload`, `leave it out for ${target.pattern}`);
  }
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
