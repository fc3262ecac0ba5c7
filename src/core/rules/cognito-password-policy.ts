import type { Rule, RuleOutcome } from '../rule-types.js';
import { compliant, nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { asNumber, getPath, isIntrinsic, isObject, isTrue, prop } from '../rule-helpers/values.js';

const REQUIRED = ['RequireUppercase', 'RequireLowercase', 'RequireNumbers', 'RequireSymbols'] as const;

export const rule: Rule = {
  id: 'cognito-password-policy',
  level: 'error',
  explanation: 'Short or single-class passwords fall to guessing and credential stuffing; the baseline wants at least 8 characters with upper, lower, number and symbol.',
  fix: 'Set Policies.PasswordPolicy: { MinimumLength: 8 (or more), RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true }.',
  resourceTypes: ['AWS::Cognito::UserPool'],
  check(_id, resource) {
    const policy = prop(resource, 'Policies.PasswordPolicy');
    const base = 'Properties.Policies.PasswordPolicy';
    if (isIntrinsic(policy)) return compliant;
    if (!isObject(policy)) return nonCompliant('the user pool declares no PasswordPolicy', base);
    const found: RuleOutcome[] = [];
    const length = getPath(policy, 'MinimumLength');
    const n = asNumber(length);
    if (!isIntrinsic(length) && (n === undefined || n < 8)) {
      found.push(nonCompliant(`MinimumLength is ${JSON.stringify(length ?? null)}, below 8`, `${base}.MinimumLength`));
    }
    for (const key of REQUIRED) {
      const v = policy[key];
      if (!isTrue(v) && !isIntrinsic(v)) found.push(nonCompliant(`${key} is not true`, `${base}.${key}`));
    }
    return outcomes(found);
  },
};
