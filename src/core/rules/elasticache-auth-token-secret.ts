import type { Rule } from '../rule-types.js';
import { compliant, nonCompliant, notApplicable } from '../rule-helpers/outcomes.js';
import { textOf } from '../rule-helpers/text.js';
import { isSet, prop } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'elasticache-auth-token-secret',
  level: 'error',
  explanation:
    'The AUTH token is the cache password: it must come from Secrets Manager through a dynamic reference, never from a literal or a template parameter, where it would be visible in the template, the console and change sets.',
  fix: "Create an AWS::SecretsManager::Secret (GenerateSecretString, ExcludePunctuation) and set AuthToken: !Sub '{{resolve:secretsmanager:${CacheAuthSecret}::password}}' (or '{{resolve:secretsmanager:${CacheAuthSecret}}}' for a plain secret string).",
  resourceTypes: ['AWS::ElastiCache::ReplicationGroup'],
  check(_id, resource) {
    const engine = textOf(prop(resource, 'Engine'))?.toLowerCase() ?? 'redis';
    if (engine === 'memcached') return notApplicable;
    const token = prop(resource, 'AuthToken');
    if (!isSet(token)) return nonCompliant('the replication group has no AuthToken: any client in the VPC can connect', 'Properties.AuthToken');
    const text = textOf(token);
    if (text !== undefined && text.includes('{{resolve:secretsmanager:')) return compliant;
    return nonCompliant('AuthToken is not a {{resolve:secretsmanager:...}} dynamic reference', 'Properties.AuthToken');
  },
};
