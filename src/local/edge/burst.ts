// A release-day burst, measured: a folder of update files (random bytes from
// a fixed seed), the local origin and the local edge of the rendered offload
// template, then N downloads by C concurrent clients (keep-alive, at most C
// sockets) through the edge, and the same downloads against the origin
// directly for comparison. Every download is checked (status, length,
// SHA-256), and dynamic requests are mixed in (one after every
// `dynamicEvery` downloads) to check that each of them reached the origin.
// The edge phase starts with a cold cache, as a release does.
import { createCipheriv, createHash } from 'node:crypto';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOffloadFlags, dnsOrigin } from '../../core/offload/options.js';
import { renderOffloadStack } from '../../core/offload/stack.js';
import type { CfnTemplate } from '../../core/types.js';
import type { OriginStats } from './origin.js';
import { startEdgeStack } from './server.js';

export interface BurstOptions {
  files: number;
  fileBytes: number;
  downloads: number;
  concurrency: number;
  /** One dynamic request after every this many downloads (default 20; 0 for none). */
  dynamicEvery?: number;
  /** Default: the offload stack rendered with the default flags (its default paths include /updates/*). */
  template?: CfnTemplate;
  /** Seed of the files' bytes (default 'archctl-burst'). */
  seed?: string;
  /** Where the temporary folder of files is made (default the OS temp folder); it is removed afterwards. */
  workDir?: string;
}

export interface BurstPhase {
  downloads: number;
  failed: number;
  /** The first few failures, explained. */
  failures: string[];
  dynamicSent: number;
  /** Dynamic requests that did not get the origin's 200 JSON answer. */
  dynamicFailed: number;
  /** Dynamic requests the origin counted during the phase. */
  dynamicReachedOrigin: number;
  originRequests: number;
  originBytes: number;
  staticOriginRequests: number;
  staticOriginBytes: number;
  /** Body bytes of the verified downloads. */
  bytesDelivered: number;
  durationMs: number;
  downloadsPerSecond: number;
  bytesPerSecond: number;
}

export interface BurstReport {
  files: number;
  fileBytes: number;
  downloads: number;
  concurrency: number;
  dynamicEvery: number;
  withEdge: BurstPhase & { hits: number; misses: number; collapsed: number };
  direct: BurstPhase;
  /** How much less static-file traffic the origin served with the edge in front, in percent. */
  reductionPercent: number;
  dynamicAllReachedOrigin: boolean;
  /** The whole run: files, both phases, shutdown. */
  durationMs: number;
  /** Through the edge. */
  throughput: { downloadsPerSecond: number; bytesPerSecond: number };
}

/** The goal of issue 5: static origin bytes down by at least this much. */
export const BURST_REDUCTION_GOAL_PERCENT = 99;

/** The goals a burst missed, as sentences (empty: all met). */
export function burstMisses(r: BurstReport): string[] {
  const missed: string[] = [];
  if (!(r.reductionPercent >= BURST_REDUCTION_GOAL_PERCENT)) missed.push(`static origin bytes reduced by ${r.reductionPercent.toFixed(2)}%, goal >= ${BURST_REDUCTION_GOAL_PERCENT}%`);
  if (r.withEdge.failed > 0) missed.push(`${r.withEdge.failed} download(s) through the edge failed: ${r.withEdge.failures.join('; ')}`);
  if (r.direct.failed > 0) missed.push(`${r.direct.failed} direct download(s) failed: ${r.direct.failures.join('; ')}`);
  if (!r.dynamicAllReachedOrigin) missed.push(`dynamic requests reaching the origin: ${r.withEdge.dynamicReachedOrigin} of ${r.withEdge.dynamicSent}`);
  return missed;
}

const defaultTemplate = (): CfnTemplate => renderOffloadStack({ origin: dnsOrigin('origin.example.com'), ...checkOffloadFlags({}) });

