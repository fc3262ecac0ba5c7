import { usageError } from '../errors.js';
import { checkRegion } from '../regions.js';
import { formatSize, parseSize } from '../size.js';
import type { PriceClass } from './options.js';
import {
  ALB_GB_PER_LCU_HOUR, ALB_USD_PER_HOUR, ALB_USD_PER_LCU_HOUR, CLOUDFRONT_DATA_OUT_NA_EU, CLOUDFRONT_FREE, CLOUDFRONT_HTTPS_PER_10K,
  CLOUDFRONT_ORIGIN_SHIELD_PER_10K, CLOUDFRONT_OTHER_EDGES_FIRST_TIER, EC2_PRICING_URL, GB_BYTES, HOURS_PER_MONTH, ORIGIN_DATA_OUT_US_EAST_1,
  ORIGIN_FREE_GB, ORIGIN_INSTANCE, ORIGIN_PRICE_REGION, PRICE_SOURCES, PRICES_AS_OF, type PriceSource, type Tier,
} from './prices.js';

/**
 * `archctl offload --estimate`: what delivering N downloads of one file a
 * month costs with the origin (EC2 behind an ALB) serving every byte, and
 * with CloudFront in front. Pure arithmetic on the price table; every
 * assumption is returned as a sentence so the CLI prints the same reasoning
 * the numbers come from.
 */

export type { PriceClass };

/**
 * Update files never change and a release makes everyone fetch the same few
 * objects, so after the first fetch per edge and file nearly every download
 * is a hit. 95% leaves room for many edges, several files, evictions of
 * rarely fetched files and the first fetches themselves.
 */
export const DEFAULT_HIT_RATIO = 0.95;

/** How the origin fleet is sized; defaults below, all echoed in the result. */
export interface OriginModel {
  instanceType: string;
  instanceUsdPerHour: number;
  /** what one instance keeps up for hours, not its burst */
  sustainedGbitPerInstance: number;
  /** the fleet's floor, whatever the traffic */
  minInstances: number;
  /** share of the month's downloads that arrive in the first `peakHours` (release day) */
  peakShare: number;
  peakHours: number;
  /** 1: one GET per download; resumed or ranged downloads would add requests, not bytes */
  requestsPerDownload: number;
}

export const DEFAULT_ORIGIN_MODEL: Readonly<OriginModel> = {
  instanceType: ORIGIN_INSTANCE.type,
  instanceUsdPerHour: ORIGIN_INSTANCE.usdPerHour,
  // Below the 0.781 Gbit/s baseline: headroom for TLS, EFS reads and the app itself.
  sustainedGbitPerInstance: 0.75,
  // One instance in each of two Availability Zones: the smallest fleet an ALB keeps available.
  minInstances: 2,
  peakShare: 0.5,
  peakHours: 48,
  requestsPerDownload: 1,
};

export interface EstimateInput {
  monthlyDownloads: number;
  fileSizeBytes: number;
  hitRatio: number;
  region: string;
  priceClass: PriceClass;
  originShield: boolean;
  /** deduct the account-wide free tiers (off by default: other workloads may use them) */
  freeTier: boolean;
  model: OriginModel;
}

export interface CostLine {
  item: string;
  detail: string;
  amountUsd: number;
  /** for tiered lines: the GB billed in each band, to check the arithmetic by hand */
  bands?: { gb: number; usdPerGb: number }[];
}

export interface ScenarioCost {
  lines: CostLine[];
  totalUsd: number;
}

export interface Traffic {
  monthlyBytes: number;
  monthlyGb: number;
  requests: number;
  originGb: number;
  originRequests: number;
}

export interface EstimateResult {
  inputs: EstimateInput;
  traffic: Traffic;
  assumptions: string[];
  withoutCloudFront: ScenarioCost;
  withCloudFront: ScenarioCost;
  savingsUsd: number;
  savingsPercent: number;
  pricesAsOf: string;
  sources: PriceSource[];
}

