// npm run bench: start-up and command costs as ratios to `node -e 0`, then
// the local cloud's (scripts/bench/local.mjs): API Gateway emulator overhead,
// stage cache speed-up, handler bundle sizes, `archctl dev todo` time to ready.
// Prints the tables; exits 1 over a budget or short of a goal. Every child
// (dev stacks, the bare server) is stopped on the way out, failure or not.
// BENCH_ROUNDS (21), BENCH_HTTP_SECONDS (3), BENCH_HTTP_ROUNDS (3) and
// BENCH_READY_ROUNDS (7) tune it; BENCH_ONLY=startup|local|aws|burst runs one part.
// Then the AWS calls of the cheap deploy paths (scripts/bench/aws-calls.mjs),
// and the offload release-day burst (scripts/bench/offload-burst.mjs; BENCH_BURST_* tune it).
import { killAllSync, stopAll } from './bench/common.mjs';
import { benchAwsCalls } from './bench/aws-calls.mjs';
import { benchLocal, removeWork } from './bench/local.mjs';
import { benchOffloadBurst } from './bench/offload-burst.mjs';
import { benchStartup } from './bench/startup.mjs';

// The SDK's notice about future node versions is not a result.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'NodeVersionSupportWarning' && !String(w.message).startsWith('NodeVersionSupportWarning')) process.stderr.write(`${w.name}: ${w.message}\n`);
});
process.on('exit', () => {
  killAllSync();
  removeWork();
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

const only = process.env.BENCH_ONLY;
const num = (name, dflt) => Number(process.env[name] ?? dflt);
let missed = 0;
try {
  if (!only || only === 'startup') missed += benchStartup(num('BENCH_ROUNDS', 21));
  if (!only || only === 'aws') missed += await benchAwsCalls();
  if (!only || only === 'local') {
    missed += await benchLocal({ seconds: num('BENCH_HTTP_SECONDS', 3), rounds: num('BENCH_HTTP_ROUNDS', 3), readyRounds: num('BENCH_READY_ROUNDS', 7) });
  }
  if (!only || only === 'burst') missed += await benchOffloadBurst();
} catch (err) {
  process.stderr.write(`bench failed: ${err?.stack ?? err}\n`);
  missed++;
} finally {
  await stopAll();
}
process.exitCode = missed ? 1 : 0;
