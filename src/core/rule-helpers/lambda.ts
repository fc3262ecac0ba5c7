/** Lambda functions: what invokes them (event source mappings, S3 notifications) and the role they run as. */
import type { RuleContext } from '../rule-types.js';
import type { CfnResource, Json, JsonObject } from '../types.js';
import { refersTo, resolveRef, resourcesOfType } from './refs.js';
import { textOf } from './text.js';
import { isSet, objectsOf, prop } from './values.js';

/** True when `value` (a FunctionName / Function property) points at the function. */
export function pointsAtFunction(value: Json | undefined, fnId: string, fn: CfnResource): boolean {
  if (refersTo(value, fnId)) return true;
  const name = textOf(prop(fn, 'FunctionName'));
  const text = textOf(value);
  return name !== undefined && text !== undefined && (text === name || text.endsWith(`:function:${name}`));
}

export type EventSourceKind = 'sqs' | 'dynamodb' | 'kinesis' | 'kafka' | 'mq' | 'docdb' | 'unknown';

/** What an event source mapping reads from. */
export function eventSourceKind(ctx: RuleContext, esm: CfnResource): EventSourceKind {
  if (isSet(prop(esm, 'SelfManagedEventSource'))) return 'kafka';
  if (isSet(prop(esm, 'Queues'))) return 'mq';
  const arn = prop(esm, 'EventSourceArn');
  const target = resolveRef(ctx, arn);
  if (target) {
    switch (target.resource.Type) {
      case 'AWS::SQS::Queue':
        return 'sqs';
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return 'dynamodb';
      case 'AWS::Kinesis::Stream':
      case 'AWS::Kinesis::StreamConsumer':
        return 'kinesis';
      case 'AWS::MSK::Cluster':
      case 'AWS::MSK::ServerlessCluster':
        return 'kafka';
      case 'AWS::AmazonMQ::Broker':
        return 'mq';
      case 'AWS::DocDB::DBCluster':
        return 'docdb';
      default:
        break;
    }
  }
  const text = textOf(arn) ?? '';
  if (/:sqs:/.test(text)) return 'sqs';
  if (/:dynamodb:/.test(text)) return 'dynamodb';
  if (/:kinesis:/.test(text)) return 'kinesis';
  if (/:kafka:/.test(text)) return 'kafka';
  if (/:mq:/.test(text)) return 'mq';
  if (/:rds:/.test(text)) return 'docdb';
  return 'unknown';
}

export function isStreamKind(kind: EventSourceKind): boolean {
  return kind === 'dynamodb' || kind === 'kinesis';
}

/** The event source mappings that feed a function. */
export function mappingsOf(ctx: RuleContext, fnId: string, fn: CfnResource): { id: string; resource: CfnResource }[] {
  return resourcesOfType(ctx, 'AWS::Lambda::EventSourceMapping').filter(({ resource }) => pointsAtFunction(prop(resource, 'FunctionName'), fnId, fn));
}

/** Buckets whose notifications invoke the function, with the notification entries. */
export function s3TriggersOf(
  ctx: RuleContext,
  fnId: string,
  fn: CfnResource,
): { bucketId: string; bucket: CfnResource; config: JsonObject; index: number }[] {
  const out: { bucketId: string; bucket: CfnResource; config: JsonObject; index: number }[] = [];
  for (const { id, resource } of resourcesOfType(ctx, 'AWS::S3::Bucket')) {
    for (const { item, index } of objectsOf(prop(resource, 'NotificationConfiguration.LambdaConfigurations'))) {
      if (pointsAtFunction(item.Function, fnId, fn)) out.push({ bucketId: id, bucket: resource, config: item, index });
    }
  }
  return out;
}

/** True when S3 may invoke the function (a notification or an invoke permission for s3.amazonaws.com). */
export function isS3Consumer(ctx: RuleContext, fnId: string, fn: CfnResource): boolean {
  if (s3TriggersOf(ctx, fnId, fn).length > 0) return true;
  return resourcesOfType(ctx, 'AWS::Lambda::Permission').some(
    ({ resource }) => textOf(prop(resource, 'Principal')) === 's3.amazonaws.com' && pointsAtFunction(prop(resource, 'FunctionName'), fnId, fn),
  );
}

/** The role a function runs as, when it is a template role. */
export function functionRoleId(ctx: RuleContext, fn: CfnResource): string | undefined {
  const target = resolveRef(ctx, prop(fn, 'Role'));
  return target && target.resource.Type === 'AWS::IAM::Role' ? target.id : undefined;
}
