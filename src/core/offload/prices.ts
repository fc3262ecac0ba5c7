/**
 * The price table `archctl offload --estimate` uses, compiled into the package
 * so an estimate needs no network and gives the same answer offline.
 *
 * Every figure names the AWS page that publishes it and says whether it was
 * read on that page itself (`verified: true`) or only in a secondary source
 * (`verified: false`, with `seenAt` and a note): AWS renders some regional
 * tables from scripts, so the stored copy of the page may lack the numbers.
 * Refresh: re-read each `url`, update the figure, `readOn` and `PRICES_AS_OF`,
 * and rerun test/core/offload-estimate.test.ts (its worked example pins them).
 */

export const PRICES_AS_OF = '2026-11-28';

/** A band of a tiered price: `sizeGb` more GB at `usdPerGb` (the last band is Infinity). */
export interface Tier {
  sizeGb: number;
  usdPerGb: number;
}

/** Where a figure comes from, so a reader can check it and knows how far to trust it. */
export interface PriceSource {
  figure: string;
  /** the AWS page that publishes the figure */
  url: string;
  /** the page the figure was actually read on, when it is not `url` */
  seenAt?: string;
  readOn: string;
  verified: boolean;
  note?: string;
}

const CLOUDFRONT_PRICING = 'https://aws.amazon.com/cloudfront/pricing/';
export const EC2_PRICING_URL = 'https://aws.amazon.com/ec2/pricing/on-demand/';
const ELB_PRICING = 'https://aws.amazon.com/elasticloadbalancing/pricing/';

/**
 * AWS's pages count tiers in TB of 1,024 GB, and AWS meters a "GB" as 2^30
 * bytes (GiB). Billing in 10^9-byte GB instead would make every data line
 * about 7% dearer, in both columns alike.
 */
export const GB_BYTES = 2 ** 30;
export const TB_GB = 1024;

/** AWS's pricing calculator counts a month as 730 hours (8,760 / 12). */
export const HOURS_PER_MONTH = 730;

/**
 * CloudFront, "United States, Mexico, and Canada" and "Europe, Israel, and
 * Türkiye" (the same rates): the edges PriceClass_100 uses.
 */
export const CLOUDFRONT_DATA_OUT_NA_EU: readonly Tier[] = [
  { sizeGb: 10 * TB_GB, usdPerGb: 0.085 },
  { sizeGb: 40 * TB_GB, usdPerGb: 0.08 },
  { sizeGb: 100 * TB_GB, usdPerGb: 0.06 },
  { sizeGb: 350 * TB_GB, usdPerGb: 0.04 },
  { sizeGb: 524 * TB_GB, usdPerGb: 0.03 },
  { sizeGb: 4096 * TB_GB, usdPerGb: 0.025 },
  { sizeGb: Infinity, usdPerGb: 0.02 },
];

/** The first-10-TB rate elsewhere (South Africa ... India), for the PriceClass_200/All note. */
export const CLOUDFRONT_OTHER_EDGES_FIRST_TIER = { minUsdPerGb: 0.109, maxUsdPerGb: 0.12 } as const;

export const CLOUDFRONT_HTTPS_PER_10K = 0.01;
export const CLOUDFRONT_ORIGIN_SHIELD_PER_10K = 0.0075;
/** CloudFront's always-free tier, per account and month. */
export const CLOUDFRONT_FREE = { gb: 1 * TB_GB, requests: 10_000_000 } as const;

/** Data transfer out from EC2 (and an ALB) to the internet, us-east-1. */
export const ORIGIN_DATA_OUT_US_EAST_1: readonly Tier[] = [
  { sizeGb: 10 * TB_GB, usdPerGb: 0.09 },
  { sizeGb: 40 * TB_GB, usdPerGb: 0.085 },
  { sizeGb: 100 * TB_GB, usdPerGb: 0.07 },
  { sizeGb: Infinity, usdPerGb: 0.05 },
];
/** Free data transfer out to the internet, per account and month, across all services and regions. */
export const ORIGIN_FREE_GB = 100;

export const ORIGIN_PRICE_REGION = 'us-east-1';
export const ALB_USD_PER_HOUR = 0.0225;
export const ALB_USD_PER_LCU_HOUR = 0.008;
/** The processed-bytes dimension of one LCU with EC2 targets (0.4 GB for Lambda targets). */
export const ALB_GB_PER_LCU_HOUR = 1;

/**
 * The default origin instance. "Up to 12.5 Gbit/s" is a burst on network
 * credits that lasts 5 to 60 minutes; a release day lasts longer, so the
 * sustained figure is the baseline. AWS also caps traffic through an internet
 * gateway at 5 Gbit/s for instances under 32 vCPUs.
 */
