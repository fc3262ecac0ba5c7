/**
 * Every security rule, sorted by id. Each rule lives in its own file whose
 * name is the rule id; add new rules here explicitly (a test checks that
 * every file is listed).
 */
import type { Rule } from '../rule-types.js';
import { rule as albOriginLockPrefixList } from './alb-origin-lock-prefix-list.js';
import { rule as albOriginLockSecretHeader } from './alb-origin-lock-secret-header.js';
import { rule as apigwAccessLogs } from './apigw-access-logs.js';
import { rule as apigwCacheEncrypted } from './apigw-cache-encrypted.js';
import { rule as apigwCacheInvalidationAuth } from './apigw-cache-invalidation-auth.js';
import { rule as apigwCacheKeyPerUser } from './apigw-cache-key-per-user.js';
import { rule as apigwCognitoAuthorizer } from './apigw-cognito-authorizer.js';
import { rule as apigwExecutionLogs } from './apigw-execution-logs.js';
import { rule as apigwRequestValidator } from './apigw-request-validator.js';
import { rule as apigwThrottling } from './apigw-throttling.js';
import { rule as apigwXray } from './apigw-xray.js';
import { rule as cloudfrontAccessLogging } from './cloudfront-access-logging.js';
import { rule as cloudfrontGeoRestriction } from './cloudfront-geo-restriction.js';
import { rule as cloudfrontOriginHttps } from './cloudfront-origin-https.js';
import { rule as cloudfrontS3OriginOac } from './cloudfront-s3-origin-oac.js';
import { rule as cloudfrontViewerHttps } from './cloudfront-viewer-https.js';
import { rule as cloudfrontViewerTls } from './cloudfront-viewer-tls.js';
import { rule as cloudfrontWaf } from './cloudfront-waf.js';
import { rule as cognitoIdentityNoRoleMappings } from './cognito-identity-no-role-mappings.js';
import { rule as cognitoIdentityPoolNoUnauth } from './cognito-identity-pool-no-unauth.js';
import { rule as cognitoIdentityRoleTrust } from './cognito-identity-role-trust.js';
import { rule as cognitoIdentityS3PerUser } from './cognito-identity-s3-per-user.js';
import { rule as cognitoMfa } from './cognito-mfa.js';
import { rule as cognitoPasswordPolicy } from './cognito-password-policy.js';
import { rule as daxEncryptionAtRest } from './dax-encryption-at-rest.js';
import { rule as daxEndpointTls } from './dax-endpoint-tls.js';
import { rule as dynamodbDeletionProtection } from './dynamodb-deletion-protection.js';
import { rule as dynamodbPitr } from './dynamodb-pitr.js';
import { rule as dynamodbRetain } from './dynamodb-retain.js';
import { rule as ec2EbsEncrypted } from './ec2-ebs-encrypted.js';
import { rule as ec2Imdsv2 } from './ec2-imdsv2.js';
import { rule as ec2NoOpenIngress } from './ec2-no-open-ingress.js';
import { rule as elasticacheAuthTokenSecret } from './elasticache-auth-token-secret.js';
import { rule as elasticacheEncryptionAtRest } from './elasticache-encryption-at-rest.js';
import { rule as elasticacheInTransitEncryption } from './elasticache-in-transit-encryption.js';
import { rule as elasticacheInVpc } from './elasticache-in-vpc.js';
import { rule as elbAccessLogs } from './elb-access-logs.js';
import { rule as elbDropInvalidHeaders } from './elb-drop-invalid-headers.js';
import { rule as elbHttpsListener } from './elb-https-listener.js';
import { rule as esmBisectBatch } from './esm-bisect-batch.js';
import { rule as esmFilterCriteria } from './esm-filter-criteria.js';
import { rule as esmMaxRetryAttempts } from './esm-max-retry-attempts.js';
import { rule as esmOnFailureDestination } from './esm-on-failure-destination.js';
import { rule as esmReportBatchItemFailures } from './esm-report-batch-item-failures.js';
import { rule as iamNoAwsManagedPolicies } from './iam-no-aws-managed-policies.js';
import { rule as iamNoWildcardActions } from './iam-no-wildcard-actions.js';
import { rule as iamNoWildcardResources } from './iam-no-wildcard-resources.js';
import { rule as kmsKeyRotation } from './kms-key-rotation.js';
import { rule as lambdaConsumerOnFailure } from './lambda-consumer-on-failure.js';
import { rule as lambdaConsumerReservedConcurrency } from './lambda-consumer-reserved-concurrency.js';
import { rule as lambdaLatestRuntime } from './lambda-latest-runtime.js';
import { rule as lambdaLogGroup } from './lambda-log-group.js';
import { rule as lambdaPermissionS3SourceAccount } from './lambda-permission-s3-source-account.js';
import { rule as lambdaPermissionSourceArn } from './lambda-permission-source-arn.js';
import { rule as logsRetention } from './logs-retention.js';
import { rule as rdsBackups } from './rds-backups.js';
import { rule as rdsDeletionProtection } from './rds-deletion-protection.js';
import { rule as rdsIngressFromAppSg } from './rds-ingress-from-app-sg.js';
import { rule as rdsManagedMasterPassword } from './rds-managed-master-password.js';
import { rule as rdsNotPublic } from './rds-not-public.js';
import { rule as rdsPrivateSubnets } from './rds-private-subnets.js';
import { rule as rdsStorageEncrypted } from './rds-storage-encrypted.js';
import { rule as s3AccessLogs } from './s3-access-logs.js';
import { rule as s3BlockPublicAccess } from './s3-block-public-access.js';
import { rule as s3Encryption } from './s3-encryption.js';
import { rule as s3LambdaNoSelfTrigger } from './s3-lambda-no-self-trigger.js';
import { rule as s3NoPublicAcl } from './s3-no-public-acl.js';
import { rule as s3NoWebsiteHosting } from './s3-no-website-hosting.js';
import { rule as s3PolicyNoPublicPrincipal } from './s3-policy-no-public-principal.js';
import { rule as s3SslOnly } from './s3-ssl-only.js';
import { rule as s3Versioning } from './s3-versioning.js';
import { rule as sesSendScoped } from './ses-send-scoped.js';
import { rule as sqsEncryption } from './sqs-encryption.js';
import { rule as sqsSslOnly } from './sqs-ssl-only.js';
import { rule as statefulDeletionPolicy } from './stateful-deletion-policy.js';

