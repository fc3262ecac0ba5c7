import type { Rule, RuleOutcome } from '../rule-types.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { isIntrinsic, isObject, objectsOf, prop } from '../rule-helpers/values.js';

const OK = new Set(['redirect-to-https', 'https-only']);

export const rule: Rule = {
  id: 'cloudfront-viewer-https',
  level: 'error',
  explanation: 'Viewers must never talk to the distribution over plain HTTP: cookies, tokens and content would travel unencrypted.',
  fix: 'Set ViewerProtocolPolicy: redirect-to-https on DefaultCacheBehavior and on every CacheBehaviors entry.',
  resourceTypes: ['AWS::CloudFront::Distribution'],
  check(_id, resource) {
    const found: RuleOutcome[] = [];
    const behaviors: { behavior: unknown; path: string }[] = [
      { behavior: prop(resource, 'DistributionConfig.DefaultCacheBehavior'), path: 'Properties.DistributionConfig.DefaultCacheBehavior' },
      ...objectsOf(prop(resource, 'DistributionConfig.CacheBehaviors')).map(({ item, index }) => ({
        behavior: item,
        path: `Properties.DistributionConfig.CacheBehaviors.${index}`,
      })),
    ];
    for (const { behavior, path } of behaviors) {
      if (!isObject(behavior)) continue;
      const policy = behavior.ViewerProtocolPolicy;
      if (isIntrinsic(policy)) continue;
      if (typeof policy !== 'string' || !OK.has(policy)) {
        found.push(nonCompliant(`ViewerProtocolPolicy is ${JSON.stringify(policy ?? null)}, which serves plain HTTP`, `${path}.ViewerProtocolPolicy`));
      }
    }
    return outcomes(found);
  },
};
