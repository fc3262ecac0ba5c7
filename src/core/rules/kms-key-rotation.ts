import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { isIntrinsic, isTrue, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'kms-key-rotation',
  level: 'error',
  explanation: 'Automatic rotation limits how much data one key version protects; it is available (and required here) for symmetric encryption keys.',
  fix: 'Set EnableKeyRotation: true on the key (optionally RotationPeriodInDays).',
  resourceTypes: ['AWS::KMS::Key'],
  check(_id, resource) {
    const spec = prop(resource, 'KeySpec');
    const usage = prop(resource, 'KeyUsage');
    if ((spec !== undefined && spec !== 'SYMMETRIC_DEFAULT') || (usage !== undefined && usage !== 'ENCRYPT_DECRYPT')) return notApplicable;
    const v = prop(resource, 'EnableKeyRotation');
    return isTrue(v) || isIntrinsic(v) ? compliant : nonCompliant('EnableKeyRotation is not true', 'Properties.EnableKeyRotation');
  },
};
