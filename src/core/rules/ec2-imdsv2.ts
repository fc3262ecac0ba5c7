import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { resolveRef } from '../rule-helpers/refs.js';
import { isIntrinsic, isSet, prop } from '../rule-helpers/values.js';

const PATHS: Record<string, string> = {
  'AWS::EC2::Instance': 'MetadataOptions.HttpTokens',
  'AWS::EC2::LaunchTemplate': 'LaunchTemplateData.MetadataOptions.HttpTokens',
  'AWS::AutoScaling::LaunchConfiguration': 'MetadataOptions.HttpTokens',
};

export const rule: Rule = {
  id: 'ec2-imdsv2',
  level: 'error',
  explanation: 'IMDSv1 answers any GET from the instance, so one SSRF bug in the app leaks the instance role credentials; IMDSv2 requires a session token.',
  fix: 'Set MetadataOptions: { HttpTokens: required, HttpPutResponseHopLimit: 1 } (LaunchTemplateData.MetadataOptions in a launch template).',
  resourceTypes: Object.keys(PATHS),
  check(_id, resource, ctx) {
    const path = PATHS[resource.Type];
    if (path === undefined) return notApplicable;
    const tokens = prop(resource, path);
    if (tokens === 'required' || isIntrinsic(tokens)) return compliant;
    if (resource.Type === 'AWS::EC2::Instance' && tokens === undefined && isSet(prop(resource, 'LaunchTemplate'))) {
      // The launch template decides; a template one is checked on its own.
      const template = resolveRef(ctx, prop(resource, 'LaunchTemplate.LaunchTemplateId')) ?? resolveRef(ctx, prop(resource, 'LaunchTemplate.LaunchTemplateName'));
      return template ? notApplicable : compliant;
    }
    return nonCompliant(`HttpTokens is ${JSON.stringify(tokens ?? 'optional')}, not required (IMDSv1 allowed)`, `Properties.${path}`);
  },
};
