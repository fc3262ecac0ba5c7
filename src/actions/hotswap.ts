import { changedCodeKeys } from '../core/deploy-hash.js';
import { functionOwner, updateFunctionCode } from '../aws/lambda.js';
import type { AwsSession } from '../aws/session.js';
import type { Prepared } from './deploy-prepare.js';
import { readDeployState, writeDeployState } from './deploy-state.js';

export type HotswapEvent = { type: 'hotswap'; logicalId: string; functionName: string; state: 'updating' | 'updated' };

export type HotswapOutcome =
  | { done: true; updated: string[]; outputs: Record<string, string> }
  /** Hotswap cannot be trusted here; the caller runs a full deploy, saying why. */
  | { done: false; reason: string };

/**
 * The --hotswap shortcut: when this folder's last deploy of the stack had the
 * same template and settings and only Lambda zips differ, send the new zips
 * straight to Lambda (UpdateFunctionCode, then wait) and make no
 * CloudFormation call. Each function is checked first to still belong to the
 * stack (its aws:cloudformation tags), so a stale state file cannot aim the
 * code at someone else's function. The stack drifts until the next full deploy.
 */
export async function tryHotswap(
  s: AwsSession,
  p: Prepared,
  o: { stateFile: string; stackName: string; onEvent?: (e: HotswapEvent) => void },
): Promise<HotswapOutcome> {
  const state = readDeployState(o.stateFile);
  if (!state) return { done: false, reason: 'no earlier deploy of this stack from this folder to compare with' };
  if (state.templateHash !== p.templateHash) return { done: false, reason: 'the template or stack settings changed, not only Lambda code' };
  const changed = changedCodeKeys(p.codeKeys, state.codeKeys);
  if (changed.length === 0) return { done: true, updated: [], outputs: state.outputs };

  const targets = changed.map((param) => {
    const asset = p.assets.find((a) => a.codeKeyParameter === param)!;
    return { asset, fn: state.functions[asset.logicalId] };
  });
  const unknown = targets.filter((t) => !t.fn);
  if (unknown.length > 0) return { done: false, reason: `no deployed function recorded for ${unknown.map((t) => t.asset.logicalId).join(', ')}` };

  for (const { asset, fn } of targets) {
    const owner = await functionOwner(s, fn!.functionName);
    if (!owner) return { done: false, reason: `function ${fn!.functionName} no longer exists` };
    if (owner.tagsError) return { done: false, reason: `cannot read the tags of ${fn!.functionName} to check it belongs to ${o.stackName} (${owner.tagsError}; allow lambda:ListTags)` };
    if (owner.stackName !== o.stackName || owner.logicalId !== asset.logicalId || (owner.stackId !== undefined && owner.stackId !== state.stackId)) {
      return { done: false, reason: `function ${fn!.functionName} does not belong to ${o.stackName}/${asset.logicalId} any more` };
    }
  }
  const updated: string[] = [];
  for (const { asset, fn } of targets) {
    o.onEvent?.({ type: 'hotswap', logicalId: asset.logicalId, functionName: fn!.functionName, state: 'updating' });
    await updateFunctionCode(s, fn!.functionName, asset.body);
    updated.push(asset.logicalId);
    // Recorded after each function, so an interrupted hotswap knows what it already did.
    state.codeKeys[asset.codeKeyParameter] = asset.key;
    state.hotswapped = true;
    writeDeployState(o.stateFile, state);
    o.onEvent?.({ type: 'hotswap', logicalId: asset.logicalId, functionName: fn!.functionName, state: 'updated' });
  }
  return { done: true, updated, outputs: state.outputs };
}
