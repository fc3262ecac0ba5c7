// The README's main job (npm start): brings up the todo stack on this machine
// with `archctl dev todo` and walks through it with the real AWS SDK clients,
// against the local endpoints: two users sign up and sign in, create and list
// todos through the API, get identity-pool credentials, upload to their own
// folder and are denied on the other's. Exits 0 when every step gave what AWS
// would give; the local stack is always stopped.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdminConfirmSignUpCommand, CognitoIdentityProviderClient, InitiateAuthCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

// The SDK's notice about future node versions is not a step of the walkthrough.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  // Emitted as a plain Warning whose message starts with the name.
  if (w.name !== 'NodeVersionSupportWarning' && !String(w.message).startsWith('NodeVersionSupportWarning')) process.stderr.write(`${w.name}: ${w.message}\n`);
});

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'archctl-quickstart-'));
const outputsFile = join(work, 'outputs.json');
const READY_TIMEOUT_MS = 30_000;
// The local services take any key for archctl's own (admin) calls; there is no IAM locally.
const ADMIN = { accessKeyId: 'ARCHCTLLOCAL', secretAccessKey: 'archctl-local-secret' };

const step = (text) => process.stdout.write(`✔ ${text}\n`);
class Unexpected extends Error {}
const expect = (ok, what) => {
  if (!ok) throw new Unexpected(what);
};

// Not inherited: the walkthrough must not pick up a real AWS profile or endpoint.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
const child = spawn(process.execPath, [join(root, 'bin', 'archctl.js'), 'dev', 'todo', '--dir', work, '--port', '0', '--outputs-file', outputsFile], {
  cwd: work,
  env,
  stdio: ['ignore', 'ignore', 'pipe'],
});
let childLog = '';
child.stderr.on('data', (d) => (childLog += d));
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

