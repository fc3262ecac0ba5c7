// A small, stateful stand-in for the AWS control plane, built on
// aws-sdk-client-mock: CloudFormation stacks, change sets and events, the
// artifact bucket, and Lambda functions. Tests set up a state (a stack in
// ROLLBACK_COMPLETE, a bootstrapped account...), run archctl, then read what
// was called. Only what archctl calls is modelled; anything else is unmocked
// and fails the test.
import {
  CloudFormationClient,
  ContinueUpdateRollbackCommand,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  UpdateTerminationProtectionCommand,
  type Change,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { GetFunctionCommand, GetFunctionConfigurationCommand, LambdaClient, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError } from './aws.js';

export interface FakeStack {
  name: string;
  id: string;
  status: string;
  outputs: Record<string, string>;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  terminationProtection: boolean;
  templateBody?: string;
  resources: { logicalId: string; physicalId: string; type: string; status: string; reason?: string }[];
  /** Newest first, as DescribeStackEvents returns them. */
  events: StackEvent[];
}

interface FakeChangeSet {
  id: string;
  stackName: string;
  type: string;
  templateBody: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  changes: Change[];
}

export type Failure = { logicalId: string; type: string; reason: string };

export const BOOTSTRAP_BUCKET = 'archctl-bootstrap-artifactbucket-1a2b3c';

export class FakeAws {
  readonly cfn = mockClient(CloudFormationClient);
  readonly s3 = mockClient(S3Client);
  readonly lambda = mockClient(LambdaClient);
  readonly stacks: FakeStack[] = [];
  readonly objects = new Map<string, Uint8Array>();
  /** When each object was last written (S3's LastModified). */
  readonly uploadedAt = new Map<string, Date>();
  readonly changeSets = new Map<string, FakeChangeSet>();
  readonly functions = new Map<string, { stackName: string; logicalId: string; code?: Uint8Array }>();
  /** What the next change set lists; by default derived from the template (Add all, or Modify Lambda functions). */
  nextChanges: Change[] | undefined;
  /** The next change set computes to nothing (CloudFormation's FAILED "didn't contain changes"). */
  emptyChangeSet = false;
  /** Makes the next execution (or delete) fail on this resource. */
  failNext: Failure | undefined;
  private clock = Date.parse('2026-11-28T12:00:00Z');
  private seq = 0;

  constructor() {
    this.install();
  }

  restore(): void {
    this.cfn.restore();
    this.s3.restore();
    this.lambda.restore();
  }

  /** Every call made, as "Service:Operation", in order per client. */
  callNames(): string[] {
    const names = (m: { calls(): { args: [{ constructor: { name: string } }] }[] }, service: string) =>
      m.calls().map((c) => `${service}:${c.args[0].constructor.name.replace(/Command$/, '')}`);
    return [...names(this.cfn as never, 'CloudFormation'), ...names(this.s3 as never, 'S3'), ...names(this.lambda as never, 'Lambda')];
  }

  addStack(s: Partial<FakeStack> & { name: string; status: string }): FakeStack {
    const stack: FakeStack = {
      id: `arn:aws:cloudformation:eu-west-1:123456789012:stack/${s.name}/${++this.seq}`,
      outputs: {},
      parameters: {},
      tags: {},
      terminationProtection: false,
      resources: [],
      events: [],
      ...s,
    };
    this.stacks.push(stack);
    return stack;
  }

  bootstrap(version = '1'): FakeStack {
    return this.addStack({ name: 'archctl-bootstrap', status: 'CREATE_COMPLETE', outputs: { ArtifactBucketName: BOOTSTRAP_BUCKET, BootstrapVersion: version } });
  }

  find(nameOrId: string): FakeStack | undefined {
    return this.stacks.find((s) => s.id === nameOrId) ?? this.stacks.find((s) => s.name === nameOrId && s.status !== 'DELETE_COMPLETE');
  }

  private missing(name: string): Error {
    return awsError('ValidationError', `Stack with id ${name} does not exist`);
  }

  private event(stack: FakeStack, logicalId: string, type: string, status: string, token?: string, reason?: string): void {
    this.clock += 1000;
    stack.events.unshift({
      EventId: `e${++this.seq}`,
      StackId: stack.id,
      StackName: stack.name,
      LogicalResourceId: logicalId,
      PhysicalResourceId: type === 'AWS::CloudFormation::Stack' ? stack.id : `${stack.name}-${logicalId}-PHYS`,
      ResourceType: type,
      ResourceStatus: status as never,
      Timestamp: new Date(this.clock),
      ...(reason ? { ResourceStatusReason: reason } : {}),
      ...(token ? { ClientRequestToken: token } : {}),
    });
  }

  private defaultChanges(cs: FakeChangeSet, stack: FakeStack): Change[] {
    const template = JSON.parse(cs.templateBody) as { Resources: Record<string, { Type: string }> };
    if (cs.type === 'CREATE' || stack.status === 'REVIEW_IN_PROGRESS') {
      return Object.entries(template.Resources).map(([id, r]) => ({ Type: 'Resource', ResourceChange: { Action: 'Add', LogicalResourceId: id, ResourceType: r.Type } }));
    }
    return Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([id, r]) => ({
        Type: 'Resource',
        ResourceChange: { Action: 'Modify', LogicalResourceId: id, ResourceType: r.Type, Replacement: 'False', Details: [{ Target: { Attribute: 'Properties', Name: 'Code', RequiresRecreation: 'Never' } }] },
      }));
  }

  private install(): void {
    const { cfn, s3, lambda } = this;
    cfn.on(DescribeStacksCommand).callsFake(({ StackName }: { StackName: string }) => {
      const s = this.find(StackName);
      if (!s) throw this.missing(StackName);
      return {
        Stacks: [
          {
            StackName: s.name,
            StackId: s.id,
            StackStatus: s.status,
            CreationTime: new Date(this.clock),
            EnableTerminationProtection: s.terminationProtection,
            Outputs: Object.entries(s.outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
            Parameters: Object.entries(s.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
            Tags: Object.entries(s.tags).map(([Key, Value]) => ({ Key, Value })),
          },
        ],
      };
    });
    cfn.on(DescribeStackEventsCommand).callsFake(({ StackName }: { StackName: string }) => {
      const s = this.find(StackName);
      if (!s) throw this.missing(StackName);
      return { StackEvents: s.events };
    });
    cfn.on(CreateChangeSetCommand).callsFake((input: { StackName: string; ChangeSetName: string; ChangeSetType: string; TemplateURL?: string; TemplateBody?: string; Parameters?: { ParameterKey: string; ParameterValue: string }[]; Tags?: { Key: string; Value: string }[] }) => {
      let stack = this.find(input.StackName);
      if (input.ChangeSetType === 'UPDATE' && !stack) throw this.missing(input.StackName);
      if (input.ChangeSetType === 'CREATE') {
        if (stack && stack.status !== 'REVIEW_IN_PROGRESS') throw awsError('AlreadyExistsException', `Stack [${input.StackName}] already exists`);
        stack ??= this.addStack({ name: input.StackName, status: 'REVIEW_IN_PROGRESS' });
      }
      let body = input.TemplateBody;
      if (input.TemplateURL) {
        const key = decodeURIComponent(new URL(input.TemplateURL).pathname.slice(1));
        const bucket = new URL(input.TemplateURL).hostname.split('.s3.')[0]!;
        const bytes = this.objects.get(`${bucket}/${key}`);
        if (!bytes) throw awsError('ValidationError', `S3 error: Access Denied or the object ${key} does not exist`);
        body = new TextDecoder().decode(bytes);
      }
      const id = `arn:aws:cloudformation:eu-west-1:123456789012:changeSet/${input.ChangeSetName}/${++this.seq}`;
      const cs: FakeChangeSet = {
        id,
        stackName: stack!.name,
        type: input.ChangeSetType,
        templateBody: body!,
        parameters: Object.fromEntries((input.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue])),
        tags: Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value])),
        changes: [],
      };
      cs.changes = this.emptyChangeSet ? [] : (this.nextChanges ?? this.defaultChanges(cs, stack!));
      this.changeSets.set(id, cs);
      return { Id: id, StackId: stack!.id };
    });
    cfn.on(DescribeChangeSetCommand).callsFake(({ ChangeSetName }: { ChangeSetName: string }) => {
      const cs = this.changeSets.get(ChangeSetName);
      if (!cs) throw awsError('ChangeSetNotFoundException', `ChangeSet [${ChangeSetName}] does not exist`);
      if (cs.changes.length === 0) {
        return { Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set.", Changes: [] };
      }
      return { Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', Changes: cs.changes };
    });
    cfn.on(DeleteChangeSetCommand).callsFake(({ ChangeSetName }: { ChangeSetName: string }) => {
      this.changeSets.delete(ChangeSetName);
      return {};
    });
    cfn.on(ExecuteChangeSetCommand).callsFake(({ ChangeSetName, ClientRequestToken }: { ChangeSetName: string; ClientRequestToken?: string }) => {
      const cs = this.changeSets.get(ChangeSetName);
      if (!cs) throw awsError('ChangeSetNotFoundException', `ChangeSet [${ChangeSetName}] does not exist`);
      this.changeSets.delete(ChangeSetName);
      this.execute(this.find(cs.stackName)!, cs, ClientRequestToken);
      return {};
    });
    cfn.on(DeleteStackCommand).callsFake(({ StackName, ClientRequestToken, RetainResources }: { StackName: string; ClientRequestToken?: string; RetainResources?: string[] }) => {
      const s = this.find(StackName);
      if (!s) return {};
      const verb = 'DELETE';
      this.event(s, s.name, 'AWS::CloudFormation::Stack', `${verb}_IN_PROGRESS`, ClientRequestToken);
      const fail = this.failNext;
      this.failNext = undefined;
      if (fail && !(RetainResources ?? []).includes(fail.logicalId)) {
        this.event(s, fail.logicalId, fail.type, 'DELETE_FAILED', ClientRequestToken, fail.reason);
        this.event(s, s.name, 'AWS::CloudFormation::Stack', 'DELETE_FAILED', ClientRequestToken, `The following resource(s) failed to delete: [${fail.logicalId}]`);
        s.status = 'DELETE_FAILED';
        return {};
      }
      for (const r of s.resources) this.event(s, r.logicalId, r.type, 'DELETE_COMPLETE', ClientRequestToken);
      this.event(s, s.name, 'AWS::CloudFormation::Stack', 'DELETE_COMPLETE', ClientRequestToken);
      s.status = 'DELETE_COMPLETE';
      return {};
    });
    cfn.on(ContinueUpdateRollbackCommand).callsFake(({ StackName, ClientRequestToken }: { StackName: string; ClientRequestToken?: string }) => {
      const s = this.find(StackName);
      if (!s) throw this.missing(StackName);
      this.event(s, s.name, 'AWS::CloudFormation::Stack', 'UPDATE_ROLLBACK_IN_PROGRESS', ClientRequestToken);
      this.event(s, s.name, 'AWS::CloudFormation::Stack', 'UPDATE_ROLLBACK_COMPLETE', ClientRequestToken);
      s.status = 'UPDATE_ROLLBACK_COMPLETE';
      return {};
    });
    cfn.on(GetTemplateCommand).callsFake(({ StackName }: { StackName: string }) => {
      const s = this.find(StackName);
      if (!s) throw this.missing(StackName);
      return { TemplateBody: s.templateBody ?? '{"Resources":{}}' };
    });
    cfn.on(ListStackResourcesCommand).callsFake(({ StackName }: { StackName: string }) => {
      const s = this.find(StackName);
      if (!s) throw this.missing(StackName);
      return {
        StackResourceSummaries: s.resources.map((r) => ({
          LogicalResourceId: r.logicalId,
          PhysicalResourceId: r.physicalId,
          ResourceType: r.type,
          ResourceStatus: r.status,
          ...(r.reason ? { ResourceStatusReason: r.reason } : {}),
          LastUpdatedTimestamp: new Date(this.clock),
        })),
      };
    });
    cfn.on(UpdateTerminationProtectionCommand).callsFake(({ StackName, EnableTerminationProtection }: { StackName: string; EnableTerminationProtection: boolean }) => {
      const s = this.find(StackName);
      if (!s) throw this.missing(StackName);
      s.terminationProtection = EnableTerminationProtection;
      return { StackId: s.id };
    });

    s3.on(HeadObjectCommand).callsFake(({ Bucket, Key }: { Bucket: string; Key: string }) => {
      if (!this.objects.has(`${Bucket}/${Key}`)) throw awsError('NotFound', 'Not Found', 404);
      return { ContentLength: this.objects.get(`${Bucket}/${Key}`)!.length, LastModified: this.uploadedAt.get(`${Bucket}/${Key}`) ?? new Date(this.clock) };
    });
    s3.on(PutObjectCommand).callsFake(({ Bucket, Key, Body }: { Bucket: string; Key: string; Body: Uint8Array }) => {
      this.objects.set(`${Bucket}/${Key}`, Body);
      this.uploadedAt.set(`${Bucket}/${Key}`, new Date(this.clock));
      return { ETag: '"etag"' };
    });

    lambda.on(GetFunctionCommand).callsFake(({ FunctionName }: { FunctionName: string }) => {
      const fn = this.functions.get(FunctionName);
      if (!fn) throw awsError('ResourceNotFoundException', `Function not found: ${FunctionName}`, 404);
      return { Configuration: { FunctionName, CodeSha256: 'old' }, Tags: { 'aws:cloudformation:stack-name': fn.stackName, 'aws:cloudformation:logical-id': fn.logicalId } };
    });
    lambda.on(UpdateFunctionCodeCommand).callsFake(({ FunctionName, ZipFile }: { FunctionName: string; ZipFile: Uint8Array }) => {
      const fn = this.functions.get(FunctionName);
      if (!fn) throw awsError('ResourceNotFoundException', `Function not found: ${FunctionName}`, 404);
      fn.code = ZipFile;
      return { FunctionName, LastUpdateStatus: 'InProgress', CodeSha256: 'new' };
    });
    lambda.on(GetFunctionConfigurationCommand).resolves({ LastUpdateStatus: 'Successful' });
  }

  /** Applies a change set the way CloudFormation would, recording events with the request token. */
  private execute(stack: FakeStack, cs: FakeChangeSet, token?: string): void {
    const creating = cs.type === 'CREATE';
    const verb = creating ? 'CREATE' : 'UPDATE';
    this.event(stack, stack.name, 'AWS::CloudFormation::Stack', `${verb}_IN_PROGRESS`, token, 'User Initiated');
    const fail = this.failNext;
    this.failNext = undefined;
    for (const c of cs.changes) {
      const r = c.ResourceChange!;
      const v = r.Action === 'Add' ? 'CREATE' : r.Action === 'Remove' ? 'DELETE' : 'UPDATE';
      this.event(stack, r.LogicalResourceId!, r.ResourceType!, `${v}_IN_PROGRESS`, token);
      if (fail && fail.logicalId === r.LogicalResourceId) {
        this.event(stack, r.LogicalResourceId!, r.ResourceType!, `${v}_FAILED`, token, fail.reason);
        break;
      }
      this.event(stack, r.LogicalResourceId!, r.ResourceType!, `${v}_COMPLETE`, token);
    }
    if (fail) {
      const rollback = creating ? 'ROLLBACK' : 'UPDATE_ROLLBACK';
      this.event(stack, stack.name, 'AWS::CloudFormation::Stack', `${rollback}_IN_PROGRESS`, token, `The following resource(s) failed to ${verb.toLowerCase()}: [${fail.logicalId}]`);
      stack.status = `${rollback}_COMPLETE`;
      this.event(stack, stack.name, 'AWS::CloudFormation::Stack', stack.status, token);
      return;
    }
    stack.status = `${verb}_COMPLETE`;
    stack.templateBody = cs.templateBody;
    stack.parameters = { ...cs.parameters };
    stack.tags = { ...cs.tags };
    const template = JSON.parse(cs.templateBody) as { Resources: Record<string, { Type: string }>; Outputs?: Record<string, { Value: unknown }> };
    stack.outputs = Object.fromEntries(Object.entries(template.Outputs ?? {}).map(([k, o]) => [k, typeof o.Value === 'string' ? o.Value : `${k}-value`]));
    stack.resources = Object.entries(template.Resources).map(([logicalId, r]) => ({ logicalId, physicalId: `${stack.name}-${logicalId}-PHYS`, type: r.Type, status: `${verb}_COMPLETE` }));
    for (const r of stack.resources) if (r.type === 'AWS::Lambda::Function') this.functions.set(r.physicalId, { stackName: stack.name, logicalId: r.logicalId });
    this.event(stack, stack.name, 'AWS::CloudFormation::Stack', stack.status, token);
  }
}
