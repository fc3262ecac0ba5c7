import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { isLogBucket } from '../rule-helpers/s3.js';
import { isIntrinsic, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 's3-versioning',
  level: 'error',
  explanation: 'Versioning keeps overwritten and deleted objects of data buckets recoverable after a bug or a bad deploy. Log buckets are exempt.',
  fix: 'Set VersioningConfiguration: { Status: Enabled } (and a lifecycle rule expiring noncurrent versions).',
  resourceTypes: ['AWS::S3::Bucket'],
  check(id, resource, ctx) {
    if (isLogBucket(ctx, id)) return notApplicable;
    const status = prop(resource, 'VersioningConfiguration.Status');
    if (status === 'Enabled' || isIntrinsic(status)) return compliant;
    return nonCompliant(
      status === undefined ? 'versioning is not enabled on this data bucket' : `VersioningConfiguration.Status is ${JSON.stringify(status)}`,
      'Properties.VersioningConfiguration.Status',
    );
  },
};
