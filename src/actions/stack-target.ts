import { ArchctlError, usageError } from '../core/errors.js';
import { AwsSession, resolveRegion, type SessionOptions } from '../aws/session.js';
import { readProject, resolveTarget, type Target } from './project.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_FILE } from '../core/project.js';

/** Flags every AWS command shares. */
export interface StackFlags {
  /** A pattern named on the command line; else archctl.json in dir. */
  pattern?: string | undefined;
  dir: string;
  sets?: readonly string[] | undefined;
  region?: string | undefined;
  profile?: string | undefined;
  stackName?: string | undefined;
  stage?: string | undefined;
}

export interface StackTarget {
  stackName: string;
  stage: string;
  /** Production stages get termination protection. */
  production: boolean;
  region: string;
  profile?: string | undefined;
  /** What to render; absent for commands that only read a deployed stack named by --stack-name. */
  target?: Target | undefined;
}

export const DEFAULT_STAGE = 'dev';
const STAGE = /^[a-zA-Z][a-zA-Z0-9-]{0,31}$/;
const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;
const PRODUCTION = new Set(['prod', 'production', 'live']);

/**
 * Works out which stack in which region a command is about: --stack-name,
 * else "<project name or pattern>-<stage>". `needsTemplate` commands (deploy,
 * diff) must have a pattern or archctl.json; the others only need a name.
 */
export async function resolveStackTarget(f: StackFlags, env: NodeJS.ProcessEnv, needsTemplate: boolean): Promise<StackTarget> {
  const stage = f.stage ?? DEFAULT_STAGE;
  if (!STAGE.test(stage)) throw usageError(`--stage ${JSON.stringify(stage)} is not a stage name`, 'use a letter then up to 31 letters, digits or hyphens, such as dev or prod');
  if (f.stackName !== undefined && !STACK_NAME.test(f.stackName)) {
    throw usageError(`--stack-name ${JSON.stringify(f.stackName)} is not a CloudFormation stack name`, 'use a letter then letters, digits or hyphens (at most 128)');
  }
  const hasProject = existsSync(join(f.dir, PROJECT_FILE));
  let target: Target | undefined;
  if (needsTemplate || f.pattern || (hasProject && f.stackName === undefined)) {
    target = resolveTarget({ ...(f.pattern ? { pattern: f.pattern } : {}), dir: f.dir, sets: f.sets ?? [] });
  } else if (hasProject) {
    target = { pattern: readProject(f.dir).pattern, parameters: {}, project: readProject(f.dir) };
  }
  if (f.stackName === undefined && target === undefined) {
    throw usageError(`no ${PROJECT_FILE} in ${f.dir} and no --stack-name`, 'run it in a project folder (or pass --dir), or name the stack with --stack-name');
  }
  const stackName = f.stackName ?? `${target!.project?.name ?? target!.pattern}-${stage}`;
  if (!STACK_NAME.test(stackName)) throw new ArchctlError(`the stack name ${JSON.stringify(stackName)} is not valid`, 'pass --stack-name');
  const region = await resolveRegion({ flag: f.region, project: target?.project?.region, env, profile: f.profile });
  return { stackName, stage, production: PRODUCTION.has(stage.toLowerCase()), region, profile: f.profile, target };
}

/** An SDK session for the target's region and profile. */
export function openSession(t: Pick<StackTarget, 'region' | 'profile'>, extra: Omit<SessionOptions, 'region' | 'profile'> = {}): AwsSession {
  return new AwsSession({ region: t.region, profile: t.profile, ...extra });
}
