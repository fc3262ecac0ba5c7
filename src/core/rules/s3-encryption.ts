import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { getPath, isSet, objectsOf, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 's3-encryption',
  level: 'error',
  explanation:
    'Objects must be encrypted at rest; declaring the default encryption in the template makes the choice (SSE-S3 or SSE-KMS) explicit and reviewable.',
  fix: 'Set BucketEncryption.ServerSideEncryptionConfiguration to [{ ServerSideEncryptionByDefault: { SSEAlgorithm: AES256 } }] (or aws:kms with a KMSMasterKeyID).',
  resourceTypes: ['AWS::S3::Bucket'],
  check(_id, resource) {
    const rules = objectsOf(prop(resource, 'BucketEncryption.ServerSideEncryptionConfiguration'));
    if (rules.length === 0) {
      return nonCompliant('the bucket declares no default encryption', 'Properties.BucketEncryption');
    }
    const withAlgorithm = rules.some(({ item }) => isSet(getPath(item, 'ServerSideEncryptionByDefault.SSEAlgorithm')));
    return withAlgorithm
      ? compliant
      : nonCompliant(
          'ServerSideEncryptionConfiguration has no ServerSideEncryptionByDefault.SSEAlgorithm',
          'Properties.BucketEncryption.ServerSideEncryptionConfiguration',
        );
  },
};
