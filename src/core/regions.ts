import { ArchctlError } from './errors.js';

/**
 * Region codes the AWS SDK's partition table knows (copied from
 * @aws-sdk/core 3.1142.0; test/core/regions.test.ts fails when the SDK's
 * table moves, so the list is refreshed with the SDK pin). A typo such as
 * eu-west-9 is caught here, before any network call that would only say
 * "getaddrinfo ENOTFOUND".
 */
export const AWS_REGIONS: readonly string[] = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'me-west-1', 'mx-central-1', 'sa-east-1', 'sa-west-1', 'us-east-1',
  'us-east-2', 'us-west-1', 'us-west-2',
  'cn-north-1', 'cn-northwest-1', 'eusc-de-east-1', 'us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1', 'us-isob-west-1',
  'eu-isoe-west-1', 'us-isof-east-1', 'us-isof-south-1', 'us-gov-east-1', 'us-gov-west-1',
];

/** The closest known region by edit distance, to suggest in the fix. */
function nearest(region: string): string {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const tmp = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = tmp;
      }
    }
    return row[b.length]!;
  };
  return [...AWS_REGIONS].sort((x, y) => distance(region, x) - distance(region, y))[0]!;
}

/**
 * Checks a region code. An unknown region is exit 1 wherever it came from
 * (the flag, archctl.json, AWS_REGION, a profile), as the AWS commands'
 * contract says; the message names the source.
 */
export function checkRegion(region: string, source: string): string {
  if (AWS_REGIONS.includes(region)) return region;
  throw new ArchctlError(`unknown AWS region ${JSON.stringify(region)} (from ${source})`, `use a region code such as ${nearest(region)}`);
}