export const ORIGIN_INSTANCE = {
  type: 'm6i.large',
  usdPerHour: 0.096,
  baselineGbit: 0.781,
  burstGbit: 12.5,
} as const;

const SECONDARY_EC2_DTO = 'https://www.usage.ai/blogs/aws/networking-cost/data-transfer-costs/';

export const PRICE_SOURCES: readonly PriceSource[] = [
  {
    figure: 'CloudFront data transfer out, North America and Europe: $0.085 (first 10 TB), $0.080 (next 40 TB), $0.060 (next 100 TB), $0.040 (next 350 TB), $0.030 (next 524 TB), $0.025 (next 4 PB), $0.020 (over 5 PB) per GB',
    url: CLOUDFRONT_PRICING,
    readOn: PRICES_AS_OF,
    verified: true,
  },
  {
    figure: 'CloudFront data transfer out elsewhere, first 10 TB: $0.109 to $0.120 per GB',
    url: CLOUDFRONT_PRICING,
    readOn: PRICES_AS_OF,
    verified: true,
  },
  {
    figure: 'CloudFront origin fetches from AWS origins (EC2, Elastic Load Balancing): free',
    url: CLOUDFRONT_PRICING,
    readOn: PRICES_AS_OF,
    verified: true,
  },
  {
    figure: 'CloudFront always-free tier: 1 TB out and 10,000,000 HTTP(S) requests a month',
    url: CLOUDFRONT_PRICING,
    readOn: PRICES_AS_OF,
    verified: true,
  },
  {
    figure: 'CloudFront HTTPS requests, North America and Europe: $0.0100 per 10,000',
    url: CLOUDFRONT_PRICING,
    seenAt: 'https://kindatechnical.com/aws-certification-associate-developer/lesson-87-cloudfront-pricing.html',
    readOn: PRICES_AS_OF,
    verified: false,
    note: "the request table was not in the stored copy of AWS's page; the long-standing published rate, also given as the upper end of \"$0.0075-$0.0100 per 10K\" by factualminds.com (2026-06-13)",
  },
  {
    figure: 'CloudFront Origin Shield requests, us-east-1: $0.0075 per 10,000',
    url: CLOUDFRONT_PRICING,
    readOn: PRICES_AS_OF,
    verified: false,
    note: 'not found in any searchable copy; the last widely published value for US regions',
  },
  {
    figure: 'Data transfer out from EC2 to the internet, us-east-1: $0.09 (first 10 TB), $0.085 (next 40 TB), $0.07 (next 100 TB), $0.05 (over 150 TB) per GB',
    url: EC2_PRICING_URL,
    seenAt: SECONDARY_EC2_DTO,
    readOn: PRICES_AS_OF,
    verified: false,
    note: "AWS's page renders this table from a script; the same four rates appear in several 2026 secondary sources (usage.ai 2026-06-02, leanopstech.com 2026-04-27, wring.co)",
  },
  {
    figure: 'Data transfer out to the internet free each month: 100 GB per account, all services and regions',
    url: EC2_PRICING_URL,
    seenAt: 'https://repost.aws/questions/QUAT1NfOeZSAK5z8KXXO9jgA/do-amazon-aws-ec-2-free-tier-have-a-bandwidth-limit',
    readOn: PRICES_AS_OF,
    verified: false,
    note: 'stated in an AWS re:Post answer and in secondary sources',
  },
  {
    figure: 'Application Load Balancer, us-east-1: $0.0225 per hour and $0.008 per LCU-hour; one LCU processes 1 GB per hour for EC2 targets',
    url: ELB_PRICING,
    seenAt: 'https://raw.githubusercontent.com/api-evangelist/amazon-elastic-load-balancing/refs/heads/main/plans/amazon-elastic-load-balancing-plans-pricing.yml',
    readOn: PRICES_AS_OF,
    verified: false,
    note: "a verbatim transcription of AWS's page (fetched 2026-09-20; the page's regional table is script-rendered, the figures come from its us-east-1 examples); the LCU dimensions agree with handbook.vantage.sh",
  },
  {
    figure: 'EC2 m6i.large, Linux on-demand, us-east-1: $0.096 per hour; baseline network 0.781 Gbit/s, burst up to 12.5 Gbit/s',
    url: EC2_PRICING_URL,
    readOn: PRICES_AS_OF,
    verified: false,
    note: 'not found in any searchable copy; the last widely published values',
  },
  {
    figure: 'Traffic through an internet gateway: at most 5 Gbit/s per instance under 32 vCPUs',
    url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-network-bandwidth.html',
    readOn: PRICES_AS_OF,
    verified: true,
  },
];
