// Start-up and command costs as ratios to `node -e 0`, measured in the same
// run, interleaved, so a noisy machine moves both sides alike.
import { cli, median, once } from './common.mjs';

const scenarios = [
  { name: 'node -e 0', args: ['-e', '0'], budget: null },
  { name: 'archctl --help', args: [cli, '--help'], budget: 1.5 },
  { name: 'archctl render todo', args: [cli, 'render', 'todo'], budget: 1.5 },
  { name: 'archctl validate todo', args: [cli, 'validate', 'todo'], budget: 6 },
];

/** Prints the table; returns how many budgets were missed. */
export function benchStartup(rounds) {
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
  return over;
}
