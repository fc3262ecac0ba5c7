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
import { createHash } from 'node:crypto';
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
  /** Events of a running operation not shown yet, oldest first: each DescribeStackEvents reveals a few. */
  pending?: { event: StackEvent; apply?: () => void }[];
  lastUpdated?: Date;
}

interface FakeChangeSet {
  id: string;
  stackName: string;
  type: string;
  templateBody: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  changes: Change[];
  /** CREATE_COMPLETE, or FAILED when nothing at all differs ("didn't contain changes"). */
  status?: string;
}

export type Failure = { logicalId: string; type: string; reason: string };

const sha256Base64 = (data: Uint8Array) => createHash('sha256').update(data).digest('base64');

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
  /** How many pending events each DescribeStackEvents call reveals (operations take several polls). */
  revealPerPoll = 4;
  /** DescribeStackEvents page size (archctl must follow NextToken). */
  pageSize = 5;
  /** GetFunction returns TagsError instead of tags (a caller without lambda:ListTags). */
  hideTags = false;
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

  /** Records an event; `later` queues it behind the running operation's earlier events, with `apply` run when it shows. */
  private event(stack: FakeStack, logicalId: string, type: string, status: string, token?: string, reason?: string, later = false, apply?: () => void): void {
    this.clock += 1000;
    const event: StackEvent = {
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
    };
    if (later) (stack.pending ??= []).push({ event, ...(apply ? { apply } : {}) });
    else stack.events.unshift(event);
  }

  private reveal(stack: FakeStack): void {
    for (let i = 0; i < this.revealPerPoll && stack.pending?.length; i++) {
      const next = stack.pending.shift()!;
      stack.events.unshift(next.event);
      next.apply?.();
    }
  }

  /**
   * What CloudFormation would list: every resource for a new stack; for an
   * update, nothing at all (FAILED) when template and parameters are the same,
   * an executable change set with no resource change when only outputs differ,
   * else the functions (a code change, the common case in these tests).
   */
  private defaultChanges(cs: FakeChangeSet, stack: FakeStack): { changes: Change[]; status: string } {
    const template = JSON.parse(cs.templateBody) as { Resources: Record<string, { Type: string }>; Outputs?: unknown };
    if (cs.type === 'CREATE') {
      return { changes: Object.entries(template.Resources).map(([id, r]) => ({ Type: 'Resource', ResourceChange: { Action: 'Add', LogicalResourceId: id, ResourceType: r.Type } })), status: 'CREATE_COMPLETE' };
    }
    const old = JSON.parse(stack.templateBody ?? '{"Resources":{}}') as { Resources: unknown; Outputs?: unknown };
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    if (same(old.Resources, template.Resources) && same(stack.parameters, cs.parameters)) {
      return { changes: [], status: same(old.Outputs, template.Outputs) ? 'FAILED' : 'CREATE_COMPLETE' };
    }
    const changes = Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([id, r]) => ({
        Type: 'Resource',
        ResourceChange: { Action: 'Modify', LogicalResourceId: id, ResourceType: r.Type, Replacement: 'False', Details: [{ Target: { Attribute: 'Properties', Name: 'Code', RequiresRecreation: 'Never' } }] },
      })) as Change[];
    return { changes, status: 'CREATE_COMPLETE' };
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
            CreationTime: new Date(Date.parse('2026-11-01T00:00:00Z')),
            ...(s.lastUpdated ? { LastUpdatedTime: s.lastUpdated } : {}),
            EnableTerminationProtection: s.terminationProtection,
            Outputs: Object.entries(s.outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
            Parameters: Object.entries(s.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
            Tags: Object.entries(s.tags).map(([Key, Value]) => ({ Key, Value })),
          },
        ],
      };
    });
    cfn.on(DescribeStackEventsCommand).callsFake(({ StackName, NextToken }: { StackName: string; NextToken?: string }) => {
      const s = this.find(StackName);
      if (!s) throw this.missing(StackName);
      if (!NextToken) this.reveal(s);
      const start = NextToken ? Number(NextToken) : 0;
      const page = s.events.slice(start, start + this.pageSize);
      return { StackEvents: page, ...(start + this.pageSize < s.events.length ? { NextToken: String(start + this.pageSize) } : {}) };
    });
    cfn.on(CreateChangeSetCommand).callsFake((input: { StackName: string; ChangeSetName: string; ChangeSetType: string; TemplateURL?: string; TemplateBody?: string; Parameters?: { ParameterKey: string; ParameterValue: string }[]; Tags?: { Key: string; Value: string }[] }) => {
      let stack = this.find(input.StackName);
      if (input.ChangeSetType === 'UPDATE' && !stack) throw this.missing(input.StackName);
      if (input.ChangeSetType === 'UPDATE' && stack!.status === 'REVIEW_IN_PROGRESS') throw awsError('ValidationError', `Stack:${stack!.id} is in REVIEW_IN_PROGRESS state and can not be updated.`);
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
      // As CloudFormation: a parameter the template does not declare is an error.
      const declared = Object.keys((JSON.parse(body!) as { Parameters?: Record<string, unknown> }).Parameters ?? {});
      const unknown = (input.Parameters ?? []).map((p) => p.ParameterKey).filter((k) => !declared.includes(k));
      if (unknown.length > 0) throw awsError('ValidationError', `Parameters: [${unknown.join(', ')}] do not exist in the template`);
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
      const computed = this.emptyChangeSet ? { changes: [], status: 'FAILED' } : this.nextChanges ? { changes: this.nextChanges, status: 'CREATE_COMPLETE' } : this.defaultChanges(cs, stack!);
      cs.changes = computed.changes;
      cs.status = computed.status;
      this.changeSets.set(id, cs);
      return { Id: id, StackId: stack!.id };
    });
    cfn.on(DescribeChangeSetCommand).callsFake(({ ChangeSetName }: { ChangeSetName: string }) => {
      const cs = this.changeSets.get(ChangeSetName);
      if (!cs) throw awsError('ChangeSetNotFoundException', `ChangeSet [${ChangeSetName}] does not exist`);
      if (cs.status === 'FAILED') {
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
      if (s.terminationProtection) throw awsError('ValidationError', `Stack [${s.name}] cannot be deleted while TerminationProtection is enabled`);
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
      if (s.status === 'REVIEW_IN_PROGRESS' || !s.templateBody) throw awsError('ValidationError', `Stack with id ${StackName} does not exist`);
      return { TemplateBody: s.templateBody };
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
      const stack = this.stacks.find((x) => x.name === fn.stackName && x.status !== 'DELETE_COMPLETE');
      return {
        Configuration: { FunctionName, CodeSha256: fn.code ? sha256Base64(fn.code) : 'unknown' },
        ...(this.hideTags
          ? { TagsError: { ErrorCode: 'AccessDeniedException', Message: 'not authorized to perform: lambda:ListTags' } }
          : { Tags: { 'aws:cloudformation:stack-name': fn.stackName, 'aws:cloudformation:logical-id': fn.logicalId, ...(stack ? { 'aws:cloudformation:stack-id': stack.id } : {}) } }),
      };
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
    // The operation runs over several polls: the stack is in progress until its last event shows.
    stack.status = `${verb}_IN_PROGRESS`;
    stack.lastUpdated = new Date(this.clock + 1000);
    const later = true;
    this.event(stack, stack.name, 'AWS::CloudFormation::Stack', `${verb}_IN_PROGRESS`, token, 'User Initiated', later);
    const fail = this.failNext;
    this.failNext = undefined;
    for (const c of cs.changes) {
      const r = c.ResourceChange!;
      const v = r.Action === 'Add' ? 'CREATE' : r.Action === 'Remove' ? 'DELETE' : 'UPDATE';
      this.event(stack, r.LogicalResourceId!, r.ResourceType!, `${v}_IN_PROGRESS`, token, undefined, later);
      if (fail && fail.logicalId === r.LogicalResourceId) {
        this.event(stack, r.LogicalResourceId!, r.ResourceType!, `${v}_FAILED`, token, fail.reason, later);
        break;
      }
      this.event(stack, r.LogicalResourceId!, r.ResourceType!, `${v}_COMPLETE`, token, undefined, later);
    }
    if (fail) {
      const rollback = creating ? 'ROLLBACK' : 'UPDATE_ROLLBACK';
      this.event(stack, stack.name, 'AWS::CloudFormation::Stack', `${rollback}_IN_PROGRESS`, token, `The following resource(s) failed to ${verb.toLowerCase()}: [${fail.logicalId}]`, later, () => {
        stack.status = `${rollback}_IN_PROGRESS`;
      });
      this.event(stack, stack.name, 'AWS::CloudFormation::Stack', `${rollback}_COMPLETE`, token, undefined, later, () => {
        stack.status = `${rollback}_COMPLETE`;
      });
      return;
    }
    const template = JSON.parse(cs.templateBody) as { Resources: Record<string, { Type: string; Properties?: { Code?: { S3Key?: { Ref?: string } } } }>; Outputs?: Record<string, { Value: unknown }> };
    this.event(stack, stack.name, 'AWS::CloudFormation::Stack', `${verb}_COMPLETE`, token, undefined, later, () => {
      stack.status = `${verb}_COMPLETE`;
      stack.templateBody = cs.templateBody;
      stack.parameters = { ...cs.parameters };
      stack.tags = { ...cs.tags };
      stack.outputs = Object.fromEntries(Object.entries(template.Outputs ?? {}).map(([k, o]) => [k, typeof o.Value === 'string' ? o.Value : `${k}-value`]));
      stack.resources = Object.entries(template.Resources).map(([logicalId, r]) => ({ logicalId, physicalId: `${stack.name}-${logicalId}-PHYS`, type: r.Type, status: `${verb}_COMPLETE` }));
      for (const [logicalId, r] of Object.entries(template.Resources)) {
        if (r.Type !== 'AWS::Lambda::Function') continue;
        // Lambda runs the zip the code-key parameter names, as CloudFormation copies it from the bucket.
        const param = r.Properties?.Code?.S3Key?.Ref;
        const key = param ? cs.parameters[param] : undefined;
        const code = key ? this.objects.get(`${cs.parameters.ArtifactBucket}/${key}`) : undefined;
        this.functions.set(`${stack.name}-${logicalId}-PHYS`, { stackName: stack.name, logicalId, ...(code ? { code } : {}) });
      }
    });
  }
}