async function waitForOutputs() {
  const started = Date.now();
  while (!existsSync(outputsFile)) {
    if (child.exitCode !== null) throw new Unexpected(`archctl dev exited with code ${child.exitCode} before it was ready:\n${childLog}`);
    if (Date.now() - started > READY_TIMEOUT_MS) throw new Unexpected(`archctl dev was not ready after ${READY_TIMEOUT_MS / 1000} s:\n${childLog}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { outputs: JSON.parse(readFileSync(outputsFile, 'utf8')), ms: Date.now() - started };
}

async function walkthrough() {
  const { outputs: o, ms } = await waitForOutputs();
  step(`archctl dev todo is up in ${ms} ms: API ${o.ApiUrl}`);
  const region = o.Region;
  const idp = new CognitoIdentityProviderClient({ region, endpoint: o.CognitoEndpoint, credentials: ADMIN });
  const identity = new CognitoIdentityClient({ region, endpoint: o.CognitoIdentityEndpoint, credentials: ADMIN });

  const api = async (method, path, token, body) => {
    const res = await fetch(`${o.ApiUrl}${path}`, {
      method,
      headers: { Authorization: token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json };
  };

  const users = {};
  for (const [name, email] of [['alice', 'alice@example.com'], ['bob', 'bob@example.com']]) {
    const password = `Quickstart-${name}-2024!`;
    await idp.send(new SignUpCommand({ ClientId: o.UserPoolClientId, Username: email, Password: password, UserAttributes: [{ Name: 'email', Value: email }] }));
    await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: o.UserPoolId, Username: email }));
    step(`${name}: signed up as ${email} and confirmed (AdminConfirmSignUp)`);
    const auth = await idp.send(
      new InitiateAuthCommand({ ClientId: o.UserPoolClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } }),
    );
    const idToken = auth.AuthenticationResult?.IdToken;
    expect(idToken, `${name}: InitiateAuth gave no IdToken`);
    step(`${name}: signed in with USER_PASSWORD_AUTH (ID token of ${idToken.length} characters)`);
    users[name] = { email, idToken };
  }

  const { alice, bob } = users;
  const created = await api('POST', '/todos', alice.idToken, { title: 'Try archctl locally' });
  expect(created.status === 201 && created.json.id, `alice: POST /todos gave ${created.status} ${JSON.stringify(created.json)}`);
  step(`alice: created todo ${created.json.id} ("${created.json.title}")`);
  const listA = await api('GET', '/todos', alice.idToken);
  expect(listA.status === 200 && listA.json.items.some((t) => t.id === created.json.id), `alice: GET /todos gave ${listA.status} ${JSON.stringify(listA.json)}`);
  step(`alice: listed ${listA.json.items.length} todo(s)`);
  const listB = await api('GET', '/todos', bob.idToken);
  expect(listB.status === 200 && listB.json.items.length === 0, `bob: GET /todos gave ${listB.status} ${JSON.stringify(listB.json)}`);
  const getB = await api('GET', `/todos/${created.json.id}`, bob.idToken);
  expect(getB.status === 404, `bob: GET alice's todo gave ${getB.status}, expected 404`);
  step(`bob: sees no todos, and alice's todo is a 404 for him`);

  for (const user of [alice, bob]) {
    const Logins = { [`cognito-idp.${region}.amazonaws.com/${o.UserPoolId}`]: user.idToken };
    const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: o.IdentityPoolId, Logins }));
    const { Credentials } = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
    expect(IdentityId && Credentials?.AccessKeyId, 'GetCredentialsForIdentity gave no credentials');
    user.identityId = IdentityId;
    user.s3 = new S3Client({
      region,
      endpoint: o.S3Endpoint,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretKey, sessionToken: Credentials.SessionToken },
    });
    step(`${user.email}: identity ${IdentityId} with temporary credentials ${Credentials.AccessKeyId}`);
  }

  const key = `${alice.identityId}/hello.txt`;
  await alice.s3.send(new PutObjectCommand({ Bucket: o.BucketName, Key: key, Body: 'hello from alice', ContentType: 'text/plain' }));
  const got = await alice.s3.send(new GetObjectCommand({ Bucket: o.BucketName, Key: key }));
  expect((await got.Body.transformToString()) === 'hello from alice', 'alice: her file did not read back');
  step(`alice: uploaded and read back s3://${o.BucketName}/${key}`);
  for (const [what, send] of [
    ['write to', () => bob.s3.send(new PutObjectCommand({ Bucket: o.BucketName, Key: `${alice.identityId}/intruder.txt`, Body: 'x' }))],
    ['read', () => bob.s3.send(new GetObjectCommand({ Bucket: o.BucketName, Key: key }))],
  ]) {
    let denied = false;
    try {
      await send();
    } catch (err) {
      denied = err.name === 'AccessDenied';
      if (!denied) throw new Unexpected(`bob: ${what} alice's folder failed with ${err.name}, expected AccessDenied`);
    }
    expect(denied, `bob could ${what} alice's folder`);
  }
  step(`bob: AccessDenied on alice's folder (read and write)`);
  for (const c of [idp, identity, alice.s3, bob.s3]) c.destroy();
}

let code = 0;
try {
  await walkthrough();
  process.stdout.write('\nThe todo stack works locally. Keep it running for your own client with: node bin/archctl.js dev todo\n');
} catch (err) {
  code = 1;
  process.stderr.write(`✘ quickstart failed: ${err instanceof Unexpected ? err.message : (err?.stack ?? String(err))}\n`);
  if (!(err instanceof Unexpected) && childLog) process.stderr.write(`archctl dev said:\n${childLog}`);
} finally {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const { code: childCode, signal } = await exited;
  clearTimeout(timer);
  if (childCode !== 0) {
    process.stderr.write(`✘ archctl dev did not stop cleanly (exit ${childCode ?? signal}):\n${childLog}`);
    code = 1;
  } else {
    step('archctl dev stopped cleanly (SIGTERM, exit 0)');
  }
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = code;