export const rules: readonly Rule[] = [
  albOriginLockPrefixList,
  albOriginLockSecretHeader,
  apigwAccessLogs,
  apigwCacheEncrypted,
  apigwCacheInvalidationAuth,
  apigwCacheKeyPerUser,
  apigwCognitoAuthorizer,
  apigwExecutionLogs,
  apigwRequestValidator,
  apigwThrottling,
  apigwXray,
  cloudfrontAccessLogging,
  cloudfrontGeoRestriction,
  cloudfrontOriginHttps,
  cloudfrontS3OriginOac,
  cloudfrontViewerHttps,
  cloudfrontViewerTls,
  cloudfrontWaf,
  cognitoIdentityNoRoleMappings,
  cognitoIdentityPoolNoUnauth,
  cognitoIdentityRoleTrust,
  cognitoIdentityS3PerUser,
  cognitoMfa,
  cognitoPasswordPolicy,
  daxEncryptionAtRest,
  daxEndpointTls,
  dynamodbDeletionProtection,
  dynamodbPitr,
  dynamodbRetain,
  ec2EbsEncrypted,
  ec2Imdsv2,
  ec2NoOpenIngress,
  elasticacheAuthTokenSecret,
  elasticacheEncryptionAtRest,
  elasticacheInTransitEncryption,
  elasticacheInVpc,
  elbAccessLogs,
  elbDropInvalidHeaders,
  elbHttpsListener,
  esmBisectBatch,
  esmFilterCriteria,
  esmMaxRetryAttempts,
  esmOnFailureDestination,
  esmReportBatchItemFailures,
  iamNoAwsManagedPolicies,
  iamNoWildcardActions,
  iamNoWildcardResources,
  kmsKeyRotation,
  lambdaConsumerOnFailure,
  lambdaConsumerReservedConcurrency,
  lambdaLatestRuntime,
  lambdaLogGroup,
  lambdaPermissionS3SourceAccount,
  lambdaPermissionSourceArn,
  logsRetention,
  rdsBackups,
  rdsDeletionProtection,
  rdsIngressFromAppSg,
  rdsManagedMasterPassword,
  rdsNotPublic,
  rdsPrivateSubnets,
  rdsStorageEncrypted,
  s3AccessLogs,
  s3BlockPublicAccess,
  s3Encryption,
  s3LambdaNoSelfTrigger,
  s3NoPublicAcl,
  s3NoWebsiteHosting,
  s3PolicyNoPublicPrincipal,
  s3SslOnly,
  s3Versioning,
  sesSendScoped,
  sqsEncryption,
  sqsSslOnly,
  statefulDeletionPolicy,
];
