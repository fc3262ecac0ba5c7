import { describe, expect, it } from 'vitest';
import { mergeFragment } from '../../src/core/merge.js';

describe('mergeFragment', () => {
  it('merges objects by key, appends lists, replaces scalars, deletes on null', () => {
    const base = { Resources: { A: { Type: 'X', Properties: { List: [1], Keep: 'k', Drop: 'd', Mode: 'PAY' } } } };
    const fragment = { Resources: { A: { Properties: { List: [2], Drop: null, Mode: 'PROVISIONED' } }, B: { Type: 'Y' } } };
    expect(mergeFragment(base, fragment)).toEqual({
      Resources: { A: { Type: 'X', Properties: { List: [1, 2], Keep: 'k', Mode: 'PROVISIONED' } }, B: { Type: 'Y' } },
    });
  });

  it('leaves both inputs unchanged', () => {
    const base = { a: { b: [1] } };
    const fragment = { a: { b: [2], c: 3 } };
    const before = JSON.stringify([base, fragment]);
    mergeFragment(base, fragment);
    expect(JSON.stringify([base, fragment])).toBe(before);
  });

  it('replaces a list with an object and the other way round', () => {
    expect(mergeFragment({ a: [1] }, { a: { x: 1 } })).toEqual({ a: { x: 1 } });
    expect(mergeFragment({ a: { x: 1 } }, { a: [1] })).toEqual({ a: [1] });
  });
});
