/**
 * What deploy does for each CloudFormation stack status (SECURITY.md's
 * deploy-safety list). Pure, so every state is tested without a mock.
 */
export type StackPlan =
  /** No stack, or one only ever reviewed (REVIEW_IN_PROGRESS): a CREATE change set. */
  | { kind: 'create' }
  /** A stack that holds resources: an UPDATE change set. */
  | { kind: 'update' }
  /** A failed first create: nothing to keep. Delete it (after confirmation), then create. */
  | { kind: 'recreate'; reason: string }
  /** An update failed and so did its rollback: continue the rollback (after confirmation), then update. */
  | { kind: 'continue-rollback' }
  /** Another operation is running: stop, saying what to wait for. */
  | { kind: 'busy'; status: string }
  /** A delete failed: the stack is half gone; only destroy can finish it. */
  | { kind: 'delete-failed' }
  /** A status no rule here covers: stop rather than guess. */
  | { kind: 'unknown'; status: string };

export function planForStatus(status: string | undefined): StackPlan {
  if (status === undefined || status === 'DELETE_COMPLETE' || status === 'REVIEW_IN_PROGRESS') return { kind: 'create' };
  switch (status) {
    case 'CREATE_COMPLETE':
    case 'UPDATE_COMPLETE':
    case 'UPDATE_ROLLBACK_COMPLETE':
    case 'IMPORT_COMPLETE':
    case 'IMPORT_ROLLBACK_COMPLETE':
      return { kind: 'update' };
    case 'ROLLBACK_COMPLETE':
      return { kind: 'recreate', reason: 'its first create failed and was rolled back; a stack in ROLLBACK_COMPLETE cannot be updated' };
    case 'ROLLBACK_FAILED':
      return { kind: 'recreate', reason: 'its first create failed and so did the rollback' };
    case 'CREATE_FAILED':
      return { kind: 'recreate', reason: 'its first create failed (rollback was turned off)' };
    case 'UPDATE_ROLLBACK_FAILED':
      return { kind: 'continue-rollback' };
    case 'DELETE_FAILED':
      return { kind: 'delete-failed' };
    case 'UPDATE_FAILED':
    case 'IMPORT_ROLLBACK_FAILED':
      return { kind: 'unknown', status };
  }
  if (status.endsWith('_IN_PROGRESS')) return { kind: 'busy', status };
  return { kind: 'unknown', status };
}

/** A status in which no operation runs any more. */
export const isSettled = (status: string): boolean => !status.endsWith('_IN_PROGRESS') || status === 'REVIEW_IN_PROGRESS';

/** Settled statuses that mean the last operation did what was asked. */
const SUCCEEDED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'DELETE_COMPLETE', 'IMPORT_COMPLETE']);
export const isSuccess = (status: string): boolean => SUCCEEDED.has(status);

/** Statuses where the deployed stack's recorded hash can be trusted (its last operation finished). */
export const isStable = (status: string): boolean => SUCCEEDED.has(status) || status === 'UPDATE_ROLLBACK_COMPLETE' || status === 'IMPORT_ROLLBACK_COMPLETE';
