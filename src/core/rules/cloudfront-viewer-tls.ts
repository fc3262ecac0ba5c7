import type { Rule, RuleOutcome } from '../rule-types.js';
import { nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { asList, branches, isIntrinsic, isObject, isTrue, prop } from '../rule-helpers/values.js';

/** TLS 1.2+ security policies for SNI custom certificates. */
const MODERN_VIEWER_POLICIES = new Set(['TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025']);

export const rule: Rule = {
  id: 'cloudfront-viewer-tls',
  level: 'error',
  explanation: 'With a custom domain, the distribution must refuse TLS 1.0/1.1 and legacy dedicated-IP SSL: sni-only with at least TLSv1.2_2021.',
  fix: 'Set ViewerCertificate: { AcmCertificateArn: <us-east-1 certificate>, SslSupportMethod: sni-only, MinimumProtocolVersion: TLSv1.2_2021 }.',
  resourceTypes: ['AWS::CloudFront::Distribution'],
  check(_id, resource) {
    const rawAliases = prop(resource, 'DistributionConfig.Aliases');
    if (asList(rawAliases).length === 0) return notApplicable;
    const aliasesConditional = isIntrinsic(rawAliases);
    const path = 'Properties.DistributionConfig.ViewerCertificate';
    const certs = branches(prop(resource, 'DistributionConfig.ViewerCertificate'));
    if (certs.length === 0) return nonCompliant('the distribution has Aliases but no ViewerCertificate', path);
    const found: RuleOutcome[] = [];
    for (const cert of certs) {
      if (!isObject(cert)) continue;
      if (isTrue(cert.CloudFrontDefaultCertificate)) {
        if (!aliasesConditional) found.push(nonCompliant('the distribution has Aliases but uses the default CloudFront certificate', path));
        continue;
      }
      const method = cert.SslSupportMethod;
      if (!isIntrinsic(method) && method !== 'sni-only') {
        found.push(nonCompliant(`SslSupportMethod is ${JSON.stringify(method ?? null)}, not sni-only`, `${path}.SslSupportMethod`));
      }
      const version = cert.MinimumProtocolVersion;
      if (!isIntrinsic(version) && !(typeof version === 'string' && MODERN_VIEWER_POLICIES.has(version))) {
        found.push(nonCompliant(`MinimumProtocolVersion is ${JSON.stringify(version ?? null)}, older than TLSv1.2_2021`, `${path}.MinimumProtocolVersion`));
      }
    }
    return outcomes(found);
  },
};
