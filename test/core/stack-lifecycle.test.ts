// The pure parts of the deploy lifecycle: what each stack status means,
// which events explain a failure, what is slow, and the deploy hash.
import { describe, expect, it } from 'vitest';
import { changedCodeKeys, stableJson, stampDeployHash, templateHashInput } from '../../src/core/deploy-hash.js';
import { rootCauses, slowNote, type StackEvent } from '../../src/core/stack-events.js';
import { isSettled, isStable, isSuccess, planForStatus } from '../../src/core/stack-state.js';

describe('planForStatus: every CloudFormation stack status', () => {
  it.each([
    [undefined, 'create'],
    ['REVIEW_IN_PROGRESS', 'create'],
    ['DELETE_COMPLETE', 'create'],
    ['CREATE_COMPLETE', 'update'],
    ['UPDATE_COMPLETE', 'update'],
    ['UPDATE_ROLLBACK_COMPLETE', 'update'],
    ['IMPORT_COMPLETE', 'update'],
    ['IMPORT_ROLLBACK_COMPLETE', 'update'],
    ['ROLLBACK_COMPLETE', 'recreate'],
    ['ROLLBACK_FAILED', 'recreate'],
    ['CREATE_FAILED', 'recreate'],
    ['UPDATE_ROLLBACK_FAILED', 'continue-rollback'],
    ['DELETE_FAILED', 'delete-failed'],
    ['CREATE_IN_PROGRESS', 'busy'],
    ['UPDATE_IN_PROGRESS', 'busy'],
    ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'busy'],
    ['UPDATE_ROLLBACK_IN_PROGRESS', 'busy'],
    ['UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'busy'],
    ['ROLLBACK_IN_PROGRESS', 'busy'],
    ['DELETE_IN_PROGRESS', 'busy'],
    ['IMPORT_IN_PROGRESS', 'busy'],
    ['IMPORT_ROLLBACK_IN_PROGRESS', 'busy'],
    ['UPDATE_FAILED', 'unknown'],
    ['IMPORT_ROLLBACK_FAILED', 'unknown'],
    ['SOMETHING_NEW', 'unknown'],
  ])('%s -> %s', (status, kind) => {
    expect(planForStatus(status).kind).toBe(kind);
  });

  it('settled, success and stable statuses', () => {
    expect(isSettled('UPDATE_IN_PROGRESS')).toBe(false);
    expect(isSettled('REVIEW_IN_PROGRESS')).toBe(true);
    expect(isSettled('ROLLBACK_COMPLETE')).toBe(true);
    expect(isSuccess('UPDATE_COMPLETE')).toBe(true);
    expect(isSuccess('UPDATE_ROLLBACK_COMPLETE')).toBe(false);
    expect(isStable('UPDATE_ROLLBACK_COMPLETE')).toBe(true);
    expect(isStable('ROLLBACK_COMPLETE')).toBe(false);
  });
});

const ev = (o: Partial<StackEvent> & { logicalId: string; status: string }): StackEvent => ({ eventId: o.logicalId + o.status, timestamp: 0, resourceType: 'AWS::X::Y', ...o });

describe('rootCauses', () => {
  it('GIVEN a failure and the cancellations it caused THEN only the failure, earliest first', () => {
    const events = [
      ev({ logicalId: 'Fn', status: 'CREATE_FAILED', reason: 'Resource creation cancelled', timestamp: 3 }),
      ev({ logicalId: 'Table', status: 'CREATE_FAILED', reason: 'Limit exceeded', timestamp: 2 }),
      ev({ logicalId: 'Role', status: 'CREATE_FAILED', reason: 'Not authorized', timestamp: 1 }),
      ev({ logicalId: 'app', resourceType: 'AWS::CloudFormation::Stack', status: 'ROLLBACK_IN_PROGRESS', reason: 'The following resource(s) failed to create: [Table]', timestamp: 4 }),
      ev({ logicalId: 'Ok', status: 'CREATE_COMPLETE', timestamp: 0 }),
    ];
    expect(rootCauses(events, 'app').map((e) => e.logicalId)).toEqual(['Role', 'Table']);
  });

  it("GIVEN only the stack's own failure THEN that is the cause", () => {
    const events = [ev({ logicalId: 'app', resourceType: 'AWS::CloudFormation::Stack', status: 'UPDATE_ROLLBACK_FAILED', reason: 'Role is invalid or cannot be assumed' })];
    expect(rootCauses(events, 'app')).toHaveLength(1);
  });
});

describe('slowNote', () => {
  it('explains CloudFront and DAX waits when they start, and nothing else', () => {
    expect(slowNote(ev({ logicalId: 'Cdn', resourceType: 'AWS::CloudFront::Distribution', status: 'CREATE_IN_PROGRESS' }))).toMatch(/5 to 15 minutes/);
    expect(slowNote(ev({ logicalId: 'Dax', resourceType: 'AWS::DAX::Cluster', status: 'UPDATE_IN_PROGRESS' }))).toMatch(/DAX/);
    expect(slowNote(ev({ logicalId: 'Cdn', resourceType: 'AWS::CloudFront::Distribution', status: 'CREATE_COMPLETE' }))).toBeUndefined();
    expect(slowNote(ev({ logicalId: 'Fn', resourceType: 'AWS::Lambda::Function', status: 'CREATE_IN_PROGRESS' }))).toBeUndefined();
  });
});

describe('deploy hash', () => {
  it('stable JSON ignores key order and undefined values', () => {
    expect(stableJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe(stableJson({ a: [{ d: 2 }], b: 1 }));
    expect(stableJson({ a: [1, 2] })).not.toBe(stableJson({ a: [2, 1] }));
  });

  it('covers template, tags and protection; the stamped output is not part of it', () => {
    const template = { Resources: { T: { Type: 'AWS::SNS::Topic' } } };
    const base = templateHashInput({ template, tags: { a: '1' }, terminationProtection: false });
    expect(templateHashInput({ template, tags: { a: '2' }, terminationProtection: false })).not.toBe(base);
    expect(templateHashInput({ template, tags: { a: '1' }, terminationProtection: true })).not.toBe(base);
    const stamped = stampDeployHash(template, 'abc');
    expect(stamped.Outputs).toEqual({ ArchctlDeployHash: expect.objectContaining({ Value: 'abc' }) });
    expect(template).not.toHaveProperty('Outputs');
  });

  it('lists the code keys that differ from the deployed ones', () => {
    expect(changedCodeKeys({ ACodeKey: 'a1', BCodeKey: 'b2' }, { ACodeKey: 'a1', BCodeKey: 'b1' })).toEqual(['BCodeKey']);
    expect(changedCodeKeys({ ACodeKey: 'a1' }, {})).toEqual(['ACodeKey']);
  });
});
