import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { resourcesOfType } from '../rule-helpers/refs.js';
import { textOf } from '../rule-helpers/text.js';
import { isSet, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'lambda-log-group',
  level: 'error',
  explanation:
    'A function whose log group is not in the template gets one created by Lambda on first run, with no retention (logs kept forever) and left behind when the stack is deleted.',
  fix: "Declare an AWS::Logs::LogGroup with RetentionInDays and point the function at it with LoggingConfig: { LogGroup: !Ref FnLogGroup } (or name it !Sub '/aws/lambda/${Fn}').",
  resourceTypes: ['AWS::Lambda::Function'],
  check(id, resource, ctx) {
    if (isSet(prop(resource, 'LoggingConfig.LogGroup'))) return compliant;
    const name = textOf(prop(resource, 'FunctionName'));
    const wanted = new Set([`/aws/lambda/\${${id}}`, ...(name !== undefined ? [`/aws/lambda/${name}`] : [])]);
    const declared = resourcesOfType(ctx, 'AWS::Logs::LogGroup').some(({ resource: g }) => {
      const groupName = textOf(prop(g, 'LogGroupName'));
      return groupName !== undefined && wanted.has(groupName);
    });
    return declared ? compliant : nonCompliant('no log group in the template receives this function\'s logs (no LoggingConfig.LogGroup, no /aws/lambda/<function> log group)', 'Properties.LoggingConfig.LogGroup');
  },
};
