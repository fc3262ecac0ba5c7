import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { textOf } from '../rule-helpers/text.js';
import { isSet, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'lambda-permission-s3-source-account',
  level: 'error',
  explanation: 'Bucket names are global: a bucket ARN alone does not prove the bucket is yours (it could be deleted and re-created elsewhere), so S3 invoke permissions also pin the account.',
  fix: 'Set SourceAccount: !Ref AWS::AccountId on the permission for s3.amazonaws.com (next to SourceArn).',
  resourceTypes: ['AWS::Lambda::Permission'],
  check(_id, resource) {
    if (textOf(prop(resource, 'Principal')) !== 's3.amazonaws.com') return notApplicable;
    return isSet(prop(resource, 'SourceAccount')) ? compliant : nonCompliant('the permission for s3.amazonaws.com has no SourceAccount', 'Properties.SourceAccount');
  },
};