/** Cents, rounded half up; toPrecision first so 16.425 (stored as 16.42499...) rounds to 16.43. */
export const roundUsd = (usd: number): number => Math.round(Number((usd * 100).toPrecision(12))) / 100;

/** The bands a quantity fills, in order, and their cost. */
export function tieredCost(gb: number, tiers: readonly Tier[]): { usd: number; bands: { gb: number; usdPerGb: number }[] } {
  const bands: { gb: number; usdPerGb: number }[] = [];
  let left = gb;
  for (const tier of tiers) {
    if (left <= 0) break;
    const used = Math.min(left, tier.sizeGb);
    bands.push({ gb: used, usdPerGb: tier.usdPerGb });
    left -= used;
  }
  return { usd: bands.reduce((sum, b) => sum + b.gb * b.usdPerGb, 0), bands };
}

/** A free allowance counts toward the first tier's volume, as AWS's "first 10 TB" includes it. */
export function withFreeAllowance(tiers: readonly Tier[], freeGb: number): Tier[] {
  const [first, ...rest] = tiers;
  if (!first) return [];
  return [{ sizeGb: freeGb, usdPerGb: 0 }, { sizeGb: first.sizeGb - freeGb, usdPerGb: first.usdPerGb }, ...rest];
}

interface Fleet {
  peakGbit: number;
  restGbit: number;
  peakInstances: number;
  restInstances: number;
  instanceHours: number;
}

/** Instances needed in the release-day peak and in the rest of the month for `bytes` of downloads. */
export function originFleet(bytes: number, model: OriginModel): Fleet {
  const restHours = HOURS_PER_MONTH - model.peakHours;
  const gbit = (b: number, hours: number): number => (hours > 0 ? (b * 8) / 1e9 / (hours * 3600) : 0);
  const peakGbit = gbit(bytes * model.peakShare, model.peakHours);
  const restGbit = gbit(bytes * (1 - model.peakShare), restHours);
  const needed = (g: number): number => Math.max(model.minInstances, Math.ceil(g / model.sustainedGbitPerInstance));
  const peakInstances = needed(peakGbit);
  const restInstances = restHours > 0 ? needed(restGbit) : 0;
  return { peakGbit, restGbit, peakInstances, restInstances, instanceHours: peakInstances * model.peakHours + restInstances * restHours };
}

function dataLine(item: string, gb: number, tiers: readonly Tier[]): CostLine {
  const { usd, bands } = tieredCost(gb, tiers);
  const rates = [...new Set(bands.filter((b) => b.usdPerGb > 0).map((b) => `$${b.usdPerGb}`))];
  const at = rates.length === 0 ? '' : ` at ${rates.length === 1 ? rates[0] : `${rates[0]} down to ${rates.at(-1)}`} per GB`;
  const freeGb = bands.filter((b) => b.usdPerGb === 0).reduce((sum, b) => sum + b.gb, 0);
  const free = freeGb > 0 ? ` (${formatNumber(freeGb)} free)` : '';
  return { item, detail: `${formatNumber(gb)} GB${free}${at}`, amountUsd: roundUsd(usd), bands };
}

/** The origin's load balancer and fleet: present in both columns, sized by the bytes the origin serves. */
function originLines(originGb: number, originBytes: number, model: OriginModel): CostLine[] {
  const fleet = originFleet(originBytes, model);
  const restHours = HOURS_PER_MONTH - model.peakHours;
  return [
    { item: 'Load balancer hours', detail: `${HOURS_PER_MONTH} h × $${ALB_USD_PER_HOUR}`, amountUsd: roundUsd(HOURS_PER_MONTH * ALB_USD_PER_HOUR) },
    {
      item: 'Load balancer LCUs',
      detail: `${formatNumber(originGb / ALB_GB_PER_LCU_HOUR)} LCU-hours (one per ${ALB_GB_PER_LCU_HOUR} GB processed) × $${ALB_USD_PER_LCU_HOUR}`,
      amountUsd: roundUsd((originGb / ALB_GB_PER_LCU_HOUR) * ALB_USD_PER_LCU_HOUR),
    },
    {
      item: 'EC2 origin fleet',
      detail: `(${fleet.peakInstances} × ${model.peakHours} h + ${fleet.restInstances} × ${restHours} h) × $${model.instanceUsdPerHour} (${model.instanceType})`,
      amountUsd: roundUsd(fleet.instanceHours * model.instanceUsdPerHour),
    },
  ];
}

