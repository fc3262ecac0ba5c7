import type { Rule } from '../rule-types.js';
import { compliant, isIntrinsic, nonCompliant, prop } from '../rule-helpers.js';

export const rule: Rule = {
  id: 'cognito-mfa',
  level: 'error',
  explanation: 'Users must at least be able to protect their account with a second factor; MFA OFF removes that option.',
  fix: 'Set MfaConfiguration: OPTIONAL with EnabledMfas: [SOFTWARE_TOKEN_MFA] (or ON, suppressing cdk-nag COG2 with a reason when it is ON).',
  resourceTypes: ['AWS::Cognito::UserPool'],
  check(_id, resource) {
    const mfa = prop(resource, 'MfaConfiguration');
    if (mfa === 'OPTIONAL' || mfa === 'ON' || isIntrinsic(mfa)) return compliant;
    return nonCompliant(`MfaConfiguration is ${JSON.stringify(mfa ?? 'OFF')}, not OPTIONAL or ON`, 'Properties.MfaConfiguration');
  },
};
