// npm run bench: start-up and command costs as ratios to `node -e 0`,
// measured in the same run, interleaved, so a noisy machine moves both
// sides alike. Prints medians and checks the budgets; exits 1 over budget.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin/archctl.js');
const rounds = Number(process.env.BENCH_ROUNDS ?? 21);

const scenarios = [
  { name: 'node -e 0', args: ['-e', '0'], budget: null },
  { name: 'archctl --help', args: [cli, '--help'], budget: 1.5 },
  { name: 'archctl render todo', args: [cli, 'render', 'todo'], budget: 1.5 },
  { name: 'archctl validate todo', args: [cli, 'validate', 'todo'], budget: 6 },
];

function once(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

for (const s of scenarios) once(s.args); // warm the file cache
const times = scenarios.map(() => []);
for (let i = 0; i < rounds; i++) scenarios.forEach((s, j) => times[j].push(once(s.args)));

const floor = median(times[0]);
let over = 0;
console.log(`start-up and commands, median of ${rounds} interleaved runs (node ${process.version})`);
console.log(`${'scenario'.padEnd(26)} ${'median'.padStart(9)} ${'ratio'.padStart(7)}  budget`);
scenarios.forEach((s, j) => {
  const m = median(times[j]);
  const ratio = m / floor;
  const verdict = s.budget === null ? 'baseline' : ratio <= s.budget ? `<= ${s.budget}x ok` : `> ${s.budget}x OVER`;
  if (s.budget !== null && ratio > s.budget) over++;
  console.log(`${s.name.padEnd(26)} ${m.toFixed(1).padStart(7)}ms ${ratio.toFixed(2).padStart(6)}x  ${verdict}`);
});
process.exitCode = over ? 1 : 0;
