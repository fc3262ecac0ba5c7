import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { textOf } from '../rule-helpers/text.js';
import { prop } from '../rule-helpers/values.js';

const PUBLIC_ACLS = new Set(['PublicRead', 'PublicReadWrite', 'AuthenticatedRead']);

export const rule: Rule = {
  id: 's3-no-public-acl',
  level: 'error',
  explanation: 'A canned ACL such as PublicRead grants every internet user (or every AWS account) access to the bucket.',
  fix: 'Remove AccessControl (or use Private) and set OwnershipControls to BucketOwnerEnforced so ACLs are disabled.',
  resourceTypes: ['AWS::S3::Bucket'],
  check(_id, resource) {
    const acl = textOf(prop(resource, 'AccessControl'));
    if (acl !== undefined && PUBLIC_ACLS.has(acl)) {
      return nonCompliant(`AccessControl is ${acl}, which grants access beyond the account`, 'Properties.AccessControl');
    }
    return compliant;
  },
};
