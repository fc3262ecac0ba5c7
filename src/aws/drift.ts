import {
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
  type StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import type { AwsSession } from './session.js';

/** One property that differs from the template. */
export interface PropertyDrift {
  /** "/Environment/Variables/TABLE_NAME", as CloudFormation names it. */
  path: string;
  /** ADD, REMOVE or NOT_EQUAL. */
  difference: string;
  expected?: string | undefined;
  actual?: string | undefined;
}

export interface ResourceDrift {
  logicalId: string;
  physicalId?: string | undefined;
  resourceType: string;
  /** MODIFIED or DELETED. */
  status: string;
  properties: PropertyDrift[];
}

export type DriftResult =
  /** Detection ran. UNKNOWN: CloudFormation could not tell (reason says why). */
  | { outcome: 'done'; status: 'IN_SYNC' | 'DRIFTED' | 'UNKNOWN'; resources: ResourceDrift[]; reason?: string | undefined }
  /** Still running when we stopped waiting; the results appear in the console later. */
  | { outcome: 'timeout'; detectionId: string; waitedMs: number };

export interface DriftOptions {
  pollMs?: number;
  /** How long to wait for the detection, counted in polls of pollMs (the session has no clock). */
  timeoutMs?: number;
  onPoll?: () => void;
}

/** Property values are whole JSON documents at times (policies): one line, cut to this length. */
const MAX_VALUE = 120;
const trimValue = (v: string | undefined): string | undefined => {
  if (v === undefined) return undefined;
  const flat = v.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_VALUE ? `${flat.slice(0, MAX_VALUE - 1)}…` : flat;
};

function toResourceDrift(d: StackResourceDrift): ResourceDrift {
  return {
    logicalId: d.LogicalResourceId ?? '',
    physicalId: d.PhysicalResourceId,
    resourceType: d.ResourceType ?? '',
    status: d.StackResourceDriftStatus ?? 'UNKNOWN',
    properties: (d.PropertyDifferences ?? []).map((p) => ({
      path: p.PropertyPath ?? '',
      difference: p.DifferenceType ?? '',
      expected: trimValue(p.ExpectedValue),
      actual: trimValue(p.ActualValue),
    })),
  };
}

/** The resources whose last detection found them modified or deleted, every page. */
export async function driftedResources(s: AwsSession, stackName: string): Promise<ResourceDrift[]> {
  const all: ResourceDrift[] = [];
  let token: string | undefined;
  do {
    const out = await s.call('CloudFormation:DescribeStackResourceDrifts', () =>
      s.cloudFormation.send(
        new DescribeStackResourceDriftsCommand({ StackName: stackName, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'], ...(token ? { NextToken: token } : {}) }),
      ),
    );
    all.push(...(out.StackResourceDrifts ?? []).map(toResourceDrift));
    token = out.NextToken;
  } while (token);
  return all;
}

/**
 * Runs drift detection on the stack and waits for it: DetectStackDrift, then
 * DescribeStackDriftDetectionStatus every pollMs until it finishes or
 * timeoutMs passes, then the drifted resources with their differing
 * properties. A detection that failed for some resources (DETECTION_FAILED)
 * still reports the drift found on the others.
 */
export async function detectStackDrift(s: AwsSession, stackName: string, o: DriftOptions = {}): Promise<DriftResult> {
  const pollMs = o.pollMs ?? 2_000;
  const maxPolls = Math.max(1, Math.ceil((o.timeoutMs ?? 120_000) / pollMs));
  const started = await s.call('CloudFormation:DetectStackDrift', () => s.cloudFormation.send(new DetectStackDriftCommand({ StackName: stackName })));
  const id = started.StackDriftDetectionId ?? '';
  for (let poll = 1; poll <= maxPolls; poll++) {
    // Detection takes seconds even on small stacks: wait before asking.
    await s.sleep(pollMs);
    o.onPoll?.();
    const st = await s.call('CloudFormation:DescribeStackDriftDetectionStatus', () =>
      s.cloudFormation.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: id })),
    );
    if (st.DetectionStatus === 'DETECTION_IN_PROGRESS') continue;
    const reason = st.DetectionStatus === 'DETECTION_FAILED' ? (st.DetectionStatusReason ?? 'drift detection failed for some resources') : undefined;
    if (st.StackDriftStatus === 'DRIFTED') return { outcome: 'done', status: 'DRIFTED', resources: await driftedResources(s, stackName), reason };
    // Only a complete detection proves the stack is in sync; a failed one checked only part of it.
    if (st.StackDriftStatus === 'IN_SYNC' && reason === undefined) return { outcome: 'done', status: 'IN_SYNC', resources: [] };
    return { outcome: 'done', status: 'UNKNOWN', resources: [], reason: reason ?? st.DetectionStatusReason ?? `CloudFormation reports ${st.StackDriftStatus ?? 'no drift status'}` };
  }
  return { outcome: 'timeout', detectionId: id, waitedMs: maxPolls * pollMs };
}
