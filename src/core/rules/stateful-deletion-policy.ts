import type { Rule, RuleOutcome } from '../rule-types.js';
import { nonCompliant, outcomes } from '../rule-helpers/outcomes.js';

/** Resources holding data that a stack delete or replacement would destroy (DynamoDB: see dynamodb-retain). */
const STATEFUL_TYPES = [
  'AWS::S3::Bucket',
  'AWS::Cognito::UserPool',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::CacheCluster',
  'AWS::ElastiCache::ServerlessCache',
  'AWS::DAX::Cluster',
  'AWS::EFS::FileSystem',
  'AWS::KMS::Key',
  'AWS::Logs::LogGroup',
  'AWS::SecretsManager::Secret',
];

export const rule: Rule = {
  id: 'stateful-deletion-policy',
  level: 'error',
  explanation:
    'CloudFormation deletes a resource removed from the template, and the old copy of a replaced one, unless told otherwise; for anything holding data the choice (Retain, Snapshot or Delete) must be written down.',
  fix: 'Set both DeletionPolicy and UpdateReplacePolicy (resource attributes next to Type): Retain for data that must survive, Snapshot where supported, Delete only for disposable data.',
  resourceTypes: STATEFUL_TYPES,
  check(_id, resource) {
    const found: RuleOutcome[] = [];
    if (resource.DeletionPolicy === undefined) found.push(nonCompliant('DeletionPolicy is not set (Delete by default)', 'DeletionPolicy'));
    if (resource.UpdateReplacePolicy === undefined) found.push(nonCompliant('UpdateReplacePolicy is not set (Delete by default)', 'UpdateReplacePolicy'));
    return outcomes(found);
  },
};