function scenario(lines: CostLine[]): ScenarioCost {
  return { lines, totalUsd: roundUsd(lines.reduce((sum, l) => sum + l.amountUsd, 0)) };
}

export function estimateOffload(input: EstimateInput): EstimateResult {
  const { model } = input;
  const monthlyBytes = input.monthlyDownloads * input.fileSizeBytes;
  const monthlyGb = monthlyBytes / GB_BYTES;
  const requests = input.monthlyDownloads * model.requestsPerDownload;
  const miss = 1 - input.hitRatio;
  const traffic: Traffic = { monthlyBytes, monthlyGb, requests, originGb: monthlyGb * miss, originRequests: requests * miss };

  const originTiers = input.freeTier ? withFreeAllowance(ORIGIN_DATA_OUT_US_EAST_1, ORIGIN_FREE_GB) : ORIGIN_DATA_OUT_US_EAST_1;
  const withoutCloudFront = scenario([
    dataLine('Data transfer out to the internet', monthlyGb, originTiers),
    ...originLines(monthlyGb, monthlyBytes, model),
  ]);

  const edgeTiers = input.freeTier ? withFreeAllowance(CLOUDFRONT_DATA_OUT_NA_EU, CLOUDFRONT_FREE.gb) : CLOUDFRONT_DATA_OUT_NA_EU;
  const billedRequests = input.freeTier ? Math.max(0, requests - CLOUDFRONT_FREE.requests) : requests;
  const cloudFrontLines: CostLine[] = [
    dataLine('CloudFront data transfer out', monthlyGb, edgeTiers),
    {
      item: 'CloudFront HTTPS requests',
      detail: `${formatNumber(billedRequests, 0)} × $${CLOUDFRONT_HTTPS_PER_10K.toFixed(4)} per 10,000`,
      amountUsd: roundUsd((billedRequests / 10_000) * CLOUDFRONT_HTTPS_PER_10K),
    },
  ];
  if (input.originShield) {
    cloudFrontLines.push({
      item: 'Origin Shield requests',
      detail: `${formatNumber(traffic.originRequests, 0)} × $${CLOUDFRONT_ORIGIN_SHIELD_PER_10K} per 10,000`,
      amountUsd: roundUsd((traffic.originRequests / 10_000) * CLOUDFRONT_ORIGIN_SHIELD_PER_10K),
    });
  }
  cloudFrontLines.push(
    { item: 'Origin to CloudFront transfer', detail: `${formatNumber(traffic.originGb)} GB, free from AWS origins`, amountUsd: 0 },
    ...originLines(traffic.originGb, monthlyBytes * miss, model),
  );
  const withCloudFront = scenario(cloudFrontLines);

  const savingsUsd = roundUsd(withoutCloudFront.totalUsd - withCloudFront.totalUsd);
  return {
    inputs: input,
    traffic,
    assumptions: assumptions(input, traffic),
    withoutCloudFront,
    withCloudFront,
    savingsUsd,
    savingsPercent: Math.round((savingsUsd / withoutCloudFront.totalUsd) * 1000) / 10,
    pricesAsOf: PRICES_AS_OF,
    sources: [...PRICE_SOURCES],
  };
}

