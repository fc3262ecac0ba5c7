import { formatSize } from '../core/size.js';
import type { BurstReport } from '../local/edge/index.js';

const n = (x: number) => x.toLocaleString('en-US');

/** The release-day burst as a table: the origin's work with and without the edge in front. */
export function formatBurst(r: BurstReport): string[] {
  const rows: [string, string, string][] = [
    ['', 'origin alone', 'edge in front'],
    ['downloads (verified by SHA-256)', `${n(r.direct.downloads - r.direct.failed)} of ${n(r.direct.downloads)}`, `${n(r.withEdge.downloads - r.withEdge.failed)} of ${n(r.withEdge.downloads)}`],
    ['origin requests, static files', n(r.direct.staticOriginRequests), n(r.withEdge.staticOriginRequests)],
    ['origin bytes, static files', formatSize(r.direct.staticOriginBytes), formatSize(r.withEdge.staticOriginBytes)],
    ['dynamic requests reaching the origin', `${n(r.direct.dynamicReachedOrigin)} of ${n(r.direct.dynamicSent)}`, `${n(r.withEdge.dynamicReachedOrigin)} of ${n(r.withEdge.dynamicSent)}`],
    ['time', `${(r.direct.durationMs / 1000).toFixed(1)} s`, `${(r.withEdge.durationMs / 1000).toFixed(1)} s`],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  return [
    `release-day burst: ${n(r.downloads)} downloads of ${r.files} files of ${formatSize(r.fileBytes)} by ${r.concurrency} concurrent clients, 1 dynamic request every ${r.dynamicEvery}`,
    ...rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`),
    `  edge: ${n(r.withEdge.hits)} hits, ${n(r.withEdge.misses)} misses (${n(r.withEdge.collapsed)} collapsed into a request already on its way)`,
    `  static origin bytes reduced by ${r.reductionPercent.toFixed(2)}% (goal: at least 99%)`,
  ];
}
