// The shipped patterns have no error findings, so a failing rule is added to
// the pack here: deploy must stop before any AWS call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Rule } from '../../src/core/rule-types.js';
import { testSession } from '../support/aws.js';
import { FakeAws } from '../support/fake-aws.js';

vi.mock('../../src/core/rules/index.js', async (importOriginal) => {
  const real = await importOriginal<{ rules: Rule[] }>();
  const failing: Rule = {
    id: 'test-always-fails',
    level: 'error',
    explanation: 'a test rule',
    fix: 'none',
    resourceTypes: ['AWS::DynamoDB::Table'],
    check: () => ({ status: 'non-compliant', message: 'always' }),
  };
  return { rules: [...real.rules, failing] };
});

const { deploy } = await import('../../src/actions/deploy.js');
const { resolveTarget } = await import('../../src/actions/project.js');

let fake: FakeAws | undefined;
let dir: string | undefined;
afterEach(() => {
  fake?.restore();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('deploy with error findings', () => {
  it('GIVEN a template with an error finding WHEN deploying THEN it stops, names validate, and nothing reaches AWS', async () => {
    fake = new FakeAws();
    fake.bootstrap();
    dir = mkdtempSync(join(tmpdir(), 'archctl-findings-'));
    const session = testSession();
    await expect(
      deploy(session, {
        target: { stackName: 'todo-dev', stage: 'dev', production: false, region: 'eu-west-1', target: resolveTarget({ pattern: 'todo', dir, sets: [] }) },
        projectDir: dir,
        mode: 'deploy',
        confirm: async () => true,
      }),
    ).rejects.toMatchObject({ message: 'the template has 1 error finding: nothing was deployed', fix: expect.stringContaining('archctl validate todo') });
    expect(session.calls).toEqual([]);
    expect(fake.callNames()).toEqual([]);
  });
});
