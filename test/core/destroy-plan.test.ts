import { describe, expect, it } from 'vitest';
import { deletionPolicyOf, failedIds, formatDestroyPlan, formatLeftBehind, planDestroy, type DeployedResource } from '../../src/core/destroy-plan.js';
import { renderPattern } from '../../src/actions/render.js';
import { isStateful } from '../../src/core/change-set.js';
import type { CfnTemplate } from '../../src/core/types.js';

const where = { region: 'eu-west-1' };
const deployed = (logicalId: string, type: string, physicalId: string, status = 'CREATE_COMPLETE', reason?: string): DeployedResource => ({
  logicalId,
  type,
  physicalId,
  status,
  ...(reason ? { reason } : {}),
});

const template: CfnTemplate = {
  Resources: {
    TodoTable: { Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Retain', Properties: { DeletionProtectionEnabled: true } },
    UserPool: { Type: 'AWS::Cognito::UserPool', DeletionPolicy: 'RetainExceptOnCreate' },
    Database: { Type: 'AWS::RDS::DBInstance', DeletionPolicy: 'Snapshot' },
    UploadBucket: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Delete' },
    AccessLogs: { Type: 'AWS::Logs::LogGroup' },
    ListTodosFunction: { Type: 'AWS::Lambda::Function' },
    ListTodosRole: { Type: 'AWS::IAM::Role', DeletionPolicy: 'Delete' },
  },
};
const resources = [
  deployed('TodoTable', 'AWS::DynamoDB::Table', 'todo-dev-TodoTable-ABC'),
  deployed('UserPool', 'AWS::Cognito::UserPool', 'eu-west-1_Abc123'),
  deployed('Database', 'AWS::RDS::DBInstance', 'todo-dev-db'),
  deployed('UploadBucket', 'AWS::S3::Bucket', 'todo-dev-uploadbucket-xyz'),
  deployed('AccessLogs', 'AWS::Logs::LogGroup', '/aws/apigateway/todo-dev'),
  deployed('ListTodosFunction', 'AWS::Lambda::Function', 'todo-dev-ListTodos'),
  deployed('ListTodosRole', 'AWS::IAM::Role', 'todo-dev-ListTodosRole-1'),
];

describe('destroy plan', () => {
  it('GIVEN DeletionPolicy Retain on a table THEN it is retained, with its data, costs, and the commands to delete it by hand', () => {
    const plan = planDestroy(template, resources, where);
    const table = plan.retained.find((r) => r.logicalId === 'TodoTable');
    expect(table).toMatchObject({ type: 'AWS::DynamoDB::Table', physicalId: 'todo-dev-TodoTable-ABC', policy: 'Retain' });
    expect(table!.what).toMatch(/^retained: stays in the account with its data and keeps costing; /);
    // Deletion protection has to go first, or delete-table fails.
    expect(table!.what).toContain('`aws dynamodb update-table --table-name todo-dev-TodoTable-ABC --no-deletion-protection-enabled --region eu-west-1`');
    expect(table!.what).toContain('`aws dynamodb delete-table --table-name todo-dev-TodoTable-ABC --region eu-west-1`');
  });

  it('GIVEN RetainExceptOnCreate on a created user pool THEN it is retained (it exists, so it was created)', () => {
    const plan = planDestroy(template, resources, where);
    const pool = plan.retained.find((r) => r.logicalId === 'UserPool');
    expect(pool).toMatchObject({ policy: 'RetainExceptOnCreate' });
    expect(pool!.what).toContain('`aws cognito-idp delete-user-pool --user-pool-id eu-west-1_Abc123 --region eu-west-1`');
  });

  it('GIVEN Snapshot THEN it is deleted after a final snapshot that stays and costs', () => {
    const plan = planDestroy(template, resources, where);
    expect(plan.snapshot.map((r) => r.logicalId)).toEqual(['Database']);
    expect(plan.snapshot[0]!.what).toMatch(/final snapshot: the snapshot stays in the account and keeps costing/);
  });

  it('GIVEN a bucket with DeletionPolicy Delete THEN it is deleted only if empty: archctl empties nothing, --retain is offered', () => {
    const plan = planDestroy(template, resources, where);
    const bucket = plan.deletedWithData.find((r) => r.logicalId === 'UploadBucket');
    expect(bucket!.what).toBe(
      'deleted only if empty: archctl empties nothing; if it holds objects the delete fails (DELETE_FAILED) and you decide: empty it yourself, or rerun destroy with --retain UploadBucket',
    );
  });

  it('GIVEN no DeletionPolicy on a log group THEN it is deleted with its data (CloudFormation defaults to Delete)', () => {
    const plan = planDestroy(template, resources, where);
    expect(plan.deletedWithData.find((r) => r.logicalId === 'AccessLogs')).toMatchObject({ policy: 'Delete', what: 'deleted with its log history' });
  });

  it('GIVEN stateless resources THEN they are only counted, whatever their policy', () => {
    const plan = planDestroy(template, resources, where);
    expect(plan.deleted).toBe(2);
    const named = [...plan.retained, ...plan.snapshot, ...plan.deletedWithData].map((r) => r.logicalId);
    expect(named).not.toContain('ListTodosFunction');
    expect(named).not.toContain('ListTodosRole');
  });

  it('GIVEN a retained stateless resource THEN it is still listed (nothing is left behind silently), without "with its data"', () => {
    const t: CfnTemplate = { Resources: { Role: { Type: 'AWS::IAM::Role', DeletionPolicy: 'Retain' } } };
    const plan = planDestroy(t, [deployed('Role', 'AWS::IAM::Role', 'r-1')], where);
    expect(plan.retained[0]!.what).toBe('retained: stays in the account, no longer managed by any stack; when you no longer need it, delete it in the console');
  });

  it('GIVEN retained buckets, log groups, secrets and KMS keys THEN each gets its own delete command; S3 warns that --force deletes every object', () => {
    const t: CfnTemplate = {
      Resources: {
        B: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain' },
        L: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain' },
        S: { Type: 'AWS::SecretsManager::Secret', DeletionPolicy: 'Retain' },
        K: { Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain' },
        D: { Type: 'AWS::CloudFront::Distribution', DeletionPolicy: 'Retain' },
      },
    };
    const plan = planDestroy(
      t,
      [
        deployed('B', 'AWS::S3::Bucket', 'my-bucket'),
        deployed('L', 'AWS::Logs::LogGroup', '/my/logs'),
        deployed('S', 'AWS::SecretsManager::Secret', 'arn:aws:secretsmanager:eu-west-1:1:secret:s'),
        deployed('K', 'AWS::KMS::Key', 'key-1'),
        deployed('D', 'AWS::CloudFront::Distribution', 'E123'),
      ],
      { region: 'us-east-1', profile: 'prod' },
    );
    const what = Object.fromEntries(plan.retained.map((r) => [r.logicalId, r.what]));
    expect(what.B).toContain('`aws s3 rb s3://my-bucket --force --region us-east-1 --profile prod`');
    expect(what.B).toContain('--force deletes every object in it first');
    expect(what.L).toContain('`aws logs delete-log-group --log-group-name /my/logs --region us-east-1 --profile prod`');
    expect(what.S).toContain('`aws secretsmanager delete-secret --secret-id arn:aws:secretsmanager:eu-west-1:1:secret:s --region us-east-1 --profile prod`');
    expect(what.K).toContain('`aws kms schedule-key-deletion --key-id key-1 --pending-window-in-days 30 --region us-east-1 --profile prod`');
    expect(what.D).toMatch(/when you no longer need it, delete it in the console$/);
  });

  it('GIVEN a table with deletion protection and DeletionPolicy Delete THEN the plan says the delete will fail until it is turned off', () => {
    const t: CfnTemplate = { Resources: { T: { Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Delete', Properties: { DeletionProtectionEnabled: true } } } };
    const plan = planDestroy(t, [deployed('T', 'AWS::DynamoDB::Table', 'tbl')], where);
    expect(plan.deletedWithData[0]!.what).toMatch(/deletion protection makes the delete fail .* --retain T$/);
  });

  it('GIVEN RDS without a DeletionPolicy THEN CloudFormation\'s default Snapshot applies (clusters, and instances outside a cluster)', () => {
    const t: CfnTemplate = {
      Resources: {
        Cluster: { Type: 'AWS::RDS::DBCluster' },
        Alone: { Type: 'AWS::RDS::DBInstance' },
        Member: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'Cluster' } } },
      },
    };
    expect(deletionPolicyOf(t, 'Cluster', 'AWS::RDS::DBCluster')).toBe('Snapshot');
    expect(deletionPolicyOf(t, 'Alone', 'AWS::RDS::DBInstance')).toBe('Snapshot');
    expect(deletionPolicyOf(t, 'Member', 'AWS::RDS::DBInstance')).toBe('Delete');
  });

  it('GIVEN a policy archctl cannot read (an intrinsic, a resource added by a transform, a YAML template) THEN it assumes the worst: deleted with its data', () => {
    const t = { Resources: { T: { Type: 'AWS::DynamoDB::Table', DeletionPolicy: { 'Fn::If': ['IsProd', 'Retain', 'Delete'] } } } } as unknown as CfnTemplate;
    expect(deletionPolicyOf(t, 'T', 'AWS::DynamoDB::Table')).toBe('unknown');
    expect(deletionPolicyOf(t, 'FromTransform', 'AWS::DynamoDB::Table')).toBe('unknown');
    const unread = planDestroy(undefined, [deployed('T', 'AWS::DynamoDB::Table', 'tbl')], where);
    expect(unread.templateUnread).toBe(true);
    expect(unread.deletedWithData[0]).toMatchObject({ policy: 'unknown' });
    expect(unread.deletedWithData[0]!.what).toMatch(/cannot be read .* assume it is deleted with its data/);
    expect(formatDestroyPlan(unread)[0]).toMatch(/^the deployed template is not JSON/);
  });

  it('GIVEN resources already deleted or never created THEN they are left out (nothing remains of them)', () => {
    const plan = planDestroy(template, [deployed('TodoTable', 'AWS::DynamoDB::Table', 'tbl', 'DELETE_COMPLETE'), { logicalId: 'UserPool', type: 'AWS::Cognito::UserPool', status: 'CREATE_FAILED' }], where);
    expect(plan).toMatchObject({ retained: [], snapshot: [], deletedWithData: [], deleted: 0 });
  });

  it('GIVEN a stack in DELETE_FAILED THEN the failed resources and reasons are listed, and --retain ids become retained', () => {
    const failedBucket = deployed('UploadBucket', 'AWS::S3::Bucket', 'todo-dev-uploadbucket-xyz', 'DELETE_FAILED', 'The bucket you tried to delete is not empty');
    const gone = deployed('ListTodosFunction', 'AWS::Lambda::Function', 'fn', 'DELETE_COMPLETE');
    const plain = planDestroy(template, [failedBucket, gone], where);
    expect(plain.failed).toEqual([{ logicalId: 'UploadBucket', type: 'AWS::S3::Bucket', physicalId: 'todo-dev-uploadbucket-xyz', reason: 'The bucket you tried to delete is not empty' }]);
    expect(failedIds(plain)).toEqual(['UploadBucket']);
    expect(formatDestroyPlan(plain).slice(0, 2)).toEqual(['the last delete failed on:', '  UploadBucket (AWS::S3::Bucket, todo-dev-uploadbucket-xyz): The bucket you tried to delete is not empty']);

    const kept = planDestroy(template, [failedBucket, gone], { ...where, retain: ['UploadBucket'] });
    expect(kept.deletedWithData).toEqual([]);
    expect(kept.retained[0]).toMatchObject({ logicalId: 'UploadBucket', policy: 'Retain' });
    expect(kept.retained[0]!.what).toMatch(/^retained \(--retain\): CloudFormation leaves it in place and forgets it; .*`aws s3 rb s3:\/\/todo-dev-uploadbucket-xyz --force --region eu-west-1`/);
  });

  it('formats one line per resource, "<id> (<type>, <physical id>): <what>", and what is left behind afterwards', () => {
    const plan = planDestroy(template, resources, where);
    const lines = formatDestroyPlan(plan);
    expect(lines).toContain('retained (they stay, and keep costing, until you delete them):');
    expect(lines.some((l) => l.startsWith('  TodoTable (AWS::DynamoDB::Table, todo-dev-TodoTable-ABC): retained: stays in the account with its data and keeps costing; when you no longer need it, delete it in the console or with'))).toBe(true);
    expect(lines.at(-1)).toBe('deleted: 2 other resources (functions, roles, APIs and the like hold no data)');
    const left = formatLeftBehind(plan);
    expect(left[0]).toBe('left behind (they keep costing until you delete them):');
    expect(left.slice(1).map((l) => l.trim().split(' ')[0])).toEqual(['TodoTable', 'UserPool', 'Database']);
    expect(formatLeftBehind(planDestroy(template, [], where))).toEqual(['nothing was left behind']);
  });

  it('GIVEN the rendered todo template THEN every stateful resource is named; its data stores are retained', () => {
    const { template: todo } = renderPattern({ pattern: 'todo', parameters: {} });
    const all = Object.entries(todo.Resources).map(([id, r]) => deployed(id, r.Type, `phys-${id}`));
    const plan = planDestroy(todo, all, where);
    // Only stateless resources are merely counted: nothing that holds data is deleted unnamed.
    const named = [...plan.retained, ...plan.snapshot, ...plan.deletedWithData].map((r) => r.logicalId).sort();
    const counted = all.filter((r) => !named.includes(r.logicalId));
    expect(named).toEqual(expect.arrayContaining(all.filter((r) => isStateful(r.type)).map((r) => r.logicalId)));
    expect(counted.filter((r) => isStateful(r.type))).toEqual([]);
    expect(plan.deleted).toBe(counted.length);
    // Retained stateless resources (the account-wide API Gateway logging role) are named too.
    expect(plan.retained.find((r) => r.logicalId === 'ApiGatewayCloudWatchRole')?.what).toMatch(/^retained: stays in the account, no longer managed by any stack/);
    expect(plan.retained.map((r) => r.logicalId)).toEqual(expect.arrayContaining(['TodoTable', 'UserPool', 'UserFilesBucket']));
    expect(plan.deletedWithData.find((r) => r.logicalId === 'PaginationSecret')).toMatchObject({ what: 'deleted with its value' });
  });
});
