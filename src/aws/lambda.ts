import { GetFunctionCommand, GetFunctionConfigurationCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { ArchctlError } from '../core/errors.js';
import type { AwsSession } from './session.js';

export interface FunctionOwner {
  /** The CloudFormation stack that created the function (its aws:cloudformation:stack-name tag). */
  stackName?: string | undefined;
  logicalId?: string | undefined;
  /** The stack's id (ARN): tells a re-created stack of the same name apart. */
  stackId?: string | undefined;
  codeSha256?: string | undefined;
  /** Why the tags could not be read (GetFunction returns them only with lambda:ListTags). */
  tagsError?: string | undefined;
}

const isMissingFunction = (err: unknown) => (err as Error)?.name === 'ResourceNotFoundException';

/** Who owns a function, from the tags CloudFormation puts on it; undefined when it does not exist. */
export async function functionOwner(s: AwsSession, functionName: string): Promise<FunctionOwner | undefined> {
  const out = await s.tryCall('Lambda:GetFunction', () => s.lambda.send(new GetFunctionCommand({ FunctionName: functionName })), isMissingFunction);
  if (!out) return undefined;
  return {
    stackName: out.Tags?.['aws:cloudformation:stack-name'],
    logicalId: out.Tags?.['aws:cloudformation:logical-id'],
    stackId: out.Tags?.['aws:cloudformation:stack-id'],
    codeSha256: out.Configuration?.CodeSha256,
    tagsError: out.TagsError ? `${out.TagsError.ErrorCode ?? 'error'}: ${out.TagsError.Message ?? ''}`.trim() : undefined,
  };
}

/**
 * Replaces a function's code with a zip and waits until Lambda has applied it
 * (LastUpdateStatus Successful), polling every `pollMs`, so the next request
 * runs the new code.
 */
export async function updateFunctionCode(s: AwsSession, functionName: string, zip: Uint8Array, pollMs = 1000, maxPolls = 120): Promise<string | undefined> {
  const out = await s.call('Lambda:UpdateFunctionCode', () => s.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ZipFile: zip })));
  let status = out.LastUpdateStatus;
  for (let i = 0; status === 'InProgress' && i < maxPolls; i++) {
    await s.sleep(pollMs);
    const cfg = await s.call('Lambda:GetFunctionConfiguration', () => s.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName })));
    status = cfg.LastUpdateStatus;
    if (status === 'Failed') throw new ArchctlError(`Lambda could not apply the new code of ${functionName}: ${cfg.LastUpdateStatusReason ?? 'no reason given'}`, 'run a full deploy (without --hotswap)');
  }
  if (status === 'Failed') throw new ArchctlError(`Lambda could not apply the new code of ${functionName}`, 'run a full deploy (without --hotswap)');
  if (status === 'InProgress') throw new ArchctlError(`Lambda is still applying the new code of ${functionName}`, 'check it with archctl logs, or rerun');
  return out.CodeSha256;
}