function assumptions(input: EstimateInput, traffic: Traffic): string[] {
  const { model } = input;
  const percent = (r: number): string => `${Number((r * 100).toFixed(2))}%`;
  const fleet = originFleet(traffic.monthlyBytes, model);
  const freeWorth = ORIGIN_FREE_GB * ORIGIN_DATA_OUT_US_EAST_1[0]!.usdPerGb;
  const edgeFreeWorth = CLOUDFRONT_FREE.gb * CLOUDFRONT_DATA_OUT_NA_EU[0]!.usdPerGb + (CLOUDFRONT_FREE.requests / 10_000) * CLOUDFRONT_HTTPS_PER_10K;
  const unverified = PRICE_SOURCES.filter((s) => !s.verified).length;
  const out = [
    `${formatNumber(input.monthlyDownloads, 0)} downloads × ${formatSize(input.fileSizeBytes)} = ${formatNumber(traffic.monthlyGb)} GB a month; a GB is 2^30 bytes and a TB 1,024 GB, as AWS bills them.`,
    `One HTTPS GET per download (factor ${model.requestsPerDownload}); resumed or ranged downloads would add requests, not bytes.`,
    input.hitRatio === DEFAULT_HIT_RATIO
      ? `Hit ratio ${percent(input.hitRatio)} (the default): update files never change, so after the first fetch per edge and file nearly every download is served from cache; measure yours in the CloudFront console and pass --hit-ratio.`
      : `Hit ratio ${percent(input.hitRatio)}: that share of requests and bytes is served from CloudFront's cache; the rest is fetched from the origin.`,
    input.freeTier
      ? `Free tiers applied: ${ORIGIN_FREE_GB} GB of internet transfer without CloudFront; ${formatNumber(CLOUDFRONT_FREE.gb, 0)} GB and ${formatNumber(CLOUDFRONT_FREE.requests, 0)} requests with it.`
      : `Free tiers not applied: the ${ORIGIN_FREE_GB} GB of free internet transfer (worth ${formatUsd(freeWorth)}) and CloudFront's free ${formatNumber(CLOUDFRONT_FREE.gb, 0)} GB and ${formatNumber(CLOUDFRONT_FREE.requests, 0)} requests (worth ${formatUsd(edgeFreeWorth)}) are shared by everything in the account.`,
    input.region === ORIGIN_PRICE_REGION
      ? `Origin prices (EC2, load balancer, internet transfer) are ${ORIGIN_PRICE_REGION}'s.`
      : `Origin prices (EC2, load balancer, internet transfer) are ${ORIGIN_PRICE_REGION}'s; ${input.region}'s differ, often upward outside the US and Europe: see ${EC2_PRICING_URL}.`,
    input.priceClass === 'PriceClass_100'
      ? 'PriceClass_100 serves from North America and Europe edges; viewers elsewhere are served from them too, at these rates but with more latency.'
      : `${input.priceClass} also serves from edges outside North America and Europe, billed at $${CLOUDFRONT_OTHER_EDGES_FIRST_TIER.minUsdPerGb}-$${CLOUDFRONT_OTHER_EDGES_FIRST_TIER.maxUsdPerGb} per GB for the first 10 TB instead of $${CLOUDFRONT_DATA_OUT_NA_EU[0]!.usdPerGb}; the CloudFront data line uses the North America/Europe rates, a lower bound when many viewers are elsewhere.`,
    'CloudFront fetching from an AWS origin (the load balancer) costs nothing for the transfer.',
    `Load balancer LCU-hours = GB processed (${ALB_GB_PER_LCU_HOUR} GB per LCU-hour with EC2 targets), taking processed bytes as the largest LCU dimension, as it is for large downloads.`,
    `Origin fleet: ${model.instanceType} at ${model.sustainedGbitPerInstance} Gbit/s sustained each (under its ${ORIGIN_INSTANCE.baselineGbit} Gbit/s baseline; "up to ${ORIGIN_INSTANCE.burstGbit} Gbit/s" is a burst of minutes), at least ${model.minInstances}. ${percent(model.peakShare)} of the downloads arrive in the first ${model.peakHours} h (release day): without CloudFront that is ${fleet.peakGbit.toFixed(2)} Gbit/s, ${fleet.peakInstances} instances, then ${fleet.restGbit.toFixed(2)} Gbit/s, ${fleet.restInstances} instances; the fleet scales between the two. With CloudFront the origin sees the misses with the same timing.`,
    input.originShield
      ? 'Origin Shield requests are counted as the origin fetches; requests the shield answers itself are billed too, so that line is a lower bound.'
      : 'Origin Shield is off (--origin-shield adds its request charge).',
    'Not included: EFS reads (Elastic throughput bills each GB read, which CloudFront also cuts by the hit ratio), logs, WAF, invalidations past the free 1,000 paths, taxes; on-demand list prices, no Savings Plans or CloudFront commitments.',
    "CloudFront's pay-as-you-go prices: its flat-rate plans (from November 2025, with monthly data allowances and WAF included) can cost far less at these volumes; compare them on the CloudFront pricing page.",
  ];
  if (unverified > 0) out.push(`${unverified} of ${PRICE_SOURCES.length} price figures could not be read on AWS's own pages and are marked unverified in the sources.`);
  return out;
}

