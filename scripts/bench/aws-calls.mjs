// AWS calls made by the deploy paths that should be nearly free, counted from
// the mocked SDK clients (aws-sdk-client-mock, through the stateful fake the
// tests use) while the built CLI runs in this process, exactly as a user runs
// it. Counts, not times: they do not move with the machine's load.
//   - a no-op deploy (nothing changed): goal at most 3 calls, no change set;
//   - a code-only deploy --hotswap: goal no CloudFormation call.
import { build } from 'esbuild';
import { cpSync, mkdirSync, mkdtempSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { root } from './common.mjs';

/** The test suite's fake, compiled on the fly (it is TypeScript); the SDK and the mock library stay shared. */
async function loadFake(work) {
  const out = join(work, 'fake-aws.mjs');
  await build({
    entryPoints: [join(root, 'test/support/fake-aws.ts')],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    external: ['@aws-sdk/*', 'aws-sdk-client-mock'],
    logLevel: 'warning',
  });
  return import(pathToFileURL(out).href);
}

async function cli(args, cwd) {
  const { main } = await import(pathToFileURL(join(root, 'dist/js/main.js')).href);
  const sink = () => {
    const s = new PassThrough();
    let text = '';
    s.on('data', (d) => (text += d));
    s.text = () => text;
    return s;
  };
  const stdout = sink();
  const stderr = sink();
  const code = await main(args, { stdout, stderr, interactive: false, env: { AWS_REGION: 'eu-west-1' }, cwd, sleep: async () => {} });
  if (code !== 0) throw new Error(`archctl ${args.join(' ')} exited ${code}: ${stderr.text()}`);
  return { out: stdout.text(), err: stderr.text() };
}

/** Prints the table; returns how many goals were missed. */
export async function benchAwsCalls() {
  // The resolver finds node_modules from here, so the compiled fake shares the CLI's SDK instances.
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(join(cache, 'archctl-bench-aws-'));
  const project = mkdtempSync(join(tmpdir(), 'archctl-bench-aws-'));
  try {
    const { FakeAws } = await loadFake(work);
    const fake = new FakeAws();
    try {
      fake.bootstrap();
      const handlers = join(project, 'handlers');
      cpSync(join(root, 'handlers'), handlers, { recursive: true });
      const deploy = (...extra) => cli(['deploy', 'todo', '--dir', project, '--handlers', handlers, '--yes', ...extra], project);
      const count = async (run) => {
        fake.cfn.resetHistory();
        fake.s3.resetHistory();
        fake.lambda.resetHistory();
        await run();
        return fake.callNames();
      };

      const first = await count(() => deploy());
      const noop = await count(() => deploy());
      appendFileSync(join(handlers, 'todo/get-todo.ts'), '\nexport const benchMarker = 1;\n');
      const hot = await count(() => deploy('--hotswap'));
      const changed = await count(() => deploy('--set', 'throttleRate=77'));

      const cfn = (calls) => calls.filter((c) => c.startsWith('CloudFormation:')).length;
      const rows = [
        { name: 'first deploy (new stack)', calls: first, goal: null },
        { name: 'no-op deploy', calls: noop, goal: (c) => c.length <= 3 && !c.includes('CloudFormation:CreateChangeSet'), goalText: '<= 3 calls, no change set' },
        { name: 'code-only deploy --hotswap', calls: hot, goal: (c) => cfn(c) === 0, goalText: 'no CloudFormation call' },
        { name: 'template change', calls: changed, goal: null },
      ];
      let missed = 0;
      console.log('\nAWS calls per deploy, counted from the mocked SDK clients (built CLI, in process)');
      console.log(`${'scenario'.padEnd(28)} ${'calls'.padStart(5)} ${'CFN'.padStart(4)}  goal`);
      for (const r of rows) {
        const ok = r.goal ? r.goal(r.calls) : true;
        if (!ok) missed++;
        console.log(`${r.name.padEnd(28)} ${String(r.calls.length).padStart(5)} ${String(cfn(r.calls)).padStart(4)}  ${r.goal ? `${r.goalText} ${ok ? 'ok' : 'MISSED'}` : ''}`);
        const by = Object.entries(r.calls.reduce((m, c) => ((m[c] = (m[c] ?? 0) + 1), m), {})).map(([c, n]) => (n > 1 ? `${c} x${n}` : c));
        console.log(`${''.padEnd(28)} ${by.join(', ')}`);
      }
      return missed;
    } finally {
      fake.restore();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  }
}
