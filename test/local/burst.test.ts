// A small release-day burst through the local edge of the REAL rendered
// offload template (renderOffloadStack with the default flags, and with
// --lock-origin): every download verified, the static origin bytes cut by at
// least 99 %, every dynamic request seen by the origin, nothing left open.
import { describe, expect, it } from 'vitest';
import { checkOffloadFlags, dnsOrigin } from '../../src/core/offload/options.js';
import { renderOffloadStack } from '../../src/core/offload/stack.js';
import { BURST_REDUCTION_GOAL_PERCENT, burstMisses, runBurst, type BurstReport } from '../../src/local/edge/burst.js';

const sockets = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
/** The count once closed client connections have been freed too; bounded. */
async function socketsSettle(baseline: number): Promise<number> {
  for (let i = 0; i < 50 && sockets() > baseline; i++) await new Promise((ok) => setTimeout(ok, 10));
  return sockets();
}

describe('runBurst', () => {
  it('600 downloads of 5 x 256 KB files by 50 clients: >= 99% fewer static origin bytes, no failure, every dynamic request at the origin', async () => {
    // GIVEN the default offload template and no sockets of ours open
    const before = sockets();
    // WHEN the burst runs
    const r = await runBurst({ files: 5, fileBytes: 256 * 1024, downloads: 600, concurrency: 50 });
    // THEN every download checked out, both ways
    expect(burstMisses(r)).toEqual([]);
    expect(r.withEdge).toMatchObject({ downloads: 600, failed: 0, bytesDelivered: 600 * 256 * 1024, dynamicSent: 30, dynamicReachedOrigin: 30 });
    expect(r.direct).toMatchObject({ downloads: 600, failed: 0, staticOriginRequests: 600, staticOriginBytes: 600 * 256 * 1024, dynamicReachedOrigin: 30 });
    // AND the origin saw each file once through the edge (collapsed misses), and every dynamic request
    expect(r.withEdge.staticOriginRequests).toBe(5);
    expect(r.withEdge.staticOriginBytes).toBe(5 * 256 * 1024);
    expect(r.withEdge.originRequests).toBe(5 + 30);
    expect(r.withEdge.misses).toBe(5);
    expect(r.withEdge.hits).toBe(595);
    expect(r.reductionPercent).toBeCloseTo(100 * (1 - 5 / 600), 6);
    expect(r.reductionPercent).toBeGreaterThanOrEqual(BURST_REDUCTION_GOAL_PERCENT);
    expect(r.dynamicAllReachedOrigin).toBe(true);
    expect(r.durationMs).toBeGreaterThan(r.withEdge.durationMs + r.direct.durationMs - 1);
    // AND nothing is left listening or connected
    expect(await socketsSettle(before)).toBe(before);
  });

  it('with --lock-origin the edge carries the origin secret, and the direct comparison still works', async () => {
    const template = renderOffloadStack({ origin: dnsOrigin('origin.example.com'), ...checkOffloadFlags({ lockOrigin: true }) });
    const r = await runBurst({ template, files: 2, fileBytes: 64 * 1024, downloads: 300, concurrency: 20, dynamicEvery: 10 });
    expect(burstMisses(r)).toEqual([]);
    expect(r.withEdge.staticOriginRequests).toBe(2);
    expect(r.withEdge.dynamicReachedOrigin).toBe(30);
    expect(r.direct.failed).toBe(0);
  });

  it('reports a missed goal: a behaviour that caches nothing gives no reduction', async () => {
    // GIVEN a template whose only behaviour is CachingDisabled
    const template = renderOffloadStack({ origin: dnsOrigin('origin.example.com'), ...checkOffloadFlags({ paths: ['/nothing-matches/*'] }) });
    // WHEN the burst runs
    const r: BurstReport = await runBurst({ template, files: 2, fileBytes: 16 * 1024, downloads: 40, concurrency: 8 });
    // THEN every byte still came from the origin, and the report says the goal was missed
    expect(r.withEdge.staticOriginBytes).toBe(r.direct.staticOriginBytes);
    expect(r.reductionPercent).toBe(0);
    expect(burstMisses(r)).toEqual([`static origin bytes reduced by 0.00%, goal >= ${BURST_REDUCTION_GOAL_PERCENT}%`]);
  });

  it('refuses nonsense sizes', async () => {
    await expect(runBurst({ files: 0, fileBytes: 1, downloads: 1, concurrency: 1 })).rejects.toThrow(/files must be a whole number >= 1/);
    await expect(runBurst({ files: 1, fileBytes: 1, downloads: 1, concurrency: 1, dynamicEvery: -1 })).rejects.toThrow(/dynamicEvery/);
  });
});
