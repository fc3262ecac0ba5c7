import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { refersTo } from '../rule-helpers/refs.js';
import { isSet, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 's3-access-logs',
  level: 'error',
  explanation: 'Server access logs record who read or changed which object; without them an incident cannot be investigated. The log bucket itself suppresses this rule.',
  fix: 'Set LoggingConfiguration: { DestinationBucketName: !Ref LogBucket, LogFilePrefix: <bucket>/ } pointing at a separate log bucket; on the log bucket, suppress this rule with a reason.',
  resourceTypes: ['AWS::S3::Bucket'],
  check(id, resource) {
    const destination = prop(resource, 'LoggingConfiguration.DestinationBucketName');
    if (!isSet(destination)) return nonCompliant('server access logging is not configured', 'Properties.LoggingConfiguration');
    if (refersTo(destination, id)) {
      return nonCompliant('the bucket logs into itself, which writes a log object for every log object', 'Properties.LoggingConfiguration.DestinationBucketName');
    }
    return compliant;
  },
};