// ---- flags -------------------------------------------------------------------

export interface EstimateFlags {
  monthlyDownloads?: string;
  fileSize?: string;
  hitRatio?: string;
  region?: string;
  priceClass?: string;
  originShield?: string | boolean;
  freeTier?: boolean;
}

const NUMBER = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z%]*)$/;
const COUNT_FIX = 'use a whole number, optionally with k (thousand) or M (million), such as 10k or 1.5M';
const RATIO_FIX = 'use a fraction from 0 to 1 such as 0.95, or a percentage such as 95%';

/** "10k" -> 10000, "1.5M" -> 1500000, "100,000" -> 100000. */
export function parseCount(text: string, flag = '--monthly-downloads'): number {
  let value = text.trim();
  if (/^\d{1,3}(,\d{3})+$/.test(value)) value = value.replaceAll(',', '');
  if (value === '') throw usageError(`${flag} is empty`, COUNT_FIX);
  if (value.startsWith('-')) throw usageError(`${flag} ${value} is negative`, COUNT_FIX);
  const m = NUMBER.exec(value);
  const multiplier = m ? { '': 1, k: 1e3, m: 1e6 }[m[2]!.toLowerCase()] : undefined;
  if (!m || multiplier === undefined) throw usageError(`${flag} ${JSON.stringify(value)} is not a count`, COUNT_FIX);
  const n = Number(m[1]) * multiplier;
  const whole = Math.round(n);
  if (Math.abs(n - whole) > 1e-6) throw usageError(`${flag} ${value} is ${n}, not a whole number`, COUNT_FIX);
  if (whole === 0) throw usageError(`${flag} ${value} is zero`, COUNT_FIX);
  if (!Number.isSafeInteger(whole)) throw usageError(`${flag} ${value} is too large`, COUNT_FIX);
  return whole;
}

/** "0.95" or "95%" -> 0.95; 0 and 1 are allowed (nothing cached, everything cached). */
export function parseHitRatio(text: string, flag = '--hit-ratio'): number {
  const value = text.trim();
  if (value.startsWith('-')) throw usageError(`${flag} ${value} is negative`, RATIO_FIX);
  const m = NUMBER.exec(value);
  if (!m || (m[2] !== '' && m[2] !== '%')) throw usageError(`${flag} ${JSON.stringify(value)} is not a ratio`, RATIO_FIX);
  const n = Number(m[1]);
  if (m[2] === '%') {
    if (n > 100) throw usageError(`${flag} ${value} is above 100%`, RATIO_FIX);
    return n / 100;
  }
  if (n > 1) throw usageError(`${flag} ${value} is above 1`, n <= 100 ? `write ${n / 100} or ${value}%` : RATIO_FIX);
  return n;
}

const PRICE_CLASSES: Readonly<Record<string, PriceClass>> = {
  priceclass_100: 'PriceClass_100', '100': 'PriceClass_100',
  priceclass_200: 'PriceClass_200', '200': 'PriceClass_200',
  priceclass_all: 'PriceClass_All', all: 'PriceClass_All',
};

export function parsePriceClass(text: string): PriceClass {
  const found = PRICE_CLASSES[text.trim().toLowerCase()];
  if (!found) throw usageError(`--price-class ${text} is not a price class`, 'use PriceClass_100 (North America and Europe), PriceClass_200 or PriceClass_All');
  return found;
}

