import { describe, expect, it } from 'vitest';
import { renderPattern } from '../../src/actions/render.js';
import { isArchctlError } from '../../src/core/errors.js';
import {
  budgetError,
  classifyOutputs,
  describePackage,
  HANDLER_BUDGET_BYTES,
  kebabCase,
  planPackage,
  zipName,
  type PackageManifest,
} from '../../src/core/package-plan.js';
import type { CfnTemplate, JsonObject } from '../../src/core/types.js';

const fn = (props: JsonObject): CfnTemplate['Resources'][string] => ({ Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs24.x', Handler: 'index.handler', ...props } });
const s3 = (param: string) => ({ S3Bucket: { Ref: 'ArtifactBucket' }, S3Key: { Ref: param } });

describe('package plan', () => {
  it('kebab-cases function names into handler file names', () => {
    expect(kebabCase('ListTodos')).toBe('list-todos');
    expect(kebabCase('GetTodo')).toBe('get-todo');
    expect(kebabCase('GetURLPart')).toBe('get-url-part');
    expect(kebabCase('Resize2Images')).toBe('resize2-images');
  });

  it('maps every todo function with a <Name>CodeKey parameter to handlers/todo/<name>.ts and skips inline code', () => {
    const { template } = renderPattern({ pattern: 'todo', parameters: {} });
    const plan = planPackage(template, 'todo');
    expect(plan.functions).toEqual([
      { logicalId: 'CreateTodoFunction', codeKeyParameter: 'CreateTodoCodeKey', entry: 'todo/create-todo.ts', target: 'node24', leaveOut: ['./dax.js'] },
      { logicalId: 'DeleteTodoFunction', codeKeyParameter: 'DeleteTodoCodeKey', entry: 'todo/delete-todo.ts', target: 'node24', leaveOut: ['./dax.js'] },
      { logicalId: 'GetTodoFunction', codeKeyParameter: 'GetTodoCodeKey', entry: 'todo/get-todo.ts', target: 'node24', leaveOut: ['./dax.js'] },
      { logicalId: 'ListTodosFunction', codeKeyParameter: 'ListTodosCodeKey', entry: 'todo/list-todos.ts', target: 'node24', leaveOut: ['./dax.js'] },
      { logicalId: 'UpdateTodoFunction', codeKeyParameter: 'UpdateTodoCodeKey', entry: 'todo/update-todo.ts', target: 'node24', leaveOut: ['./dax.js'] },
    ]);
    expect(plan.skipped).toEqual([{ logicalId: 'StageCacheControlFunction', reason: 'inline code (Code.ZipFile)' }]);
  });

  it('leaves the DAX client out of functions the template gives no DAX_ENDPOINT', () => {
    const withDax = planPackage(renderPattern({ pattern: 'todo', parameters: { cache: 'dax' } }).template, 'todo');
    expect(withDax.functions.every((f) => f.leaveOut.length === 0)).toBe(true);
    const without = planPackage(renderPattern({ pattern: 'todo', parameters: { cache: 'apigw' } }).template, 'todo');
    expect(without.functions.every((f) => f.leaveOut.includes('./dax.js'))).toBe(true);
  });

  it('packages only S3Keys that Ref a <Name>CodeKey parameter; takes the target from the runtime', () => {
    const template: CfnTemplate = {
      Parameters: { ArtifactBucket: { Type: 'String' }, ResizeCodeKey: { Type: 'String' }, OtherKey: { Type: 'String' } },
      Resources: {
        Resize: fn({ Runtime: 'nodejs22.x', Code: s3('ResizeCodeKey') }),
        Literal: fn({ Code: { S3Bucket: 'b', S3Key: 'k.zip' } }),
        OtherParam: fn({ Code: s3('OtherKey') }),
        NotAParam: fn({ Code: s3('GhostCodeKey') }),
        Queue: { Type: 'AWS::SQS::Queue' },
      },
    };
    const plan = planPackage(template, 'micro');
    expect(plan.functions).toEqual([{ logicalId: 'Resize', codeKeyParameter: 'ResizeCodeKey', entry: 'micro/resize.ts', target: 'node22', leaveOut: ['./dax.js'] }]);
    expect(plan.skipped.map((s) => s.logicalId)).toEqual(['Literal', 'NotAParam', 'OtherParam']);
  });

  it('refuses a handler setting other than index.<name>, and a non-Node runtime', () => {
    const params = { ArtifactBucket: { Type: 'String' }, ACodeKey: { Type: 'String' } };
    const bad = (props: JsonObject) => () => planPackage({ Parameters: params, Resources: { A: fn({ Code: s3('ACodeKey'), ...props }) } }, 'p');
    expect(bad({ Handler: 'app.handler' })).toThrow(/A has Handler "app.handler", but archctl packages its code as index.mjs/);
    expect(bad({ Runtime: 'python3.13' })).toThrow(/A has Runtime python3.13/);
    try {
      bad({ Handler: 'src/index.handler' })();
    } catch (err) {
      expect(isArchctlError(err)).toBe(true);
    }
  });

  it('counts index.mjs and its static chunks against the budget, lazy chunks apart', () => {
    const roles = classifyOutputs([
      { name: 'index.mjs', bytes: 100, imports: [{ name: 'chunk-A.mjs', dynamic: false }, { name: 'dax-B.mjs', dynamic: true }] },
      { name: 'chunk-A.mjs', bytes: 10, imports: [{ name: 'chunk-C.mjs', dynamic: false }] },
      { name: 'chunk-C.mjs', bytes: 5, imports: [] },
      { name: 'dax-B.mjs', bytes: 1000, imports: [{ name: 'chunk-C.mjs', dynamic: false }, { name: 'chunk-D.mjs', dynamic: false }] },
      { name: 'chunk-D.mjs', bytes: 50, imports: [] },
      { name: 'index.mjs.map', bytes: 7, imports: [] },
    ]);
    expect(Object.fromEntries(roles)).toEqual({
      'index.mjs': 'handler',
      'chunk-A.mjs': 'chunk',
      'chunk-C.mjs': 'chunk',
      'dax-B.mjs': 'lazy-chunk',
      'chunk-D.mjs': 'lazy-chunk',
      'index.mjs.map': 'source-map',
    });
    const planned = { logicalId: 'F', codeKeyParameter: 'FCodeKey', entry: 'p/f.ts', target: 'node24', leaveOut: ['./dax.js'] };
    const files = [...roles].map(([name, role]) => ({ name, role, bytes: { 'index.mjs': 100, 'chunk-A.mjs': 10, 'chunk-C.mjs': 5, 'dax-B.mjs': 1000, 'chunk-D.mjs': 50, 'index.mjs.map': 7 }[name]! }));
    const d = describePackage(planned, 'handlers/p/f.ts', { sha256: 'ab'.repeat(32), bytes: 999 }, files);
    expect(d).toMatchObject({ zip: 'F-abababababababab.zip', handlerBytes: 115, lazyChunkBytes: 1050, withinBudget: true, zipBytes: 999 });
    expect(d.files.map((f) => f.name)).toEqual(['chunk-A.mjs', 'chunk-C.mjs', 'chunk-D.mjs', 'dax-B.mjs', 'index.mjs', 'index.mjs.map']);
    const big = describePackage(planned, 'handlers/p/f.ts', { sha256: 'cd'.repeat(32), bytes: 1 }, [{ name: 'index.mjs', bytes: HANDLER_BUDGET_BYTES + 1, role: 'handler' }]);
    expect(big.withinBudget).toBe(false);
    expect(describePackage(planned, 'x', { sha256: 'cd'.repeat(32), bytes: 1 }, [{ name: 'index.mjs', bytes: HANDLER_BUDGET_BYTES, role: 'handler' }]).withinBudget).toBe(true);
  });

  it('names every function over budget in one error line', () => {
    const manifest = (over: boolean[]): PackageManifest => ({
      manifestVersion: 1,
      pattern: 'p',
      budgetBytes: HANDLER_BUDGET_BYTES,
      functions: over.map((o, i) => ({
        logicalId: `F${i}`,
        codeKeyParameter: `F${i}CodeKey`,
        entry: `handlers/p/f${i}.ts`,
        target: 'node24',
        zip: zipName(`F${i}`, '0'.repeat(64)),
        sha256: '0'.repeat(64),
        zipBytes: 1,
        handlerBytes: o ? 60_000 : 1,
        lazyChunkBytes: 0,
        withinBudget: !o,
        files: [],
      })),
    });
    expect(budgetError(manifest([false, false]))).toBeUndefined();
    const err = budgetError(manifest([true, false, true]))!;
    expect(err.message).toBe('over the 51200-byte handler budget: F0 (handlers/p/f0.ts) is 60000 bytes, F2 (handlers/p/f2.ts) is 60000 bytes');
    expect(err.message).not.toContain('\n');
    expect(err.exitCode).toBe(1);
  });
});
