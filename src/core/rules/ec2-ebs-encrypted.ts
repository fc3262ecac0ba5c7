import type { Rule, RuleOutcome } from '../rule-types.js';
import { nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { getPath, isIntrinsic, isObject, isSet, isTrue, objectsOf, prop } from '../rule-helpers/values.js';

const MAPPINGS: Record<string, string> = {
  'AWS::EC2::Instance': 'BlockDeviceMappings',
  'AWS::EC2::LaunchTemplate': 'LaunchTemplateData.BlockDeviceMappings',
  'AWS::AutoScaling::LaunchConfiguration': 'BlockDeviceMappings',
};

export const rule: Rule = {
  id: 'ec2-ebs-encrypted',
  level: 'error',
  explanation: 'EBS volumes (and their snapshots) must be encrypted; without a block device mapping the root volume is encrypted only if the account default says so.',
  fix: 'Declare BlockDeviceMappings for the root device with Ebs: { Encrypted: true, VolumeType: gp3 } (in LaunchTemplateData for a launch template); AWS::EC2::Volume: Encrypted: true.',
  resourceTypes: ['AWS::EC2::Volume', ...Object.keys(MAPPINGS)],
  check(_id, resource) {
    if (resource.Type === 'AWS::EC2::Volume') {
      const v = prop(resource, 'Encrypted');
      return outcomes(isTrue(v) || isIntrinsic(v) ? [] : [nonCompliant('Encrypted is not true', 'Properties.Encrypted')]);
    }
    const path = MAPPINGS[resource.Type];
    if (path === undefined) return notApplicable;
    const mappings = objectsOf(prop(resource, path));
    if (mappings.length === 0) {
      if (resource.Type === 'AWS::EC2::Instance' && isSet(prop(resource, 'LaunchTemplate'))) return notApplicable;
      return nonCompliant('no BlockDeviceMappings: the root volume is encrypted only if the account default is on', `Properties.${path}`);
    }
    const found: RuleOutcome[] = [];
    for (const { item, index } of mappings) {
      if (!isObject(item.Ebs)) continue;
      const v = getPath(item, 'Ebs.Encrypted');
      if (!isTrue(v) && !isIntrinsic(v)) {
        found.push(nonCompliant(`the EBS volume ${JSON.stringify(item.DeviceName ?? index)} is not encrypted`, `Properties.${path}.${index}.Ebs.Encrypted`));
      }
    }
    return outcomes(found);
  },
};