/** Raw flags -> a checked input with defaults; every problem is a one-line usage error with the fix. */
export function checkEstimateFlags(raw: EstimateFlags): EstimateInput {
  if (raw.monthlyDownloads === undefined) throw usageError('--estimate needs --monthly-downloads', `add --monthly-downloads N; ${COUNT_FIX}`);
  if (raw.fileSize === undefined) throw usageError('--estimate needs --file-size', 'add --file-size SIZE, such as 250MB or 1.5GiB');
  return {
    monthlyDownloads: parseCount(raw.monthlyDownloads),
    fileSizeBytes: parseSize(raw.fileSize),
    hitRatio: raw.hitRatio === undefined ? DEFAULT_HIT_RATIO : parseHitRatio(raw.hitRatio),
    // Unknown codes are refused (exit 1, as everywhere); known ones other than us-east-1 get a note.
    region: raw.region === undefined ? ORIGIN_PRICE_REGION : checkRegion(raw.region, '--region'),
    priceClass: raw.priceClass === undefined ? 'PriceClass_100' : parsePriceClass(raw.priceClass),
    originShield: raw.originShield !== undefined && raw.originShield !== false,
    freeTier: raw.freeTier === true,
    model: { ...DEFAULT_ORIGIN_MODEL },
  };
}

// ---- text --------------------------------------------------------------------

/** 46566.1287 -> "46,566.13"; no Intl, so the output is the same on every machine. */
export function formatNumber(n: number, decimals = 2): string {
  const fixed = Math.abs(n).toFixed(decimals);
  const [whole, frac] = fixed.split('.') as [string, string | undefined];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 && Number(fixed) !== 0 ? '-' : ''}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

export const formatUsd = (usd: number): string => (usd < 0 ? `-$${formatNumber(-usd)}` : `$${formatNumber(usd)}`);

/** The estimate as aligned text lines: both scenarios, the savings, the assumptions and the unverified figures. */
export function formatEstimate(r: EstimateResult): string[] {
  const rows: [string, string, string][] = [];
  const section = (title: string, s: ScenarioCost): void => {
    rows.push([title, '', '']);
    for (const l of s.lines) rows.push([`  ${l.item}`, l.detail, formatUsd(l.amountUsd)]);
    rows.push(['  Total', '', formatUsd(s.totalUsd)]);
  };
  section('Without CloudFront (the origin serves every download)', r.withoutCloudFront);
  rows.push(['', '', '']);
  section(`With CloudFront (${r.inputs.priceClass}, hit ratio ${Number((r.inputs.hitRatio * 100).toFixed(2))}%)`, r.withCloudFront);
  const body = rows.filter(([, , amount]) => amount !== '');
  const itemWidth = Math.max(...body.map(([item]) => item.length));
  const detailWidth = Math.max(...body.map(([, detail]) => detail.length));
  const amountWidth = Math.max(...body.map(([, , amount]) => amount.length));
  const table = rows.map(([item, detail, amount]) =>
    amount === '' ? item : `${item.padEnd(itemWidth)}  ${detail.padEnd(detailWidth)}  ${amount.padStart(amountWidth)}`.trimEnd(),
  );
  const savings =
    r.savingsUsd >= 0
      ? `Savings with CloudFront: ${formatUsd(r.savingsUsd)} a month (${r.savingsPercent}%)`
      : `CloudFront costs ${formatUsd(-r.savingsUsd)} a month more (${-r.savingsPercent}%)`;
  const unverified = r.sources.filter((s) => !s.verified);
  return [
    `Monthly estimate, prices as of ${r.pricesAsOf}`,
    '',
    ...table,
    '',
    savings,
    '',
    'Assumptions:',
    ...r.assumptions.map((a) => `  - ${a}`),
    ...(unverified.length > 0 ? ['', 'Unverified figures (last published values; check the page):', ...unverified.map((s) => `  - ${s.figure} (${s.url})`)] : []),
  ];
}
