import type { Rule, RuleOutcome } from '../rule-types.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';
import { asList, isIntrinsic, isObject, objectsOf, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'cloudfront-origin-https',
  level: 'error',
  explanation:
    'Between CloudFront and a custom origin (API Gateway, ALB, an existing site) traffic crosses the internet; it must use HTTPS with TLS 1.2 only. An origin without HTTPS suppresses this rule with a reason.',
  fix: "Set CustomOriginConfig: { OriginProtocolPolicy: https-only, OriginSSLProtocols: ['TLSv1.2'] }.",
  resourceTypes: ['AWS::CloudFront::Distribution'],
  check(_id, resource) {
    const found: RuleOutcome[] = [];
    for (const { item: origin, index } of objectsOf(prop(resource, 'DistributionConfig.Origins'))) {
      const config = origin.CustomOriginConfig;
      if (!isObject(config)) continue;
      const path = `Properties.DistributionConfig.Origins.${index}.CustomOriginConfig`;
      const policy = config.OriginProtocolPolicy;
      if (!isIntrinsic(policy) && policy !== 'https-only') {
        found.push(nonCompliant(`OriginProtocolPolicy is ${JSON.stringify(policy ?? null)}, not https-only`, `${path}.OriginProtocolPolicy`));
        continue;
      }
      const protocols = config.OriginSSLProtocols;
      if (isIntrinsic(protocols)) continue;
      const list = asList(protocols);
      if (list.length === 0) {
        found.push(nonCompliant('OriginSSLProtocols is not set (the default allows TLSv1 and TLSv1.1)', `${path}.OriginSSLProtocols`));
      } else {
        const old = list.filter((p) => typeof p === 'string' && p !== 'TLSv1.2' && p !== 'TLSv1.3');
        if (old.length > 0) found.push(nonCompliant(`OriginSSLProtocols allows ${old.join(', ')}`, `${path}.OriginSSLProtocols`));
      }
    }
    return outcomes(found);
  },
};
