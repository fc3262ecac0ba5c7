import type { Rule, RuleOutcome } from '../rule-types.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { resolveRef } from '../rule-helpers/refs.js';
import { textOf } from '../rule-helpers/text.js';
import { getPath, isSet, objectsOf, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'cloudfront-s3-origin-oac',
  level: 'error',
  explanation:
    'An S3 origin must be reachable only by the distribution: Origin Access Control (OAC) signs CloudFront requests with SigV4 and supports SSE-KMS; OAI is legacy (cdk-nag CFR7) and allowed only when the user asks for it, with a suppression.',
  fix: 'Add an AWS::CloudFront::OriginAccessControl (SigningBehavior always, SigningProtocol sigv4, OriginAccessControlOriginType s3), set OriginAccessControlId on the S3 origin, leave S3OriginConfig.OriginAccessIdentity empty, and allow cloudfront.amazonaws.com with an AWS:SourceArn condition in the bucket policy.',
  resourceTypes: ['AWS::CloudFront::Distribution'],
  check(_id, resource, ctx) {
    const found: RuleOutcome[] = [];
    for (const { item: origin, index } of objectsOf(prop(resource, 'DistributionConfig.Origins'))) {
      const path = `Properties.DistributionConfig.Origins.${index}`;
      const domain = textOf(origin.DomainName) ?? '';
      const target = resolveRef(ctx, origin.DomainName);
      if (/\.s3-website[.-]/.test(domain) || (target?.resource.Type === 'AWS::S3::Bucket' && /WebsiteURL/.test(JSON.stringify(origin.DomainName)))) {
        found.push(nonCompliant('the origin is an S3 website endpoint (public, HTTP only)', `${path}.DomainName`));
        continue;
      }
      const isS3 = isSet(origin.S3OriginConfig) || target?.resource.Type === 'AWS::S3::Bucket' || /\.s3[.-]([a-z0-9-]+\.)*amazonaws\.com/.test(domain);
      if (!isS3) continue;
      const oai = textOf(getPath(origin, 'S3OriginConfig.OriginAccessIdentity'));
      if (oai !== undefined && oai !== '') {
        found.push(nonCompliant('the S3 origin uses an Origin Access Identity (OAI) instead of Origin Access Control', `${path}.S3OriginConfig.OriginAccessIdentity`));
      } else if (!isSet(origin.OriginAccessControlId)) {
        found.push(nonCompliant('the S3 origin has no OriginAccessControlId', `${path}.OriginAccessControlId`));
      }
    }
    return outcomes(found);
  },
};
