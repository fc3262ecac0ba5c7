import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { isFalse, isIntrinsic, isTrue, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'rds-not-public',
  level: 'error',
  explanation:
    'A publicly accessible database gets a public DNS name and IP; when PubliclyAccessible is left out, an instance in a VPC with an internet gateway (or in the default VPC) is public by default.',
  fix: 'Set PubliclyAccessible: false.',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  check(_id, resource) {
    const v = prop(resource, 'PubliclyAccessible');
    if (isTrue(v)) return nonCompliant('PubliclyAccessible is true', 'Properties.PubliclyAccessible');
    if (resource.Type === 'AWS::RDS::DBCluster' || isFalse(v) || isIntrinsic(v)) return compliant;
    return nonCompliant('PubliclyAccessible is not set: the default can make the instance public', 'Properties.PubliclyAccessible');
  },
};
