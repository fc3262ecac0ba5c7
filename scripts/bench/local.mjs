// The local cloud's costs (issue 3, item 6): GET /todos throughput through the
// emulated API Gateway against the same handler behind a bare node:http
// server, cached against uncached reads, each handler's bundle size, and the
// time for `archctl dev todo` to be ready as a ratio to `node -e 0`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminConfirmSignUpCommand, CognitoIdentityProviderClient, InitiateAuthCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { cleanEnv, cli, median, once, root, startChild, stopChild } from './common.mjs';

const READY_TIMEOUT_MS = 30_000;
const SEED_TODOS = 20;
const ADMIN = { accessKeyId: 'ARCHCTLLOCAL', secretAccessKey: 'archctl-local-secret' };
const OVERHEAD_GOAL = 2; // bare / emulated, at most
const CACHE_GOAL = 3; // cached / uncached, at least

const work = mkdtempSync(join(tmpdir(), 'archctl-bench-'));
export const removeWork = () => rmSync(work, { recursive: true, force: true });
let seq = 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `archctl dev todo --port 0` in a child; resolves once its outputs file is written. */
async function startDev(sets = []) {
  const dir = join(work, `dev-${++seq}`);
  mkdirSync(dir);
  const outputsFile = join(dir, 'outputs.json');
  const t0 = process.hrtime.bigint();
  const child = startChild([cli, 'dev', 'todo', '--dir', dir, '--port', '0', '--outputs-file', outputsFile, ...sets.flatMap((s) => ['--set', s])], { cwd: dir });
  child.stdout.resume();
  while (!existsSync(outputsFile)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`archctl dev todo ${sets.join(' ')} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${child.log}`);
    if (Number(process.hrtime.bigint() - t0) / 1e6 > READY_TIMEOUT_MS) throw new Error(`archctl dev todo was not ready after ${READY_TIMEOUT_MS / 1000} s:\n${child.log}`);
    await sleep(5);
  }
  const readyMs = Number(process.hrtime.bigint() - t0) / 1e6;
  let outputs;
  for (let i = 0; outputs === undefined; i++) {
    try {
      outputs = JSON.parse(readFileSync(outputsFile, 'utf8'));
    } catch (err) {
      if (i > 100) throw err; // the file was seen half written for 0.5 s
      await sleep(5);
    }
  }
  return { child, outputs, readyMs };
}

async function stopDev(stack) {
  const { code, signal } = await stopChild(stack.child);
  if (code !== 0) throw new Error(`archctl dev did not stop cleanly (exit ${code ?? signal}):\n${stack.child.log}`);
}

/** A confirmed user signed in with USER_PASSWORD_AUTH: the ID token and its claims. */
async function signIn(o) {
  const idp = new CognitoIdentityProviderClient({ region: o.Region, endpoint: o.CognitoEndpoint, credentials: ADMIN });
  try {
    const email = 'bench@example.com';
    const password = 'Bench-user-2024!';
    await idp.send(new SignUpCommand({ ClientId: o.UserPoolClientId, Username: email, Password: password, UserAttributes: [{ Name: 'email', Value: email }] }));
    await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: o.UserPoolId, Username: email }));
    const auth = await idp.send(new InitiateAuthCommand({ ClientId: o.UserPoolClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } }));
    const token = auth.AuthenticationResult?.IdToken;
    if (!token) throw new Error('InitiateAuth gave no IdToken');
    // As API Gateway's Cognito authorizer passes them: every claim a string.
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    const claims = Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    return { token, claims };
  } finally {
    idp.destroy();
  }
}

