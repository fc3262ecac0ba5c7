import type { Rule } from '../rule-types.js';
import { deniesInsecureTransport } from '../rule-helpers/iam-statements.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { bucketPolicies } from '../rule-helpers/s3.js';
import { prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 's3-ssl-only',
  level: 'error',
  explanation: 'Without a policy that denies plain-HTTP requests, clients can read and write the bucket over unencrypted connections.',
  fix: 'Add an AWS::S3::BucketPolicy for the bucket with a statement: Effect Deny, Principal "*", Action "s3:*", Resource [bucket ARN, bucket ARN/*], Condition { Bool: { "aws:SecureTransport": "false" } }.',
  resourceTypes: ['AWS::S3::Bucket'],
  check(id, resource, ctx) {
    const policies = bucketPolicies(ctx, id, resource);
    if (policies.length === 0) return nonCompliant('no AWS::S3::BucketPolicy applies to the bucket, so plain-HTTP requests are not denied');
    const ok = policies.some((p) => deniesInsecureTransport(prop(p.resource, 'PolicyDocument'), 's3'));
    return ok
      ? compliant
      : nonCompliant(
          `the bucket policy (${policies.map((p) => p.id).join(', ')}) has no Deny statement for "aws:SecureTransport": "false" covering every principal and s3:*`,
        );
  },
};
