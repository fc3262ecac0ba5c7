import type { Rule, RuleOutcome } from '../rule-types.js';
import { redirectsToHttps } from '../rule-helpers/load-balancers.js';
import { compliant, nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { refersTo, resourcesOfType } from '../rule-helpers/refs.js';
import { textOf } from '../rule-helpers/text.js';
import { getPath, isIntrinsic, objectsOf, prop } from '../rule-helpers/values.js';

/** Security policies that refuse TLS 1.0 and 1.1. */
const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

export const rule: Rule = {
  id: 'elb-https-listener',
  level: 'error',
  explanation: 'Clients must reach the load balancer over TLS 1.2 or later; a plain HTTP listener may only redirect to HTTPS.',
  fix: 'HTTPS listener: Protocol HTTPS, Certificates [ACM certificate], SslPolicy ELBSecurityPolicy-TLS13-1-2-2021-06. Port 80: DefaultActions [{ Type: redirect, RedirectConfig: { Protocol: HTTPS, Port: "443", StatusCode: HTTP_301 } }] and no forwarding rules.',
  resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener'],
  check(id, resource, ctx) {
    const protocolValue = prop(resource, 'Protocol');
    if (isIntrinsic(protocolValue)) return compliant;
    const protocol = (textOf(protocolValue) ?? '').toUpperCase();
    const found: RuleOutcome[] = [];
    if (protocol === 'HTTPS' || protocol === 'TLS') {
      const policy = prop(resource, 'SslPolicy');
      if (!isIntrinsic(policy) && !(typeof policy === 'string' && TLS12_POLICY.test(policy))) {
        found.push(nonCompliant(policy === undefined ? 'SslPolicy is not set (the default policy allows TLS 1.0)' : `SslPolicy ${policy} allows TLS versions older than 1.2`, 'Properties.SslPolicy'));
      }
      return outcomes(found);
    }
    if (protocol !== 'HTTP') return notApplicable;
    if (!redirectsToHttps(resource)) found.push(nonCompliant('the HTTP listener does not redirect every request to HTTPS', 'Properties.DefaultActions'));
    for (const { id: ruleId, resource: listenerRule } of resourcesOfType(ctx, 'AWS::ElasticLoadBalancingV2::ListenerRule')) {
      if (!refersTo(prop(listenerRule, 'ListenerArn'), id)) continue;
      const serves = objectsOf(prop(listenerRule, 'Actions')).some(
        ({ item }) => !(item.Type === 'fixed-response' || (item.Type === 'redirect' && textOf(getPath(item, 'RedirectConfig.Protocol')) === 'HTTPS')),
      );
      if (serves) found.push(nonCompliant(`listener rule ${ruleId} serves content over plain HTTP`, 'Properties.Protocol'));
    }
    return outcomes(found);
  },
};
