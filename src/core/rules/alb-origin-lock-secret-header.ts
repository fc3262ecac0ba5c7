import type { Rule, RuleOutcome } from '../rule-types.js';
import { headerRulesOf } from '../rule-helpers/load-balancers.js';
import { nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { resourcesOfType } from '../rule-helpers/refs.js';
import { textOf } from '../rule-helpers/text.js';
import { getPath, objectsOf, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'alb-origin-lock-secret-header',
  level: 'error',
  explanation:
    'A locked origin forwards only requests carrying the secret header that CloudFront adds; the listener default must answer 403 so that requests without it (straight to the ALB) get nothing, and the distribution must really send that header.',
  fix: "Listener DefaultActions: [{ Type: fixed-response, FixedResponseConfig: { StatusCode: '403' } }]; a ListenerRule with an http-header condition on the secret header forwarding to the target group; the CloudFront origin's OriginCustomHeaders sending the same header name and value.",
  resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener'],
  check(id, resource, ctx) {
    const headerRules = headerRulesOf(ctx, id);
    if (headerRules.length === 0) return notApplicable;
    const found: RuleOutcome[] = [];
    const defaults = objectsOf(prop(resource, 'DefaultActions'));
    const answers403 =
      defaults.length > 0 && defaults.every(({ item }) => item.Type === 'fixed-response' && textOf(getPath(item, 'FixedResponseConfig.StatusCode')) === '403');
    if (!answers403) found.push(nonCompliant('the listener default action does not answer 403: requests without the secret header reach the app', 'Properties.DefaultActions'));

    const distributions = resourcesOfType(ctx, 'AWS::CloudFront::Distribution');
    if (distributions.length > 0) {
      const sent = new Set<string>();
      for (const { resource: d } of distributions) {
        for (const { item: origin } of objectsOf(prop(d, 'DistributionConfig.Origins'))) {
          for (const { item: header } of objectsOf(origin.OriginCustomHeaders)) {
            const name = textOf(header.HeaderName);
            if (name !== undefined) sent.add(name.toLowerCase());
          }
        }
      }
      for (const { id: ruleId, headers } of headerRules) {
        for (const name of headers) {
          if (name !== '' && !sent.has(name.toLowerCase())) {
            found.push(nonCompliant(`listener rule ${ruleId} checks header ${name}, but no CloudFront origin sends it (OriginCustomHeaders)`, 'Properties.DefaultActions'));
          }
        }
      }
    }
    return outcomes(found);
  },
};
