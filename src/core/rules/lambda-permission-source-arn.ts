import type { Rule } from '../rule-types.js';
import { parseArn } from '../rule-helpers/arns.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { textOf, textsOf } from '../rule-helpers/text.js';
import { isSet, prop } from '../rule-helpers/values.js';

/** The ARN parts (region, account) of a SourceArn that hold a wildcard. */
function wildcardParts(text: string): string[] {
  const arn = parseArn(text);
  if (!arn) return [];
  const out: string[] = [];
  if (/[*?]/.test(arn.region)) out.push(`region ${JSON.stringify(arn.region)}`);
  if (/[*?]/.test(arn.account)) out.push(`account ${JSON.stringify(arn.account)}`);
  return out;
}

export const rule: Rule = {
  id: 'lambda-permission-source-arn',
  level: 'error',
  explanation:
    'An invoke permission for a service principal without SourceArn lets that service invoke the function on behalf of any resource, including other accounts\' (confused deputy); a SourceArn with "*" as its region or account does the same for every region or account. Principal "*" makes the function public.',
  fix: "Set SourceArn to the exact caller, with ${AWS::Region} and ${AWS::AccountId} rather than \"*\": the API's execute-api ARN (!Sub 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/GET/items'), the bucket ARN, the rule ARN...",
  resourceTypes: ['AWS::Lambda::Permission'],
  check(_id, resource) {
    const principal = textOf(prop(resource, 'Principal'));
    if (principal === '*') return nonCompliant('Principal is "*": anyone can invoke the function', 'Properties.Principal');
    if (principal === undefined || !/\.amazonaws\.com(\.cn)?$/.test(principal)) return notApplicable;
    const sourceArn = prop(resource, 'SourceArn');
    if (!isSet(sourceArn)) return nonCompliant(`the permission for ${principal} has no SourceArn`, 'Properties.SourceArn');
    for (const text of textsOf(sourceArn)) {
      const wild = wildcardParts(text);
      if (wild.length > 0) {
        return nonCompliant(
          `SourceArn ${JSON.stringify(text)} has a wildcard ${wild.join(' and ')}: ${principal} may invoke the function for matching resources in ${wild.some((w) => w.startsWith('account')) ? 'any account' : 'any region'}`,
          'Properties.SourceArn',
        );
      }
    }
    return compliant;
  },
};
