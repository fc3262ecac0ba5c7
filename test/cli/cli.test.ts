import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cliPath, repoRoot, runCli, STACK } from '../support/run-cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'archctl-cli-'));
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** A usage or input error: one line on stderr with the fix, nothing on stdout, no stack trace. */
function expectOneLineError(r: { code: number | null; stdout: string; stderr: string }, code: number, text: RegExp) {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^error: .*\(fix: .+\)\n$/);
  expect(r.stderr).toMatch(text);
  expect(r.stderr).not.toMatch(STACK);
}

describe('archctl as a process', () => {
  it('--version prints the version on stdout', () => {
    const r = runCli(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help lists the commands with examples and exit codes', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['patterns', 'init', 'render', 'validate', 'Examples:', 'Exit codes']) expect(r.stdout).toContain(cmd);
  });

  it('every command has --help with examples', () => {
    for (const cmd of ['patterns', 'init', 'render', 'validate', 'rules', 'package', 'dev', 'bootstrap', 'deploy', 'diff', 'status', 'outputs', 'logs', 'destroy', 'smoke', 'offload']) {
      const r = runCli([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Examples:');
      expect(r.stdout).toContain(`$ archctl ${cmd}`);
    }
  });

  it('patterns lists todo with its parameters, as text and as JSON', () => {
    const text = runCli(['patterns']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^todo {2}Mobile REST API/m);
    expect(text.stdout).toContain('apigw | dax | both | none');
    const json = JSON.parse(runCli(['patterns', '--json']).stdout) as { name: string; parameters: { name: string }[] }[];
    expect(json.map((p) => p.name)).toEqual(['todo', 'offload']);
    expect(json[0]!.parameters.map((p) => p.name)).toContain('cache');
  });

  it('rules lists every security rule with its level and fix', () => {
    const r = runCli(['rules', '--json']);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout) as { id: string; level: string; fix: string }[];
    expect(rules.map((x) => x.id)).toEqual(expect.arrayContaining(['s3-block-public-access', 'apigw-cache-key-per-user', 'cognito-identity-role-trust']));
    expect(rules.every((x) => x.fix.length > 0 && ['error', 'warning'].includes(x.level))).toBe(true);
    expect(runCli(['rules']).stdout).toMatch(/^s3-ssl-only \[error\] AWS::S3::Bucket/m);
  });

  it('render prints the same YAML template every time, and nothing on stderr', () => {
    const a = runCli(['render', 'todo']);
    const b = runCli(['render', 'todo']);
    expect(a.code).toBe(0);
    expect(a.stderr).toBe('');
    expect(a.stdout).toBe(b.stdout);
    const template = parse(a.stdout) as { Resources: Record<string, { Type: string }>; Outputs: Record<string, unknown> };
    expect(Object.keys(template.Outputs)).toEqual(expect.arrayContaining(['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'IdentityPoolId', 'BucketName', 'TableName', 'Region']));
  });

  it('render --format json gives the same template as YAML; --set changes it', () => {
    const yaml = parse(runCli(['render', 'todo']).stdout) as unknown;
    const json = JSON.parse(runCli(['render', 'todo', '--format', 'json']).stdout) as unknown;
    expect(json).toEqual(yaml);
    const dax = JSON.parse(runCli(['render', 'todo', '--set', 'cache=dax', '--json']).stdout) as { Resources: Record<string, { Type: string }> };
    expect(Object.values(dax.Resources).some((r) => r.Type === 'AWS::DAX::Cluster')).toBe(true);
  });

  it('render --out writes the file and reports on stderr', () => {
    const dir = tmp();
    const r = runCli(['render', 'todo', '--out', 'todo.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^wrote todo\.yaml: todo, \d+ resources, yaml, \d+ bytes\n/);
    expect(readFileSync(join(dir, 'todo.yaml'), 'utf8')).toBe(runCli(['render', 'todo']).stdout);
  });

  it('render --out says when a template is over the 51,200-byte inline limit of CloudFormation', () => {
    const dir = tmp();
    const small = runCli(['render', 'todo', '--set', 'cache=none', '--out', 'small.yaml'], { cwd: dir });
    expect(small.stderr).not.toContain('note:');
    const big = runCli(['render', 'todo', '--set', 'cache=both', '--out', 'big.yaml'], { cwd: dir });
    expect(big.code).toBe(0);
    expect(big.stderr).toMatch(/note: \d+ bytes is over CloudFormation's 51200-byte limit .*--template-url/);
  });

  it('archctl without a command prints the help on stderr and exits 2', () => {
    const r = runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: archctl');
  });

  it('render --out to an unwritable place fails with one line and leaves no file behind', () => {
    const dir = tmp();
    expectOneLineError(runCli(['render', 'todo', '--out', 'missing/dir/t.yaml'], { cwd: dir }), 1, /cannot write .*folder does not exist/);
    mkdirSync(join(dir, 'folder.yaml'));
    expectOneLineError(runCli(['render', 'todo', '--out', 'folder.yaml'], { cwd: dir }), 1, /cannot write/);
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    writeFileSync(join(ro, 't.yaml'), 'old');
    chmodSync(ro, 0o555);
    const r = runCli(['render', 'todo', '--out', 'ro/t.yaml'], { cwd: dir });
    // root ignores folder permissions; where they hold, nothing is half-written.
    if (r.code !== 0) {
      expectOneLineError(r, 1, /cannot write/);
      expect(readFileSync(join(ro, 't.yaml'), 'utf8')).toBe('old');
    }
    chmodSync(ro, 0o755);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(ro).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('bad input is one line with the fix and exit code 2', () => {
    expectOneLineError(runCli(['render', 'shop']), 2, /unknown pattern "shop".*todo/);
    expectOneLineError(runCli(['render', 'todo', '--set', 'cahce=dax']), 2, /unknown parameter "cahce".*cache/);
    expectOneLineError(runCli(['render', 'todo', '--set', 'cache=redis']), 2, /invalid value "redis" for cache.*apigw \| dax \| both \| none/);
    expectOneLineError(runCli(['render', 'todo', '--set', 'daxNodes=lots']), 2, /daxNodes.*integer from 1 to 10/);
    expectOneLineError(runCli(['validate', 'todo', '--set', 'cache']), 2, /not key=value/);
    expectOneLineError(runCli(['render'], { cwd: tmp() }), 2, /no archctl\.json in .*archctl render todo/);
    expectOneLineError(runCli(['render', 'todo', '--bogus']), 2, /unknown option '--bogus'/);
    expectOneLineError(runCli(['render', 'todo', '--format', 'xml']), 2, /xml/);
  });

  it('init writes archctl.json with its schema, and never overwrites without --force', () => {
    const dir = tmp();
    const r = runCli(['init', 'todo', 'my-app', '--region', 'eu-west-1', '--set', 'cache=dax'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('created my-app/archctl.json');
    const file = join(dir, 'my-app/archctl.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(config).toEqual({ $schema: './.archctl/archctl.schema.json', pattern: 'todo', name: 'my-app', region: 'eu-west-1', parameters: { cache: 'dax' } });
    expect(existsSync(join(dir, 'my-app/.archctl/archctl.schema.json'))).toBe(true);

    writeFileSync(file, readFileSync(file, 'utf8').replace('"dax"', '"both"'));
    const before = readFileSync(file, 'utf8');
    expectOneLineError(runCli(['init', 'todo', 'my-app', '--region', 'eu-west-1'], { cwd: dir }), 1, /already exists.*--force/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(runCli(['init', 'todo', 'my-app', '--region', 'us-west-2', '--force'], { cwd: dir }).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ region: 'us-west-2', parameters: {} });
  });

  it('init takes the region from AWS_REGION, and with no terminal names the missing flag', () => {
    const dir = tmp();
    expect(runCli(['init', 'todo', 'a'], { cwd: dir, env: { AWS_REGION: 'ap-south-1' } }).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'a/archctl.json'), 'utf8'))).toMatchObject({ region: 'ap-south-1', name: 'a' });
    expectOneLineError(runCli(['init', 'todo', 'b'], { cwd: dir }), 2, /missing --region/);
    expect(existsSync(join(dir, 'b/archctl.json'))).toBe(false);
    expectOneLineError(runCli(['init'], { cwd: dir }), 2, /missing a pattern/);
    expect(runCli(['init', 'todo', 'c', '--yes'], { cwd: dir }).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'c/archctl.json'), 'utf8'))).toMatchObject({ region: 'us-east-1' });
    expectOneLineError(runCli(['init', 'todo', 'd', '--region', 'mars-1'], { cwd: dir }), 2, /invalid region/);
    expectOneLineError(runCli(['init', 'todo', 'e', '--region', 'eu-west-1', '--set', 'cache=x'], { cwd: dir }), 2, /invalid value "x" for cache/);
    expect(existsSync(join(dir, 'e'))).toBe(false);
  });

  it('render and validate read the project, and --set overrides it', () => {
    const dir = tmp();
    runCli(['init', 'todo', '.', '--region', 'eu-west-1', '--set', 'cache=dax'], { cwd: dir });
    const fromProject = JSON.parse(runCli(['render', '--json'], { cwd: dir }).stdout) as { Metadata: { archctl: { parameters: { cache: string } } } };
    expect(fromProject.Metadata.archctl.parameters.cache).toBe('dax');
    const overridden = JSON.parse(runCli(['render', '--json', '--dir', dir, '--set', 'cache=none'], { cwd: tmp() }).stdout) as typeof fromProject;
    expect(runCli(['validate'], { cwd: dir }).stderr).toMatch(/\nnext: archctl render --out template\.yaml\n$/);
    expect(runCli(['validate', '--dir', dir], { cwd: tmp() }).stderr).toContain(`next: archctl render --dir ${dir} --out template.yaml\n`);
    expect(overridden.Metadata.archctl.parameters.cache).toBe('none');
  });

  it('an invalid or unreadable archctl.json is one line, exit 1', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'archctl.json'), '{ "pattern": "todo", ');
    expectOneLineError(runCli(['render'], { cwd: dir }), 1, /archctl\.json is not valid JSON/);
    writeFileSync(join(dir, 'archctl.json'), JSON.stringify({ pattern: 'todo', name: 'x', region: 'eu-west-1', parameters: { cache: 'memcached' } }));
    expectOneLineError(runCli(['validate'], { cwd: dir }), 1, /archctl\.json: invalid value "memcached" for cache/);
    const dir2 = tmp();
    mkdirSync(join(dir2, 'archctl.json'));
    expectOneLineError(runCli(['render'], { cwd: dir2 }), 1, /cannot read .*it is a folder/);
  });

  it('validate passes every todo variant with no unsuppressed errors', () => {
    for (const sets of [[], ['cache=none'], ['cache=dax'], ['cache=both', 'billing=provisioned', 'mfa=on']]) {
      const r = runCli(['validate', 'todo', ...sets.flatMap((s) => ['--set', s])]);
      expect(r.stdout, sets.join(' ')).toBe('');
      expect(r.stderr).toMatch(/^✔ todo: \d+ resources checked .*: 0 errors, 0 warnings.*\nnext: archctl render todo --out template\.yaml\n$/);
      expect(r.code).toBe(0);
    }
  });

  it('validate --json prints the findings as a list, suppressed ones included', () => {
    const r = runCli(['validate', 'todo', '--json']);
    expect(r.code).toBe(0);
    const findings = JSON.parse(r.stdout) as { ruleId: string; suppressed?: { reason: string } }[];
    expect(Array.isArray(findings)).toBe(true);
    expect(findings.every((f) => f.suppressed && f.suppressed.reason.length >= 10)).toBe(true);
  });

  it('honours NO_COLOR and --no-color even where colour is forced', () => {
    expect(runCli(['render', 'shop'], { env: { FORCE_COLOR: '1' } }).stderr).toContain('\u001b[');
    expect(runCli(['render', 'shop'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stderr).not.toContain('\u001b[');
    expect(runCli(['render', 'shop', '--no-color'], { env: { FORCE_COLOR: '1' } }).stderr).not.toContain('\u001b[');
  });

  it('stops quietly when the reader closes the pipe early (archctl render todo | head -1)', async () => {
    const child = spawn(process.execPath, [cliPath, 'render', 'todo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first write: every write gets EPIPE
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at /);
    expect(code).toBe(0);
  });

  it('--verbose adds the stack trace of an error', () => {
    expect(runCli(['render', 'shop', '--verbose']).stderr).toMatch(STACK);
  });
});
