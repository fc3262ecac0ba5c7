// The release-day burst of issue 5, measured on loopback: 10,000 downloads of
// 5 update files by 200 concurrent clients through the local edge of the
// rendered offload template (defaults), against the same downloads from the
// local origin directly. Goals: static origin bytes reduced by at least 99%,
// no failed download (each one checked by length and SHA-256), and every
// dynamic request (one per 20 downloads) reaching the origin.
// BENCH_BURST_DOWNLOADS (10000), BENCH_BURST_FILE_BYTES (262144),
// BENCH_BURST_CONCURRENCY (200) and BENCH_BURST_FILES (5) tune it. The file
// size keeps both phases (2 x 2.5 GB on loopback, hashed) well under a minute
// on a 2-core machine; the reduction does not depend on it.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './common.mjs';

/** src/local/edge/burst.ts compiled on the fly (it is TypeScript; the built CLI bundles it only into commands). */
async function loadBurst(work) {
  const out = join(work, 'burst.mjs');
  await build({ entryPoints: [join(root, 'src/local/edge/burst.ts')], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
  return import(pathToFileURL(out).href);
}

const positive = (name, dflt) => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a whole number >= 1, got ${process.env[name]}`);
  return v;
};

const size = (b) => (b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(2)} GiB` : b >= 1024 ** 2 ? `${(b / 1024 ** 2).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`);
const rate = (bps) => `${(bps / 1024 ** 2).toFixed(0)} MiB/s`;

/** Prints the table; returns how many goals were missed. */
export async function benchOffloadBurst() {
  const options = {
    files: positive('BENCH_BURST_FILES', 5),
    fileBytes: positive('BENCH_BURST_FILE_BYTES', 256 * 1024),
    downloads: positive('BENCH_BURST_DOWNLOADS', 10_000),
    concurrency: positive('BENCH_BURST_CONCURRENCY', 200),
    dynamicEvery: 20,
  };
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(join(cache, 'archctl-bench-burst-'));
  try {
    const { runBurst, burstMisses, BURST_REDUCTION_GOAL_PERCENT } = await loadBurst(work);
    const r = await runBurst(options);
    const misses = burstMisses(r);
    const e = r.withEdge;
    const d = r.direct;
    console.log(
      `\nrelease-day burst: ${r.downloads} downloads of ${r.files} files x ${size(r.fileBytes)} (${r.fileBytes} bytes) by ${r.concurrency} clients, ` +
        `1 dynamic request per ${r.dynamicEvery}, loopback; the edge applies the rendered offload template (default flags)`,
    );
    console.log(`${'scenario'.padEnd(14)} ${'origin req'.padStart(10)} ${'static bytes'.padStart(13)} ${'dynamic'.padStart(9)} ${'failed'.padStart(6)} ${'time'.padStart(8)} ${'dl/s'.padStart(7)} ${'to clients'.padStart(11)}`);
    const row = (name, p) =>
      console.log(
        `${name.padEnd(14)} ${String(p.originRequests).padStart(10)} ${size(p.staticOriginBytes).padStart(13)} ${`${p.dynamicReachedOrigin}/${p.dynamicSent}`.padStart(9)} ` +
          `${String(p.failed).padStart(6)} ${`${(p.durationMs / 1000).toFixed(1)}s`.padStart(8)} ${p.downloadsPerSecond.toFixed(0).padStart(7)} ${rate(p.bytesPerSecond).padStart(11)}`,
      );
    row('origin direct', d);
    row('through edge', e);
    console.log(`edge: ${e.misses} misses, ${e.hits} hits (${e.collapsed} collapsed onto an in-flight miss); whole run ${(r.durationMs / 1000).toFixed(1)}s`);
    const verdict = (ok, text) => `${text} ${ok ? 'ok' : 'MISSED'}`;
    console.log(verdict(r.reductionPercent >= BURST_REDUCTION_GOAL_PERCENT, `static origin bytes reduced ${r.reductionPercent.toFixed(2)}%: goal >= ${BURST_REDUCTION_GOAL_PERCENT}%`));
    console.log(verdict(e.failed === 0 && d.failed === 0, `failed downloads ${e.failed + d.failed}: goal 0`));
    console.log(verdict(r.dynamicAllReachedOrigin, `dynamic requests at the origin ${e.dynamicReachedOrigin}/${e.dynamicSent}: goal all`));
    for (const m of misses) console.log(`  missed: ${m}`);
    return misses.length;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
