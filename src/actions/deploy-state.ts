import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './files.js';

/**
 * What this folder last deployed to a stack, kept in
 * .archctl/deploy/<stack>.<region>.json. Only --hotswap reads it: it is how a
 * code-only change is recognised, and the functions found, without asking
 * CloudFormation. A full deploy always trusts the stack, never this file.
 */
export interface DeployState {
  stateVersion: 1;
  stackName: string;
  stackId: string;
  region: string;
  templateHash: string;
  /** <Name>CodeKey parameter -> the S3 key of the zip deployed (or hotswapped). */
  codeKeys: Record<string, string>;
  /** Function logical id -> its physical name and code-key parameter. */
  functions: Record<string, { functionName: string; codeKeyParameter: string }>;
  /** The stack's outputs at that deploy (a hotswap reports them without asking CloudFormation). */
  outputs: Record<string, string>;
  /** True once a hotswap changed code behind CloudFormation's back (the stack has drifted). */
  hotswapped: boolean;
}

export const deployStateFile = (projectDir: string, stackName: string, region: string) =>
  join(projectDir, '.archctl', 'deploy', `${stackName}.${region}.json`);

export function readDeployState(file: string): DeployState | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<DeployState>;
    if (data.stateVersion !== 1 || typeof data.templateHash !== 'string' || typeof data.codeKeys !== 'object' || typeof data.functions !== 'object') return undefined;
    data.outputs ??= {};
    return data as DeployState;
  } catch {
    return undefined;
  }
}

export function writeDeployState(file: string, state: DeployState): void {
  writeFileAtomic(file, JSON.stringify(state, null, 2) + '\n', { createDir: true });
}

/** After a destroy: the record would otherwise let a later --hotswap aim at functions that are gone. */
export function forgetDeployState(projectDir: string, stackName: string, region: string): void {
  rmSync(deployStateFile(projectDir, stackName, region), { force: true });
}
