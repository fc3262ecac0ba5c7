import type { Rule } from '../rule-types.js';
import { compliant, isSet, nonCompliant, notApplicable, prop, textOf } from '../rule-helpers.js';

export const rule: Rule = {
  id: 'lambda-permission-source-arn',
  level: 'error',
  explanation:
    'An invoke permission for a service principal without SourceArn lets that service invoke the function on behalf of any resource, including other accounts\' (confused deputy); Principal "*" makes the function public.',
  fix: "Set SourceArn to the exact caller: the API's execute-api ARN (!Sub 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/GET/items'), the bucket ARN, the rule ARN...",
  resourceTypes: ['AWS::Lambda::Permission'],
  check(_id, resource) {
    const principal = textOf(prop(resource, 'Principal'));
    if (principal === '*') return nonCompliant('Principal is "*": anyone can invoke the function', 'Properties.Principal');
    if (principal === undefined || !/\.amazonaws\.com(\.cn)?$/.test(principal)) return notApplicable;
    return isSet(prop(resource, 'SourceArn')) ? compliant : nonCompliant(`the permission for ${principal} has no SourceArn`, 'Properties.SourceArn');
  },
};
