import type { AwsSession } from '../aws/session.js';
import { describeStack, type StackInfo } from '../aws/stacks.js';
import { DEPLOY_HASH_OUTPUT } from '../core/deploy-hash-output.js';
import { ArchctlError } from '../core/errors.js';
import { isSettled, isStable } from '../core/stack-state.js';
import type { StackTarget } from './stack-target.js';

/** What the read-only commands need to know about the stack they read. */
export type StackRef = Pick<StackTarget, 'stackName' | 'region' | 'stage'>;

/** The deployed stack, or the error every read-only command gives when there is none. */
export async function requireStack(s: AwsSession, t: StackRef): Promise<StackInfo> {
  const info = await describeStack(s, t.stackName);
  if (!info) throw new ArchctlError(`no stack ${t.stackName} in ${t.region}`, `deploy it with archctl deploy --stage ${t.stage} (or check --stack-name/--region)`);
  return info;
}

/** The stack's outputs without archctl's own bookkeeping (the deploy hash), sorted by key. */
export function userOutputs(outputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(outputs)
      .filter(([key]) => key !== DEPLOY_HASH_OUTPUT)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

export interface OutputsReport {
  stackName: string;
  region: string;
  status: string;
  /** No operation is running on the stack. */
  settled: boolean;
  /** Its last operation finished as asked (or rolled back cleanly): the outputs are those of a working stack. */
  stable: boolean;
  outputs: Record<string, string>;
}

/** The deployed stack's outputs: one DescribeStacks call. */
export async function readOutputs(s: AwsSession, t: StackRef): Promise<OutputsReport> {
  const info = await requireStack(s, t);
  return {
    stackName: info.name || t.stackName,
    region: t.region,
    status: info.status,
    settled: isSettled(info.status),
    stable: isStable(info.status),
    outputs: userOutputs(info.outputs),
  };
}
