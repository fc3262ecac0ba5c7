import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant } from '../rule-helpers/outcomes.js';
import { isSet, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 's3-no-website-hosting',
  level: 'error',
  explanation: 'The S3 website endpoint is HTTP-only and public; website content must be served only through CloudFront with Origin Access Control.',
  fix: 'Remove WebsiteConfiguration; serve the bucket through a CloudFront distribution whose S3 origin uses OriginAccessControlId (index document via DefaultRootObject, SPA routing via CloudFront error responses or a function).',
  resourceTypes: ['AWS::S3::Bucket'],
  check(_id, resource) {
    return isSet(prop(resource, 'WebsiteConfiguration'))
      ? nonCompliant('the bucket has a WebsiteConfiguration (public HTTP website endpoint)', 'Properties.WebsiteConfiguration')
      : compliant;
  },
};
