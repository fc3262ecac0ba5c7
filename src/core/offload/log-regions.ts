import { usageError } from '../errors.js';

/**
 * Regions whose S3 buckets CloudFront's standard logging does not deliver to
 * (the opt-in regions, per the CloudFront Developer Guide's standard logging
 * page). The log bucket is created in the stack's region, so creating the
 * distribution would fail there, after the change set.
 */
export const NO_STANDARD_LOGS = ['af-south-1', 'ap-east-1', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1'];

export function checkLogRegion(region: string | undefined): void {
  if (region !== undefined && NO_STANDARD_LOGS.includes(region)) {
    throw usageError(
      `CloudFront cannot deliver access logs to a bucket in ${region}, where the offload stack and its log bucket would be`,
      'pass the origin as a DNS name and deploy the stack in a region such as us-east-1 (--region us-east-1); the origin itself can stay where it is',
    );
  }
}
