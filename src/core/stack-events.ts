/** A CloudFormation stack event, as archctl keeps it (the SDK's shape, trimmed). */
export interface StackEvent {
  eventId: string;
  timestamp: number;
  logicalId: string;
  physicalId?: string | undefined;
  resourceType: string;
  status: string;
  reason?: string | undefined;
  clientRequestToken?: string | undefined;
}

/** Reasons CloudFormation gives to resources it stopped because something else failed: never the cause. */
const KNOCK_ON = /^(Resource (creation|update|deletion) cancelled|The following resource\(s\) failed to (create|update|delete))/i;

/**
 * The events that explain a failed operation: the resources that failed on
 * their own, earliest first, without the cancellations they caused and
 * without the stack's own summary line (unless nothing else explains it).
 */
export function rootCauses(events: readonly StackEvent[], stackName: string): StackEvent[] {
  const failed = events.filter((e) => e.status.endsWith('_FAILED') && e.reason !== undefined);
  const own = failed.filter((e) => !(e.resourceType === 'AWS::CloudFormation::Stack' && e.logicalId === stackName) && !KNOCK_ON.test(e.reason ?? ''));
  const causes = own.length > 0 ? own : failed;
  return [...causes].sort((a, b) => a.timestamp - b.timestamp);
}

/** Types whose create or update is known to take many minutes, with what to tell the user while they wait. */
export const SLOW_RESOURCES: Readonly<Record<string, string>> = {
  'AWS::CloudFront::Distribution': 'CloudFront copies the distribution to every edge location: 5 to 15 minutes is normal, and archctl waits',
  'AWS::DAX::Cluster': 'DAX clusters take 10 to 15 minutes to start their nodes',
  'AWS::ElastiCache::ReplicationGroup': 'ElastiCache clusters take 10 to 20 minutes to create',
  'AWS::ElastiCache::CacheCluster': 'ElastiCache clusters take 5 to 15 minutes to create',
  'AWS::RDS::DBInstance': 'RDS instances take 10 to 20 minutes to create',
  'AWS::RDS::DBCluster': 'RDS clusters take 10 to 20 minutes to create',
  'AWS::ApiGateway::Stage': 'a stage cache takes up to 4 minutes to be created or resized',
};

/** The wait note for an event, once per resource: when it starts a slow create or update. */
export function slowNote(event: StackEvent): string | undefined {
  if (event.status !== 'CREATE_IN_PROGRESS' && event.status !== 'UPDATE_IN_PROGRESS') return undefined;
  return SLOW_RESOURCES[event.resourceType];
}
