/** Elastic Load Balancing v2: load balancer attributes and type, listeners and listener rules. */
import type { RuleContext } from '../rule-types.js';
import type { CfnResource, Json } from '../types.js';
import { refersTo, resourcesOfType } from './refs.js';
import { textOf } from './text.js';
import { getPath, objectsOf, prop } from './values.js';

/** A LoadBalancerAttributes value by key. */
export function lbAttribute(resource: CfnResource, key: string): Json | undefined {
  return objectsOf(prop(resource, 'LoadBalancerAttributes')).find(({ item }) => item.Key === key)?.item.Value;
}

/** True for an Application Load Balancer (Type application, the default). */
export function isApplicationLb(resource: CfnResource): boolean {
  const type = prop(resource, 'Type');
  return type === undefined || type === 'application';
}

/** Listener rules of a listener that match on an HTTP header (the secret origin header of a locked origin). */
export function headerRulesOf(ctx: RuleContext, listenerId: string): { id: string; resource: CfnResource; headers: string[] }[] {
  const out: { id: string; resource: CfnResource; headers: string[] }[] = [];
  for (const { id, resource } of resourcesOfType(ctx, 'AWS::ElasticLoadBalancingV2::ListenerRule')) {
    if (!refersTo(prop(resource, 'ListenerArn'), listenerId)) continue;
    const headers: string[] = [];
    for (const { item } of objectsOf(prop(resource, 'Conditions'))) {
      const name = textOf(getPath(item, 'HttpHeaderConfig.HttpHeaderName'));
      if (item.Field === 'http-header' || name !== undefined) headers.push(name ?? '');
    }
    if (headers.length > 0) out.push({ id, resource, headers });
  }
  return out;
}

/** Listeners of a load balancer. */
export function listenersOf(ctx: RuleContext, lbId: string): { id: string; resource: CfnResource }[] {
  return resourcesOfType(ctx, 'AWS::ElasticLoadBalancingV2::Listener').filter(({ resource }) => refersTo(prop(resource, 'LoadBalancerArn'), lbId));
}

/** True when every default action of the listener redirects to HTTPS. */
export function redirectsToHttps(listener: CfnResource): boolean {
  const actions = objectsOf(prop(listener, 'DefaultActions'));
  return actions.length > 0 && actions.every(({ item }) => item.Type === 'redirect' && textOf(getPath(item, 'RedirectConfig.Protocol')) === 'HTTPS');
}
