import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { isIntrinsic, prop } from '../rule-helpers/values.js';

/**
 * The newest Node.js runtime Lambda offers. Keep in step with aws-cdk-lib's
 * Runtime list, which is what cdk-nag's L1 rule compares with (a test checks).
 */
const LATEST_NODEJS = 'nodejs24.x';

export const rule: Rule = {
  id: 'lambda-latest-runtime',
  level: 'error',
  explanation: 'Older Node.js runtimes stop receiving security patches and are then deprecated by Lambda; functions must run on the latest one.',
  fix: `Set Runtime: ${LATEST_NODEJS}.`,
  resourceTypes: ['AWS::Lambda::Function'],
  check(_id, resource) {
    const runtime = prop(resource, 'Runtime');
    if (runtime === undefined) return notApplicable; // container image
    if (isIntrinsic(runtime)) return compliant;
    if (typeof runtime !== 'string' || !runtime.startsWith('nodejs')) return notApplicable;
    return runtime === LATEST_NODEJS ? compliant : nonCompliant(`Runtime is ${runtime}, not the latest Node.js runtime ${LATEST_NODEJS}`, 'Properties.Runtime');
  },
};