interface UpdateFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** Deterministic random bytes (AES-256-CTR over zeros, keyed by the seed and the file name), written 1 MiB at a time; gives their SHA-256. */
async function writeUpdateFile(dir: string, name: string, bytes: number, seed: string): Promise<string> {
  const key = createHash('sha256').update(`${seed}/${name}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const hash = createHash('sha256');
  const zeros = Buffer.alloc(1024 * 1024);
  const file = await open(join(dir, name), 'w');
  try {
    for (let left = bytes; left > 0; left -= zeros.length) {
      const chunk = cipher.update(zeros.subarray(0, Math.min(left, zeros.length)));
      hash.update(chunk);
      await file.write(chunk);
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

interface Answer {
  status: number;
  bytes: number;
  sha256: string;
  body: Buffer | undefined;
}

function fetchOnce(agent: Agent, url: string, headers: Record<string, string>, keepBody: boolean): Promise<Answer> {
  return new Promise((ok, fail) => {
    const req = get(url, { agent, headers }, (res) => {
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
        if (keepBody) chunks.push(chunk);
      });
      res.on('end', () => ok({ status: res.statusCode ?? 0, bytes, sha256: hash.digest('hex'), body: keepBody ? Buffer.concat(chunks) : undefined }));
      res.on('error', fail);
    });
    req.setTimeout(120_000, () => req.destroy(new Error('no answer in 120 s')));
    req.on('error', fail);
  });
}

type Job = { kind: 'file'; file: UpdateFile } | { kind: 'dynamic' };

async function runPhase(baseUrl: string, headers: Record<string, string>, jobs: Job[], concurrency: number, originStats: () => OriginStats): Promise<BurstPhase> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const before = originStats();
  const failures: string[] = [];
  let failed = 0;
  let downloads = 0;
  let dynamicSent = 0;
  let dynamicFailed = 0;
  let bytesDelivered = 0;
  const fail = (what: string) => {
    failed++;
    if (failures.length < 5) failures.push(what);
  };
  let next = 0;
  const started = process.hrtime.bigint();
  async function worker() {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      if (job.kind === 'dynamic') {
        dynamicSent++;
        const a = await fetchOnce(agent, `${baseUrl}/api/status`, headers, true).catch((err: Error) => err);
        if (a instanceof Error || a.status !== 200 || !/"counter":\d+/.test(a.body!.toString('utf8'))) {
          dynamicFailed++;
          fail(`/api/status: ${a instanceof Error ? a.message : `status ${a.status}`}`);
        }
        continue;
      }
      downloads++;
      const a = await fetchOnce(agent, `${baseUrl}${job.file.path}`, headers, false).catch((err: Error) => err);
      if (a instanceof Error) fail(`${job.file.path}: ${a.message}`);
      else if (a.status !== 200) fail(`${job.file.path}: status ${a.status}`);
      else if (a.bytes !== job.file.bytes || a.sha256 !== job.file.sha256) fail(`${job.file.path}: ${a.bytes} bytes with another SHA-256 than the file's`);
      else bytesDelivered += a.bytes;
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  } finally {
    agent.destroy();
  }
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  const after = originStats();
  const seconds = durationMs / 1000;
  return {
    downloads,
    failed,
    failures,
    dynamicSent,
    dynamicFailed,
    dynamicReachedOrigin: after.dynamicRequests - before.dynamicRequests,
    originRequests: after.requests - before.requests,
    originBytes: after.bytes - before.bytes,
    staticOriginRequests: after.staticRequests - before.staticRequests,
    staticOriginBytes: after.staticBytes - before.staticBytes,
    bytesDelivered,
    durationMs,
    downloadsPerSecond: downloads / seconds,
    bytesPerSecond: bytesDelivered / seconds,
  };
}

/** Both phases on the files in `work`; durationMs is filled in by runBurst. */
async function measure(o: BurstOptions, work: string): Promise<BurstReport> {
  const dynamicEvery = o.dynamicEvery ?? 20;
  await mkdir(join(work, 'updates'));
  const files: UpdateFile[] = [];
  for (let i = 1; i <= o.files; i++) {
    const name = `release-${i}.zip`;
    const sha256 = await writeUpdateFile(join(work, 'updates'), name, o.fileBytes, o.seed ?? 'archctl-burst');
    files.push({ path: `/updates/${name}`, bytes: o.fileBytes, sha256 });
  }
  const jobs: Job[] = [];
  for (let i = 0; i < o.downloads; i++) {
    jobs.push({ kind: 'file', file: files[i % files.length]! });
    if (dynamicEvery > 0 && (i + 1) % dynamicEvery === 0) jobs.push({ kind: 'dynamic' });
  }
  const stack = await startEdgeStack({ template: o.template ?? defaultTemplate(), filesDir: work });
  try {
    const originStats = () => stack.stats().origin;
    const edgePhase = await runPhase(stack.edgeUrl, {}, jobs, o.concurrency, originStats);
    const edge = stack.stats().edge;
    // Without the edge there is no origin lock either: the direct clients carry its local secret (if any) to get past it.
    const direct = await runPhase(stack.originUrl, stack.localOriginHeaders, jobs, o.concurrency, originStats);
    return {
      files: o.files,
      fileBytes: o.fileBytes,
      downloads: o.downloads,
      concurrency: o.concurrency,
      dynamicEvery,
      withEdge: { ...edgePhase, hits: edge.hits, misses: edge.misses, collapsed: edge.collapsed },
      direct,
      reductionPercent: direct.staticOriginBytes > 0 ? 100 * (1 - edgePhase.staticOriginBytes / direct.staticOriginBytes) : 0,
      dynamicAllReachedOrigin: edgePhase.dynamicFailed === 0 && edgePhase.dynamicReachedOrigin === edgePhase.dynamicSent,
      durationMs: 0,
      throughput: { downloadsPerSecond: edgePhase.downloadsPerSecond, bytesPerSecond: edgePhase.bytesPerSecond },
    };
  } finally {
    await stack.close();
  }
}

export async function runBurst(o: BurstOptions): Promise<BurstReport> {
  for (const [name, v] of Object.entries({ files: o.files, fileBytes: o.fileBytes, downloads: o.downloads, concurrency: o.concurrency })) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`runBurst: ${name} must be a whole number >= 1, got ${v}`);
  }
  if (o.dynamicEvery !== undefined && (!Number.isInteger(o.dynamicEvery) || o.dynamicEvery < 0)) {
    throw new RangeError(`runBurst: dynamicEvery must be a whole number >= 0, got ${o.dynamicEvery}`);
  }
  const started = process.hrtime.bigint();
  const work = await mkdtemp(join(o.workDir ?? tmpdir(), 'archctl-burst-'));
  let report: BurstReport;
  try {
    report = await measure(o, work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  report.durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  return report;
}