async function api(url, method, token, body) {
  const res = await fetch(url, { method, headers: { Authorization: token, ...(body ? { 'Content-Type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, text };
}

/** The user and their todos, through the stack's own API. */
async function seed(stack) {
  const user = await signIn(stack.outputs);
  for (let i = 0; i < SEED_TODOS; i++) {
    const r = await api(`${stack.outputs.ApiUrl}/todos`, 'POST', user.token, { title: `bench todo ${i + 1}` });
    if (r.status !== 201) throw new Error(`seeding: POST /todos gave ${r.status} ${r.text}`);
  }
  stack.user = user;
  return user;
}

/** GET /todos answers 200 with the seeded page, before any load is put on it. */
async function checkList(name, url, token) {
  const r = await api(url, 'GET', token);
  let n = -1;
  try {
    n = JSON.parse(r.text).items.length;
  } catch {}
  if (r.status !== 200 || n !== SEED_TODOS) throw new Error(`${name}: GET /todos gave ${r.status} with ${n} items, expected 200 with ${SEED_TODOS}: ${r.text.slice(0, 300)}`);
}

/** The list handler bundled on its own (esbuild, esm, packages external) and served by bare-server.mjs. */
async function startBare(stack) {
  const outfile = join(root, 'node_modules', '.cache', 'archctl-bench', 'list-todos.mjs');
  await build({ entryPoints: [join(root, 'handlers/todo/list-todos.ts')], bundle: true, format: 'esm', platform: 'node', packages: 'external', target: 'node20', outfile, logLevel: 'error' });
  const o = stack.outputs;
  const event = {
    resource: '/todos',
    path: '/todos',
    httpMethod: 'GET',
    headers: { Authorization: stack.user.token, Host: new URL(o.ApiUrl).host },
    multiValueHeaders: { Authorization: [stack.user.token], Host: [new URL(o.ApiUrl).host] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { resourcePath: '/todos', httpMethod: 'GET', path: new URL(`${o.ApiUrl}/todos`).pathname, authorizer: { claims: stack.user.claims } },
  };
  // What the dev stack gives the function: the template's variables (a pagination secret
  // of its own: no token is issued or read here) and the local endpoint and credentials.
  const env = {
    ...cleanEnv(),
    TABLE_NAME: o.TableName,
    CORS_ORIGIN: '*',
    PAGINATION_SECRET: 'a'.repeat(64),
    AWS_ENDPOINT_URL_DYNAMODB: o.DynamoDBEndpoint,
    AWS_REGION: o.Region,
    AWS_ACCESS_KEY_ID: ADMIN.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ADMIN.secretAccessKey,
    BENCH_EVENT: JSON.stringify(event),
  };
  const child = startChild([join(root, 'scripts/bench/bare-server.mjs'), outfile], { env });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.exited.then(({ code, signal }) => reject(new Error(`the bare server exited (${code ?? signal}):\n${child.log}`)));
  });
  return { child, url: `${url}/todos` };
}

/** Requests per second of `url` under autocannon; any non-2xx or error fails the bench. */
async function cannon(name, url, token, seconds) {
  const r = await autocannon({ url, connections: 10, duration: seconds, headers: { authorization: token } });
  if (r.non2xx || r.errors || r.timeouts) throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts under load`);
  return { rps: r.requests.total / r.duration, p50: r.latency.p50 };
}

function bundleSizes() {
  const run = (sets) => {
    const out = join(work, `package-${++seq}`);
    const r = spawnSync(process.execPath, [cli, 'package', 'todo', '--json', '--dir', work, '--out-dir', out, ...sets.flatMap((s) => ['--set', s])], { cwd: root, env: cleanEnv(), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`archctl package todo ${sets.join(' ')} exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const plain = run([]);
  const dax = run(['cache=dax']);
  const daxBytes = Object.fromEntries(dax.functions.map((f) => [f.logicalId, f.lazyChunkBytes]));
  return { budget: plain.budgetBytes, functions: plain.functions.map((f) => ({ ...f, daxBytes: daxBytes[f.logicalId] ?? 0 })) };
}

/** `archctl dev todo --port 0`, spawn to outputs file, interleaved with `node -e 0`. */
async function devReady(rounds) {
  const node = [];
  const dev = [];
  const stack = await startDev(); // warm the file cache
  await stopDev(stack);
  for (let i = 0; i < rounds; i++) {
    node.push(once(['-e', '0']));
    const s = await startDev();
    dev.push(s.readyMs);
    await stopDev(s);
  }
  return { node: median(node), dev: median(dev) };
}

const kb = (b) => `${(b / 1024).toFixed(1)} KB`;

/** Prints the tables; returns how many goals were missed. */
export async function benchLocal({ seconds, rounds, readyRounds }) {
  const sizes = bundleSizes();
  const ready = await devReady(readyRounds);

  const none = await startDev(['cache=none']);
  const cached = await startDev(['cache=apigw']);
  await Promise.all([seed(none), seed(cached)]);
  const bare = await startBare(none);
  const targets = [
    { name: 'bare node:http + list handler', url: bare.url, token: none.user.token },
    { name: 'emulated API GW, cache=none', url: `${none.outputs.ApiUrl}/todos`, token: none.user.token },
    { name: 'emulated API GW, cache=apigw', url: `${cached.outputs.ApiUrl}/todos`, token: cached.user.token },
  ];
  for (const t of targets) await checkList(t.name, t.url, t.token);
  for (const t of targets) await cannon(t.name, t.url, t.token, 1); // warm-up: workers, connections, the stage cache
  const runs = targets.map(() => []);
  for (let i = 0; i < rounds; i++) for (const [j, t] of targets.entries()) runs[j].push(await cannon(t.name, t.url, t.token, seconds));
  await stopChild(bare.child);
  await Promise.all([stopDev(none), stopDev(cached)]);

  const [base, uncached, hits] = runs.map((rs) => ({ rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)) }));
  const overhead = base.rps / uncached.rps;
  const speedup = hits.rps / uncached.rps;
  let missed = 0;
  const verdict = (ok, text) => {
    if (!ok) missed++;
    return `${text} ${ok ? 'ok' : 'MISSED'}`;
  };
  console.log(`\nGET /todos (${SEED_TODOS} todos), autocannon 10 connections, median of ${rounds} interleaved ${seconds} s runs, loopback`);
  console.log(`${'scenario'.padEnd(32)} ${'req/s'.padStart(8)} ${'p50'.padStart(6)} ${'ratio'.padStart(8)}  goal`);
  const row = (name, s, ratio, goal) => console.log(`${name.padEnd(32)} ${s.rps.toFixed(0).padStart(8)} ${`${s.p50}ms`.padStart(6)} ${ratio.padStart(8)}  ${goal}`);
  row(targets[0].name, base, '', 'baseline');
  row(targets[1].name, uncached, `${overhead.toFixed(2)}x`, verdict(overhead <= OVERHEAD_GOAL, `overhead (bare / this) <= ${OVERHEAD_GOAL}x`));
  row(targets[2].name, hits, `${speedup.toFixed(2)}x`, verdict(speedup >= CACHE_GOAL, `cached / uncached >= ${CACHE_GOAL}x`));

  console.log(`\nhandler bundles (archctl package todo --json; DAX chunk from --set cache=dax), budget ${kb(sizes.budget)} per handler`);
  console.log(`${'function'.padEnd(24)} ${'handler'.padStart(9)} ${'zip'.padStart(9)} ${'DAX lazy'.padStart(9)}  budget`);
  for (const f of sizes.functions) {
    const ok = f.handlerBytes <= sizes.budget;
    if (!ok) missed++;
    console.log(`${f.logicalId.padEnd(24)} ${kb(f.handlerBytes).padStart(9)} ${kb(f.zipBytes).padStart(9)} ${(f.daxBytes ? kb(f.daxBytes) : '-').padStart(9)}  ${ok ? 'ok' : 'OVER'}`);
  }

  console.log(`\narchctl dev todo --port 0, spawn to outputs file, median of ${readyRounds} runs interleaved with node -e 0`);
  console.log(`node -e 0 ${ready.node.toFixed(1)}ms, archctl dev todo ready ${ready.dev.toFixed(1)}ms: ${(ready.dev / ready.node).toFixed(2)}x (reported; no budget is set)`);
  return missed;
}
