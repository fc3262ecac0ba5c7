/** S3 buckets: log buckets, and the bucket policies that apply to a bucket. */
import type { RuleContext } from '../rule-types.js';
import type { CfnResource } from '../types.js';
import { refersTo, resourcesOfType } from './refs.js';
import { textOf } from './text.js';
import { objectsOf, prop } from './values.js';

/** Log buckets: named as a log destination by another bucket, a distribution or a load balancer. */
export function isLogBucket(ctx: RuleContext, bucketId: string): boolean {
  for (const [id, r] of Object.entries(ctx.resources)) {
    if (id === bucketId) continue;
    if (r.Type === 'AWS::S3::Bucket' && refersTo(prop(r, 'LoggingConfiguration.DestinationBucketName'), bucketId)) return true;
    if (r.Type === 'AWS::CloudFront::Distribution' && refersTo(prop(r, 'DistributionConfig.Logging.Bucket'), bucketId)) return true;
    if (r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer') {
      for (const { item } of objectsOf(prop(r, 'LoadBalancerAttributes'))) {
        if (item.Key === 'access_logs.s3.bucket' && refersTo(item.Value, bucketId)) return true;
      }
    }
    if (r.Type === 'AWS::Logs::DeliveryDestination' && refersTo(prop(r, 'DestinationResourceArn'), bucketId)) return true;
  }
  return false;
}

/** Policies (AWS::S3::BucketPolicy) that apply to a bucket. */
export function bucketPolicies(ctx: RuleContext, bucketId: string, bucket: CfnResource): { id: string; resource: CfnResource }[] {
  const name = textOf(prop(bucket, 'BucketName'));
  return resourcesOfType(ctx, 'AWS::S3::BucketPolicy').filter(({ resource }) => {
    const target = prop(resource, 'Bucket');
    if (refersTo(target, bucketId)) return true;
    const text = textOf(target);
    return name !== undefined && text !== undefined && text === name;
  });
}
