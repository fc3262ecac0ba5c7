import { describe, expect, it } from 'vitest';
import {
  checkEstimateFlags, DEFAULT_HIT_RATIO, estimateOffload, formatEstimate, formatNumber, formatUsd, originFleet, parseCount,
  parseHitRatio, parsePriceClass, roundUsd, tieredCost, type CostLine, type EstimateFlags, type EstimateResult, type ScenarioCost,
} from '../../src/core/offload/estimate.js';
import { CLOUDFRONT_DATA_OUT_NA_EU, ORIGIN_DATA_OUT_US_EAST_1, PRICE_SOURCES, PRICES_AS_OF } from '../../src/core/offload/prices.js';
import { failure } from '../support/errors.js';

const GIB = 2 ** 30;


const estimate = (flags: EstimateFlags): EstimateResult => estimateOffload(checkEstimateFlags(flags));
const line = (s: ScenarioCost, item: string): CostLine => {
  const found = s.lines.find((l) => l.item === item);
  if (!found) throw new Error(`no line ${item} in ${s.lines.map((l) => l.item).join(', ')}`);
  return found;
};

describe('the worked example: 100,000 downloads of a 500 MB file a month', () => {
  // GIVEN the defaults: hit ratio 95%, PriceClass_100, us-east-1, no Origin Shield, no free tiers
  const r = estimate({ monthlyDownloads: '100k', fileSize: '500MB' });
  // 100,000 × 500,000,000 bytes = 5e13 bytes = 5e13 / 2^30 = 46,566.13 GB (AWS's GB is 2^30 bytes)
  const gb = 5e13 / GIB;

  it('counts the traffic in AWS GB', () => {
    expect(r.traffic.monthlyBytes).toBe(5e13);
    expect(r.traffic.monthlyGb).toBeCloseTo(46_566.1287, 4);
    expect(r.traffic.requests).toBe(100_000);
    expect(r.traffic.originGb).toBeCloseTo(gb * 0.05, 6);
    expect(r.traffic.originRequests).toBeCloseTo(5000, 6);
  });

  it('without CloudFront: tiered internet transfer, ALB hours and LCUs, the origin fleet', () => {
    const w = r.withoutCloudFront;
    // first 10 TB (10,240 GB) at $0.09, the remaining 36,326.13 GB at $0.085: 921.60 + 3,087.72
    expect(line(w, 'Data transfer out to the internet').amountUsd).toBe(4009.32);
    expect(line(w, 'Data transfer out to the internet').bands).toEqual([
      { gb: 10_240, usdPerGb: 0.09 },
      { gb: gb - 10_240, usdPerGb: 0.085 },
    ]);
    // 730 h × $0.0225 = 16.425, rounded half up
    expect(line(w, 'Load balancer hours').amountUsd).toBe(16.43);
    // 46,566.13 GB processed = 46,566.13 LCU-hours × $0.008 = 372.529
    expect(line(w, 'Load balancer LCUs').amountUsd).toBe(372.53);
    // peak: 2.5e13 bytes in 48 h = 1.157 Gbit/s -> 2 instances at 0.75; rest: 0.08 Gbit/s -> the floor of 2
    // (2 × 48 + 2 × 682) h × $0.096 = 1,460 × 0.096 = 140.16
    expect(line(w, 'EC2 origin fleet').amountUsd).toBe(140.16);
    expect(w.totalUsd).toBe(4538.44);
  });

  it('with CloudFront: edge transfer and requests, free origin fetches, the origin sized for 5% misses', () => {
    const c = r.withCloudFront;
    // 10,240 GB at $0.085 + 36,326.13 GB at $0.080: 870.40 + 2,906.09
    expect(line(c, 'CloudFront data transfer out').amountUsd).toBe(3776.49);
    // 100,000 / 10,000 × $0.01
    expect(line(c, 'CloudFront HTTPS requests').amountUsd).toBe(0.1);
    expect(line(c, 'Origin to CloudFront transfer').amountUsd).toBe(0);
    expect(line(c, 'Load balancer hours').amountUsd).toBe(16.43);
    // 5% of 46,566.13 GB = 2,328.31 GB × $0.008 = 18.6265
    expect(line(c, 'Load balancer LCUs').amountUsd).toBe(18.63);
    expect(line(c, 'EC2 origin fleet').amountUsd).toBe(140.16);
    expect(c.lines.map((l) => l.item)).not.toContain('Origin Shield requests');
    expect(c.totalUsd).toBe(3951.81);
  });

  it('saves $586.63 a month, 12.9%', () => {
    expect(r.savingsUsd).toBe(586.63);
    // 586.63 / 4,538.44 = 12.926%
    expect(r.savingsPercent).toBe(12.9);
  });

  it('every total is the sum of its printed lines', () => {
    for (const s of [r.withoutCloudFront, r.withCloudFront]) {
      expect(s.totalUsd).toBe(roundUsd(s.lines.reduce((sum, l) => sum + l.amountUsd, 0)));
    }
  });

  it('returns its assumptions, the prices date and every source', () => {
    expect(r.pricesAsOf).toBe(PRICES_AS_OF);
    expect(r.sources).toEqual(PRICE_SOURCES);
    const text = r.assumptions.join('\n');
    expect(text).toMatch(/100,000 downloads × 500 MB = 46,566\.13 GB a month; a GB is 2\^30 bytes/);
    expect(text).toMatch(/One HTTPS GET per download \(factor 1\)/);
    expect(text).toMatch(/Hit ratio 95% \(the default\)/);
    expect(text).toMatch(/Free tiers not applied: the 100 GB of free internet transfer \(worth \$9\.00\)/);
    expect(text).toMatch(/worth \$97\.04/);
    expect(text).toMatch(/Origin prices \(EC2, load balancer, internet transfer\) are us-east-1's\./);
    expect(text).toMatch(/m6i\.large at 0\.75 Gbit\/s sustained/);
    expect(text).toMatch(/first 48 h \(release day\): without CloudFront that is 1\.16 Gbit\/s, 2 instances, then 0\.08 Gbit\/s, 2 instances/);
    expect(text).toMatch(/Origin Shield is off/);
    expect(text).toMatch(/6 of 11 price figures could not be read on AWS's own pages/);
  });

  it('is plain JSON (the CLI prints it with --json)', () => {
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('tier boundaries', () => {
  it('fills each band of the EC2 table in order', () => {
    expect(tieredCost(0, ORIGIN_DATA_OUT_US_EAST_1)).toEqual({ usd: 0, bands: [] });
    expect(tieredCost(10_240, ORIGIN_DATA_OUT_US_EAST_1).usd).toBeCloseTo(921.6, 9);
    expect(tieredCost(10_241, ORIGIN_DATA_OUT_US_EAST_1).usd).toBeCloseTo(921.6 + 0.085, 9);
    // 10 TB + 40 TB = 51,200 GB: 921.60 + 40,960 × 0.085 = 921.60 + 3,481.60
    expect(tieredCost(51_200, ORIGIN_DATA_OUT_US_EAST_1).usd).toBeCloseTo(4403.2, 9);
    // + 100 TB = 153,600 GB: + 102,400 × 0.07 = + 7,168
    expect(tieredCost(153_600, ORIGIN_DATA_OUT_US_EAST_1).usd).toBeCloseTo(11_571.2, 9);
    // over 150 TB at 0.05
    expect(tieredCost(163_600, ORIGIN_DATA_OUT_US_EAST_1).usd).toBeCloseTo(11_571.2 + 500, 9);
  });

  it('fills each band of the CloudFront table, down to the over-5-PB rate', () => {
    const fivePb = 5120 * 1024;
    // 10,240 × 0.085 + 40,960 × 0.08 + 102,400 × 0.06 + 358,400 × 0.04 + 536,576 × 0.03 + 4,194,304 × 0.025
    const atFivePb = 870.4 + 3276.8 + 6144 + 14_336 + 16_097.28 + 104_857.6;
    expect(tieredCost(fivePb, CLOUDFRONT_DATA_OUT_NA_EU).usd).toBeCloseTo(atFivePb, 6);
    expect(tieredCost(fivePb + 1000, CLOUDFRONT_DATA_OUT_NA_EU).usd).toBeCloseTo(atFivePb + 20, 6);
    expect(tieredCost(153_600, CLOUDFRONT_DATA_OUT_NA_EU).bands.map((b) => b.usdPerGb)).toEqual([0.085, 0.08, 0.06]);
  });

  it('prices exactly 10 TB and one GB more through the whole estimate', () => {
    // GIVEN 10,240 downloads of 1 GiB: exactly the first tier
    const at = estimate({ monthlyDownloads: '10240', fileSize: '1GiB' });
    expect(line(at.withoutCloudFront, 'Data transfer out to the internet').amountUsd).toBe(921.6);
    expect(line(at.withCloudFront, 'CloudFront data transfer out').amountUsd).toBe(870.4);
    // WHEN one more download THEN that GB is billed at the second tier's rate
    const over = estimate({ monthlyDownloads: '10241', fileSize: '1GiB' });
    expect(line(over.withoutCloudFront, 'Data transfer out to the internet').amountUsd).toBe(921.69);
    expect(line(over.withCloudFront, 'CloudFront data transfer out').amountUsd).toBe(870.48);
  });

  it('deducts the free tiers from the first band only when asked', () => {
    // 200 downloads × 1 GiB = 200 GB: 100 GB free without CloudFront, all of it within CloudFront's free 1 TB
    const free = estimate({ monthlyDownloads: '200', fileSize: '1GiB', freeTier: true });
    expect(line(free.withoutCloudFront, 'Data transfer out to the internet')).toMatchObject({
      amountUsd: 9,
      detail: '200.00 GB (100.00 free) at $0.09 per GB',
    });
    expect(line(free.withCloudFront, 'CloudFront data transfer out').detail).toBe('200.00 GB (200.00 free)');
    expect(line(free.withCloudFront, 'CloudFront data transfer out').amountUsd).toBe(0);
    expect(line(free.withCloudFront, 'CloudFront HTTPS requests').amountUsd).toBe(0);
    expect(free.assumptions.join('\n')).toMatch(/Free tiers applied/);
    // the free 100 GB sits inside the first 10 TB: 10,240 GB costs (10,240 - 100) × 0.09
    const tierEdge = estimate({ monthlyDownloads: '10240', fileSize: '1GiB', freeTier: true });
    expect(line(tierEdge.withoutCloudFront, 'Data transfer out to the internet').amountUsd).toBe(912.6);
    // and past 10 million requests the rest are billed: 12M - 10M = 2M × $0.01 / 10,000
    const requests = estimate({ monthlyDownloads: '12M', fileSize: '1kB', freeTier: true });
    expect(line(requests.withCloudFront, 'CloudFront HTTPS requests').amountUsd).toBe(2);
  });
});

describe('hit ratio 0 and 1', () => {
  it('0: the origin still serves every byte through CloudFront, so its ALB and fleet cost what they did', () => {
    const r = estimate({ monthlyDownloads: '100k', fileSize: '500MB', hitRatio: '0', originShield: true });
    for (const item of ['Load balancer hours', 'Load balancer LCUs', 'EC2 origin fleet']) {
      expect(line(r.withCloudFront, item).amountUsd).toBe(line(r.withoutCloudFront, item).amountUsd);
    }
    expect(r.traffic.originRequests).toBe(100_000);
    // every request goes through Origin Shield: 100,000 / 10,000 × $0.0075
    expect(line(r.withCloudFront, 'Origin Shield requests').amountUsd).toBe(0.08);
    // the only difference left is the transfer price: (0.09 - 0.085) × 10,240 + (0.085 - 0.08) × 36,326.13 = 232.83, less requests
    expect(r.savingsUsd).toBe(roundUsd(4009.32 - 3776.49 - 0.1 - 0.08));
    expect(r.assumptions.join('\n')).toMatch(/Hit ratio 0%: that share/);
  });

  it('1: nothing reaches the origin; the fleet is at its floor and the ALB bills only its hours', () => {
    const r = estimate({ monthlyDownloads: '100k', fileSize: '500MB', hitRatio: '100%', originShield: true });
    expect(r.traffic.originGb).toBe(0);
    expect(line(r.withCloudFront, 'Load balancer LCUs').amountUsd).toBe(0);
    expect(line(r.withCloudFront, 'Origin Shield requests').amountUsd).toBe(0);
    // 2 instances × 730 h × $0.096
    expect(line(r.withCloudFront, 'EC2 origin fleet').amountUsd).toBe(140.16);
    expect(r.withCloudFront.totalUsd).toBe(roundUsd(3776.49 + 0.1 + 16.43 + 140.16));
  });
});

describe('the origin fleet', () => {
  const model = checkEstimateFlags({ monthlyDownloads: '1', fileSize: '1MB' }).model;

  it('sizes the release-day peak and the rest of the month separately', () => {
    // 1M × 1.5 GiB = 1.61e15 bytes; half in 48 h = 37.28 Gbit/s -> 50 instances at 0.75 Gbit/s;
    // the other half over 682 h = 2.62 Gbit/s -> 4 instances
    const fleet = originFleet(1_000_000 * 1.5 * GIB, model);
    expect(fleet.peakGbit).toBeCloseTo(37.28, 2);
    expect(fleet.peakInstances).toBe(50);
    expect(fleet.restInstances).toBe(4);
    expect(fleet.instanceHours).toBe(50 * 48 + 4 * 682);
  });

  it('never drops below the floor, and a whole-month peak leaves no rest', () => {
    expect(originFleet(0, model).instanceHours).toBe(2 * 730);
    const allAtOnce = originFleet(1e12, { ...model, peakShare: 1, peakHours: 730 });
    expect(allAtOnce.restInstances).toBe(0);
    expect(allAtOnce.instanceHours).toBe(2 * 730);
  });

  it('counts exactly full instances without a spare', () => {
    // 0.75 Gbit/s for 48 h is 1.62e13 bytes: exactly one instance's worth, so one instance, not two
    expect(originFleet(2 * 1.62e13, { ...model, minInstances: 0 }).peakInstances).toBe(1);
  });
});

describe('regions and price classes', () => {
  it('prices a known region with us-east-1 rates and says so', () => {
    const r = estimate({ monthlyDownloads: '10k', fileSize: '1GB', region: 'eu-west-1' });
    expect(r.inputs.region).toBe('eu-west-1');
    expect(r.assumptions.join('\n')).toMatch(/are us-east-1's; eu-west-1's differ.*https:\/\/aws\.amazon\.com\/ec2\/pricing\/on-demand\//);
  });

  it('refuses an unknown region code with the nearest one (exit 1, as every region check)', () => {
    const err = failure(() => checkEstimateFlags({ monthlyDownloads: '1', fileSize: '1MB', region: 'eu-west-9' }));
    expect(err.exitCode).toBe(1);
    expect(err.message).toMatch(/unknown AWS region "eu-west-9" \(from --region\)/);
    expect(err.fix).toMatch(/eu-west-/);
  });

  it('notes that PriceClass_200 and PriceClass_All cost more outside North America and Europe', () => {
    const r = estimate({ monthlyDownloads: '10k', fileSize: '1GB', priceClass: 'PriceClass_All' });
    expect(r.assumptions.join('\n')).toMatch(/PriceClass_All also serves from edges outside North America and Europe, billed at \$0\.109-\$0\.12 per GB/);
    expect(estimate({ monthlyDownloads: '10k', fileSize: '1GB' }).assumptions.join('\n')).toMatch(/PriceClass_100 serves from North America and Europe edges/);
  });

  it.each([
    ['PriceClass_100', 'PriceClass_100'],
    ['priceclass_200', 'PriceClass_200'],
    ['all', 'PriceClass_All'],
    ['100', 'PriceClass_100'],
  ])('price class %j is %s', (text, cls) => {
    expect(parsePriceClass(text)).toBe(cls);
  });

  it('refuses another price class as a usage error', () => {
    const err = failure(() => parsePriceClass('PriceClass_50'));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('--price-class PriceClass_50 is not a price class');
    expect(err.fix).toMatch(/PriceClass_100 \(North America and Europe\), PriceClass_200 or PriceClass_All/);
  });
});

describe('parseCount (--monthly-downloads)', () => {
  it.each([
    ['100000', 100_000],
    ['10k', 10_000],
    ['10K', 10_000],
    ['1.5M', 1_500_000],
    ['2m', 2_000_000],
    ['100,000', 100_000],
    [' 7 ', 7],
  ])('%j is %d', (text, n) => {
    expect(parseCount(text)).toBe(n);
  });

  it.each([
    ['', /is empty/],
    ['-5', /-5 is negative/],
    ['0', /0 is zero/],
    ['1.2345k', /1\.2345k is 1234\.5, not a whole number/],
    ['1.5', /1\.5 is 1\.5, not a whole number/],
    ['10%', /"10%" is not a count/],
    ['2B', /"2B" is not a count/],
    ['ten', /"ten" is not a count/],
    ['1,00', /"1,00" is not a count/],
    ['99999999999M', /too large/],
  ])('%j is refused as a usage error with the form to use', (text, message) => {
    const err = failure(() => parseCount(text));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.message.startsWith('--monthly-downloads')).toBe(true);
    expect(err.fix).toMatch(/such as 10k or 1\.5M/);
  });
});

describe('parseHitRatio (--hit-ratio)', () => {
  it.each([
    ['0.95', 0.95],
    ['95%', 0.95],
    ['.9', 0.9],
    ['0', 0],
    ['1', 1],
    ['100%', 1],
    ['0%', 0],
    ['99.5 %', 0.995],
  ])('%j is %d', (text, ratio) => {
    expect(parseHitRatio(text)).toBeCloseTo(ratio, 12);
  });

  it.each([
    ['95', /--hit-ratio 95 is above 1/, /write 0\.95 or 95%/],
    ['150', /--hit-ratio 150 is above 1/, /fraction from 0 to 1/],
    ['101%', /above 100%/, /fraction from 0 to 1/],
    ['-0.1', /is negative/, /such as 0\.95/],
    ['high', /"high" is not a ratio/, /95%/],
    ['0.9x', /"0\.9x" is not a ratio/, /95%/],
  ])('%j is refused as a usage error with the fix', (text, message, fix) => {
    const err = failure(() => parseHitRatio(text));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.fix).toMatch(fix);
  });
});

describe('checkEstimateFlags', () => {
  it('fills the defaults: hit ratio 0.95, us-east-1, PriceClass_100, no Origin Shield, no free tiers', () => {
    const input = checkEstimateFlags({ monthlyDownloads: '1.5M', fileSize: '250MB' });
    expect(input).toMatchObject({
      monthlyDownloads: 1_500_000,
      fileSizeBytes: 250_000_000,
      hitRatio: DEFAULT_HIT_RATIO,
      region: 'us-east-1',
      priceClass: 'PriceClass_100',
      originShield: false,
      freeTier: false,
    });
    expect(DEFAULT_HIT_RATIO).toBe(0.95);
    expect(input.model).toEqual({
      instanceType: 'm6i.large', instanceUsdPerHour: 0.096, sustainedGbitPerInstance: 0.75, minInstances: 2, peakShare: 0.5, peakHours: 48, requestsPerDownload: 1,
    });
  });

  it('turns Origin Shield on for --origin-shield with or without a region', () => {
    expect(checkEstimateFlags({ monthlyDownloads: '1', fileSize: '1MB', originShield: true }).originShield).toBe(true);
    expect(checkEstimateFlags({ monthlyDownloads: '1', fileSize: '1MB', originShield: 'us-east-1' }).originShield).toBe(true);
  });

  it.each([
    [{ fileSize: '1MB' }, '--estimate needs --monthly-downloads', /add --monthly-downloads N/],
    [{ monthlyDownloads: '10k' }, '--estimate needs --file-size', /add --file-size SIZE, such as 250MB/],
  ])('refuses missing flags as usage errors: %j', (flags, message, fix) => {
    const err = failure(() => checkEstimateFlags(flags));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe(message);
    expect(err.fix).toMatch(fix);
  });

  it('passes on the parsers\' errors, each naming its flag', () => {
    expect(() => checkEstimateFlags({ monthlyDownloads: 'x', fileSize: '1MB' })).toThrow(/--monthly-downloads/);
    expect(() => checkEstimateFlags({ monthlyDownloads: '1', fileSize: '1' })).toThrow(/--file-size/);
    expect(() => checkEstimateFlags({ monthlyDownloads: '1', fileSize: '1MB', hitRatio: '2' })).toThrow(/--hit-ratio/);
    expect(() => checkEstimateFlags({ monthlyDownloads: '1', fileSize: '1MB', priceClass: 'x' })).toThrow(/--price-class/);
  });
});

describe('formatting', () => {
  it.each([
    [0, '$0.00'],
    [0.1, '$0.10'],
    [16.43, '$16.43'],
    [4538.44, '$4,538.44'],
    [1_234_567.891, '$1,234,567.89'],
    [-12.3, '-$12.30'],
  ])('%d dollars read %j', (usd, text) => {
    expect(formatUsd(usd)).toBe(text);
  });

  it('groups thousands and keeps the decimals asked for', () => {
    expect(formatNumber(46_566.128730773926)).toBe('46,566.13');
    expect(formatNumber(1_000_000, 0)).toBe('1,000,000');
    expect(formatNumber(999)).toBe('999.00');
    expect(formatNumber(-0.001)).toBe('0.00');
  });

  it('rounds cents half up despite binary floats', () => {
    expect(roundUsd(16.425)).toBe(16.43);
    expect(roundUsd(1.005)).toBe(1.01);
    expect(roundUsd(0.004)).toBe(0);
  });

  it('prints both scenarios as one aligned table, then the savings and the assumptions', () => {
    const r = estimate({ monthlyDownloads: '100k', fileSize: '500MB' });
    const out = formatEstimate(r);
    expect(out[0]).toBe(`Monthly estimate, prices as of ${PRICES_AS_OF}`);
    const amountRows = out.filter((l) => /\$[\d,]+\.\d\d$/.test(l) && l.startsWith('  '));
    expect(amountRows).toHaveLength(r.withoutCloudFront.lines.length + r.withCloudFront.lines.length + 2);
    // every amount ends in the same column and every detail starts in the same column
    expect(new Set(amountRows.map((l) => l.length)).size).toBe(1);
    const items = [...r.withoutCloudFront.lines, ...r.withCloudFront.lines].map((l) => `  ${l.item}`);
    const detailColumn = Math.max(...items.map((i) => i.length)) + 2;
    for (const row of amountRows.filter((l) => !l.startsWith('  Total'))) {
      expect(row.slice(detailColumn - 2, detailColumn), row).toBe('  ');
      expect(row[detailColumn], row).not.toBe(' ');
    }
    expect(out).toContain('Without CloudFront (the origin serves every download)');
    expect(out).toContain('With CloudFront (PriceClass_100, hit ratio 95%)');
    expect(out.find((l) => l.startsWith('  Data transfer out to the internet'))).toMatch(/46,566\.13 GB at \$0\.09 down to \$0\.085 per GB +\$4,009\.32$/);
    expect(out.find((l) => l.startsWith('  EC2 origin fleet'))).toMatch(/\(2 × 48 h \+ 2 × 682 h\) × \$0\.096 \(m6i\.large\) +\$140\.16$/);
    expect(out.filter((l) => l.startsWith('  Total'))).toEqual([expect.stringMatching(/\$4,538\.44$/), expect.stringMatching(/\$3,951\.81$/)]);
    expect(out).toContain('Savings with CloudFront: $586.63 a month (12.9%)');
    expect(out).toContain('Assumptions:');
    for (const a of r.assumptions) expect(out).toContain(`  - ${a}`);
    const unverified = out.slice(out.indexOf('Unverified figures (last published values; check the page):') + 1);
    expect(unverified).toHaveLength(PRICE_SOURCES.filter((s) => !s.verified).length);
    expect(unverified[0]).toMatch(/^ {2}- CloudFront HTTPS requests.*\(https:\/\/aws\.amazon\.com\/cloudfront\/pricing\/\)$/);
  });

  it('says how much more CloudFront costs when it does', () => {
    // GIVEN a million tiny downloads that all miss the cache: requests and Origin Shield outweigh the transfer saved
    const r = estimate({ monthlyDownloads: '1M', fileSize: '1kB', hitRatio: '0', originShield: true });
    expect(r.savingsUsd).toBeLessThan(0);
    // 1,000,000 / 10,000 × ($0.01 + $0.0075) = 1.75, less (0.09 - 0.085) × 0.93 GB
    expect(r.savingsUsd).toBe(-1.75);
    expect(formatEstimate(r)).toContain(`CloudFront costs $1.75 a month more (${-r.savingsPercent}%)`);
  });
});

describe('the price table', () => {
  it('names a source, a date and a verdict for every figure, and explains every unverified one', () => {
    for (const s of PRICE_SOURCES) {
      expect(s.url).toMatch(/^https:\/\/(aws\.amazon\.com|docs\.aws\.amazon\.com)\//);
      expect(s.readOn).toBe(PRICES_AS_OF);
      if (!s.verified) expect(s.note, s.figure).toBeTruthy();
    }
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('keeps tiers falling and ends each table with an open band', () => {
    for (const tiers of [ORIGIN_DATA_OUT_US_EAST_1, CLOUDFRONT_DATA_OUT_NA_EU]) {
      const rates = tiers.map((t) => t.usdPerGb);
      expect([...rates].sort((a, b) => b - a)).toEqual(rates);
      expect(tiers.at(-1)!.sizeGb).toBe(Infinity);
    }
  });
});
