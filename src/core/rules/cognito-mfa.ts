import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { asList, isIntrinsic, isOpaque, isSet, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'cognito-mfa',
  level: 'error',
  explanation:
    'Users must at least be able to protect their account with a second factor; MFA OFF removes that option. OPTIONAL or ON also needs a factor users can enrol: TOTP (EnabledMfas with SOFTWARE_TOKEN_MFA) or SMS (an SmsConfiguration); Cognito rejects the pool otherwise.',
  fix: 'Set MfaConfiguration: OPTIONAL with EnabledMfas: [SOFTWARE_TOKEN_MFA] (or ON, suppressing cdk-nag COG2 with a reason when it is ON); SMS MFA needs an SmsConfiguration as well.',
  resourceTypes: ['AWS::Cognito::UserPool'],
  check(_id, resource) {
    const mfa = prop(resource, 'MfaConfiguration');
    if (isOpaque(mfa)) return compliant;
    if (mfa !== 'OPTIONAL' && mfa !== 'ON') {
      return nonCompliant(`MfaConfiguration is ${JSON.stringify(mfa ?? 'OFF')}, not OPTIONAL or ON`, 'Properties.MfaConfiguration');
    }
    const enabled = asList(prop(resource, 'EnabledMfas'));
    if (enabled.some((m) => m === 'SOFTWARE_TOKEN_MFA' || isIntrinsic(m))) return compliant;
    if (isSet(prop(resource, 'SmsConfiguration'))) return compliant;
    return nonCompliant(
      `MfaConfiguration is ${mfa} but no second factor can be enrolled: EnabledMfas ${enabled.length === 0 ? 'is not set' : `is ${JSON.stringify(enabled)}`}, without SOFTWARE_TOKEN_MFA, and there is no SmsConfiguration (Cognito rejects the pool)`,
      'Properties.EnabledMfas',
    );
  },
};
