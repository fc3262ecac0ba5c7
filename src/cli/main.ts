import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { isArchctlError } from '../core/errors.js';
import { colorEnabled, type CommandContext, type GlobalOptions, type Io } from './context.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const examples = (lines: string[]): string => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;

/**
 * Builds the program. Each command's module is imported only when it runs,
 * so `archctl --help` costs little more than starting node.
 */
function program(io: Io, run: (load: () => Promise<CommandModule>, args: unknown[], cmd: Command) => Promise<void>): Command {
  const p = new Command('archctl')
    .description('Render, check, run and deploy reference AWS architectures as CloudFormation.')
    .option('--json', 'print data as JSON on stdout')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('-y, --yes', 'accept defaults and confirmations; never prompt')
    .option('--verbose', 'print more detail, and stack traces of unexpected errors')
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Commander's own usage errors get the same one-line shape as ours.
      outputError: (s, write) => write(`${s.trimEnd()} (fix: see archctl --help)\n`),
    })
    .addHelpText(
      'after',
      examples(['archctl patterns', 'archctl init todo my-app --region eu-west-1', 'archctl render todo --set cache=dax', 'archctl validate', 'archctl dev todo', 'archctl bootstrap --region eu-west-1', 'archctl deploy']) +
        '\nExit codes: 0 success, 1 failure or findings, 2 usage error.\n',
    );

  p.command('patterns')
    .description('list the reference architectures and their parameters')
    .addHelpText('after', examples(['archctl patterns', 'archctl patterns --json']))
    .action((...args) => run(() => import('./commands/patterns.js'), args, args.at(-1) as Command));

  p.command('init')
    .description('start a project: write archctl.json for a pattern')
    .argument('[pattern]', 'todo (asked for on a terminal when missing)')
    .argument('[dir]', 'project folder, created if needed', '.')
    .option('--name <name>', 'project and stack name (default: the folder name)')
    .option('--region <region>', 'AWS region (default: AWS_REGION; asked for on a terminal)')
    .option('--set <key=value>', 'set a pattern parameter; repeat for more', collect, [])
    .option('--force', 'overwrite an existing archctl.json')
    .addHelpText('after', examples(['archctl init todo my-app --region eu-west-1', 'archctl init todo . --name notes --set cache=both --set mfa=on']))
    .action((...args) => run(() => import('./commands/init.js'), args, args.at(-1) as Command));

  p.command('render')
    .description('print the CloudFormation template of a pattern or of the project')
    .argument('[pattern]', "a pattern name; without it, the project's archctl.json")
    .option('--dir <dir>', 'project folder', '.')
    .option('--set <key=value>', 'override a parameter; repeat for more', collect, [])
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .option('--out <file>', 'write the template to a file instead of stdout')
    .addHelpText('after', examples(['archctl render todo', 'archctl render todo --set cache=dax --format json --out todo.json', 'archctl render --dir my-app']))
    .action((...args) => run(() => import('./commands/render.js'), args, args.at(-1) as Command));

  p.command('validate')
    .description('check a template against the CloudFormation specification and the security rules')
    .argument('[pattern]', "a pattern name; without it, the project's archctl.json")
    .option('--dir <dir>', 'project folder', '.')
    .option('--set <key=value>', 'override a parameter; repeat for more', collect, [])
    .option('--show-suppressed', 'also list suppressed findings with their reasons')
    .addHelpText('after', examples(['archctl validate todo', 'archctl validate --dir my-app', 'archctl validate todo --set cache=both --json']))
    .action((...args) => run(() => import('./commands/validate.js'), args, args.at(-1) as Command));

  p.command('package')
    .description('bundle the Lambda handlers into deterministic zips, with a manifest of sizes and hashes')
    .argument('[pattern]', "a pattern name; without it, the project's archctl.json")
    .option('--dir <dir>', 'project folder', '.')
    .option('--set <key=value>', 'override a parameter; repeat for more', collect, [])
    .option('--out-dir <dir>', 'where the zips and manifest.json go (default: <dir>/.archctl/build)')
    .option('--handlers <dir>', "folder of handler sources, <pattern>/<function>.ts (default: archctl's own)")
    .addHelpText(
      'after',
      examples(['archctl package todo', 'archctl package --dir my-app --json', 'archctl package todo --out-dir build']) +
        '\nEach handler (index.mjs and the chunks it imports statically) must stay within 50 KB unzipped;\nchunks loaded through import(), such as the DAX client, are counted apart. Exit code 1 when one is over.\n',
    )
    .action((...args) => run(() => import('./commands/package.js'), args, args.at(-1) as Command));

  p.command('dev')
    .description('run the stack on this machine: DynamoDB, S3, Cognito, Lambda and API Gateway emulated, no AWS account')
    .argument('[pattern]', "a pattern name; without it, the project's archctl.json")
    .option('--dir <dir>', 'project folder', '.')
    .option('--set <key=value>', 'override a parameter; repeat for more', collect, [])
    .option('--port <port>', "the API's port (0 picks a free one); the other services always take free ports", '3000')
    .option('--outputs-file <file>', 'where the outputs and endpoints JSON goes (default: <dir>/.archctl/local/outputs.json)')
    .option('--persist', 'keep DynamoDB and S3 data under <dir>/.archctl/local/ across runs')
    .option('--files <dir>', 'offload: the folder of update files the local origin serves (default: a few sample files)')
    .option('--burst [downloads]', 'offload: run the release-day burst (default 10000 downloads of 5 files) and print what the origin served')
    .option('--concurrency <n>', 'offload --burst: concurrent clients (default 200)')
    .option('--file-size <size>', 'offload --burst: size of each update file (default 1MiB)')
    .addHelpText(
      'after',
      examples(['archctl dev todo', 'archctl dev todo --port 0 --outputs-file outputs.json', 'archctl dev --dir my-app --persist', 'archctl dev offload --files ./updates', 'archctl dev offload --burst']) +
        '\nStays up until Ctrl-C or SIGTERM, then stops every service and exits 0. Users, tokens and secrets\nlast one run; --persist keeps the table and bucket contents. Sign-up codes are printed on stderr.\n',
    )
    .action((...args) => run(() => import('./commands/dev.js'), args, args.at(-1) as Command));

  // The AWS commands share how they find the stack: archctl.json (or --stack-name), stage, region, profile.
  const onStack = (c: Command): Command =>
    c
      .option('--dir <dir>', 'project folder', '.')
      .option('--stage <stage>', 'deployment stage: the stack is <name>-<stage>; prod gets termination protection', 'dev')
      .option('--stack-name <name>', 'the stack (default: <project name>-<stage>)')
      .option('--region <region>', "AWS region (default: archctl.json's, then AWS_REGION, then the profile's)")
      .option('--profile <profile>', 'named profile of ~/.aws/config (default: the SDK credential chain)');

  // Its stack is always archctl-bootstrap: no --stage or --stack-name.
  p.command('bootstrap')
    .description('create or update the per-account, per-region stack holding the artifact bucket deploy uploads to')
    .option('--dir <dir>', "project folder (its archctl.json's region is the default)", '.')
    .option('--region <region>', "AWS region (default: archctl.json's, then AWS_REGION, then the profile's)")
    .option('--profile <profile>', 'named profile of ~/.aws/config (default: the SDK credential chain)')
    .addHelpText('after', examples(['archctl bootstrap --region eu-west-1', 'archctl bootstrap --profile prod --region us-east-1']) + '\nIdempotent: run it again after upgrading archctl. Costs only S3 storage of the uploaded zips and templates.\n')
    .action((...args) => run(() => import('./commands/bootstrap.js'), args, args.at(-1) as Command));

  const deployLike = (c: Command): Command =>
    onStack(c)
      .argument('[pattern]', "a pattern name; without it, the project's archctl.json")
      .option('--set <key=value>', 'override a pattern parameter; repeat for more', collect, [])
      .option('--parameters <key=value>', 'same as --set; repeat for more', collect, [])
      .option('--handlers <dir>', "folder of handler sources, <pattern>/<function>.ts (default: archctl's own)");

  deployLike(p.command('deploy').description('render, validate, package and deploy the stack through a reviewed CloudFormation change set'))
    .option('--no-execute', 'create the change set and show it, but do not run it')
    .option('--allow-replace', 'allow replacing or deleting stateful resources (tables, buckets, user pools...): their data is lost')
    .option('--hotswap', 'development shortcut: when only Lambda code changed, update the functions directly (the stack drifts)')
    .option('--outputs-file <file>', 'also write the outputs as JSON to this file')
    .option('--skip-resources <ids>', 'with a stack in UPDATE_ROLLBACK_FAILED: logical ids to skip when continuing the rollback (comma-separated)')
    .addHelpText(
      'after',
      examples([
        'archctl deploy --region eu-west-1',
        'archctl deploy --stage prod --yes --outputs-file outputs.json',
        'archctl deploy todo --set cache=dax --no-execute',
        'archctl deploy --hotswap',
      ]) + '\nAsks before changing anything unless --yes; without a terminal and without --yes it stops (exit 2).\nA deploy with nothing changed makes one API call and creates no change set.\n',
    )
    .action((...args) => run(() => import('./commands/deploy.js'), args, args.at(-1) as Command));

  deployLike(p.command('diff').description('show what a deploy would change (a change set, deleted afterwards), without changing anything'))
    .addHelpText('after', examples(['archctl diff', 'archctl diff --set cache=both --json']))
    .action((...args) => run(() => import('./commands/diff.js'), args, args.at(-1) as Command));

  onStack(p.command('status').description("the stack's state, outputs, last events and drift"))
    .option('--events <n>', 'how many recent events to show', '10')
    .option('--no-drift', 'skip drift detection (it takes a few seconds)')
    .addHelpText('after', examples(['archctl status', 'archctl status --stage prod --no-drift', 'archctl status --json']))
    .action((...args) => run(() => import('./commands/status.js'), args, args.at(-1) as Command));

  onStack(p.command('outputs').description("print the deployed stack's outputs (API URL, pool ids, bucket...)"))
    .addHelpText('after', examples(['archctl outputs', 'archctl outputs --json > outputs.json']))
    .action((...args) => run(() => import('./commands/outputs.js'), args, args.at(-1) as Command));

  onStack(p.command('logs').description("print a function's CloudWatch logs"))
    .argument('<function>', 'the function: its logical id (ListTodos or ListTodosFunction) or list-todos')
    .option('--since <duration>', 'how far back: 30s, 10m, 2h, 1d', '10m')
    .option('--follow', 'keep printing new log events until Ctrl-C')
    .option('--filter <pattern>', 'a CloudWatch Logs filter pattern, such as ERROR')
    .addHelpText('after', examples(['archctl logs ListTodos', 'archctl logs create-todo --since 1h --filter ERROR', 'archctl logs ListTodos --follow']))
    .action((...args) => run(() => import('./commands/logs.js'), args, args.at(-1) as Command));

  onStack(p.command('destroy').description('delete the stack, after listing what is retained and what is deleted with its data'))
    .option('--retain <ids>', 'with a stack in DELETE_FAILED: logical ids to leave in place (comma-separated)')
    .addHelpText(
      'after',
      examples(['archctl destroy', 'archctl destroy --stage dev --yes']) + '\nAsks you to type the stack name unless --yes. Retained resources (tables, buckets, user pools) stay, and keep costing, until you delete them.\n',
    )
    .action((...args) => run(() => import('./commands/destroy.js'), args, args.at(-1) as Command));

  onStack(p.command('smoke').description('check a deployed todo stack end to end with a temporary user, then remove it'))
    .addHelpText('after', examples(['archctl smoke', 'archctl smoke --stage prod --json']))
    .action((...args) => run(() => import('./commands/smoke.js'), args, args.at(-1) as Command));

  const offload = p
    .command('offload')
    .description('put CloudFront in front of an existing origin (a load balancer, an instance or a DNS name) without changing the app')
    .option('--origin <origin>', 'the origin: a load balancer name or ARN, an EC2 instance id, or a DNS name')
    .option('--region <region>', "AWS region of the origin and the stack (default: AWS_REGION, then the profile's)")
    .option('--profile <profile>', 'named profile of ~/.aws/config (default: the SDK credential chain)')
    .option('--stack-name <name>', 'the CloudFront stack (default: offload-<origin name>)')
    .option('--paths <patterns>', 'comma-separated path patterns to cache (default: /updates/*, *.zip, *.exe, *.msi, *.dmg, *.pkg, *.deb, *.rpm)')
    .option('--ttl <duration>', 'how long the edge keeps a cached file: seconds or 30m, 12h, 7d (default: 1d)')
    .option('--price-class <class>', 'PriceClass_100 | PriceClass_200 | PriceClass_All (or 100, 200, all; default 100)')
    .option('--domain <names>', 'your own host names for the distribution, comma-separated (needs --certificate-arn)')
    .option('--certificate-arn <arn>', 'an ACM certificate in us-east-1 covering --domain')
    .option('--origin-shield [region]', 'add Origin Shield (default region: the one nearest the origin)')
    .option('--lock-origin', "afterwards, let only CloudFront reach the load balancer: its prefix list and a secret header (shown as a plan, applied after confirmation)")
    .option('--dry-run', 'render and validate the stack and print the plan; no change (no AWS call for a DNS-name origin)')
    .option('--estimate', 'print the monthly cost with and without CloudFront (no AWS call)')
    .option('--monthly-downloads <n>', 'with --estimate: downloads a month (10000, 10k, 1.5M)')
    .option('--file-size <size>', 'with --estimate: the size of one download (250MB, 1.5GiB)')
    .option('--hit-ratio <ratio>', 'with --estimate: share of downloads served from the edge (0.95 or 95%)')
    .addHelpText(
      'after',
      examples([
        'archctl offload --origin updates.example.com --dry-run',
        'archctl offload --origin my-alb --region eu-west-1',
        'archctl offload --origin my-alb --domain updates.example.com --certificate-arn arn:aws:acm:us-east-1:123456789012:certificate/abc --lock-origin',
        'archctl offload --estimate --monthly-downloads 100k --file-size 500MB',
        'archctl offload status --stack-name offload-my-alb',
        "archctl offload invalidate '/updates/latest/*' --stack-name offload-my-alb",
      ]) + '\nThe app and its stack are never changed, except by --lock-origin after you confirm its plan.\n',
    )
    .action((...args) => run(() => import('./commands/offload.js'), args, args.at(-1) as Command));

  offload
    .command('status')
    .description("the distribution's state, cache hit rate and origin requests (CloudWatch, last 24 h)")
    .option('--stack-name <name>', 'the CloudFront stack archctl offload made')
    .option('--region <region>', 'AWS region of the stack')
    .option('--profile <profile>', 'named profile of ~/.aws/config')
    .option('--hours <n>', 'how many hours of metrics', '24')
    .addHelpText('after', examples(['archctl offload status --stack-name offload-my-alb', 'archctl offload status --stack-name offload-my-alb --json']))
    .action((...args) => run(() => import('./commands/offload-status.js'), args, args.at(-1) as Command));

  offload
    .command('invalidate')
    .description('remove paths from the edge caches (after replacing a file under the same name)')
    .argument('<paths...>', "paths to invalidate, such as /updates/latest.zip or '/updates/*'")
    .option('--stack-name <name>', 'the CloudFront stack archctl offload made')
    .option('--region <region>', 'AWS region of the stack')
    .option('--profile <profile>', 'named profile of ~/.aws/config')
    .option('--no-wait', 'return once the invalidation is accepted')
    .addHelpText('after', examples(["archctl offload invalidate '/updates/*' --stack-name offload-my-alb", 'archctl offload invalidate /updates/v2.zip --no-wait']))
    .action((...args) => run(() => import('./commands/offload-invalidate.js'), args, args.at(-1) as Command));

  p.command('rules')
    .description('list the security rules validate applies, with what each asks for')
    .addHelpText('after', examples(['archctl rules', 'archctl rules --json']))
    .action((...args) => run(() => import('./commands/rules.js'), args, args.at(-1) as Command));

  return p;
}

export interface CommandModule {
  default(ctx: CommandContext, args: unknown[], options: Record<string, unknown>): Promise<number>;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let exitCode = 0;
  let verbose = argv.includes('--verbose');
  let color = colorEnabled(!argv.includes('--no-color'), io.env, io.stderr);
  const run = async (load: () => Promise<CommandModule>, args: unknown[], cmd: Command) => {
    const g = cmd.optsWithGlobals() as Partial<GlobalOptions> & Record<string, unknown>;
    const global: GlobalOptions = { json: Boolean(g.json), color: g.color !== false && color, yes: Boolean(g.yes), verbose: Boolean(g.verbose) };
    verbose = global.verbose;
    color = global.color;
    const mod = await load();
    // `offload status --stack-name x`: commander hands --stack-name to offload, which has the
    // same flag; a nested subcommand therefore reads its parent's options too.
    const opts = cmd.parent?.parent ? { ...cmd.parent.opts(), ...cmd.opts() } : cmd.opts();
    exitCode = await mod.default({ global, io }, args.slice(0, -2), opts);
  };
  try {
    await program(io, run).parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    return reportError(err, io, { verbose, color });
  }
}

function reportError(err: unknown, io: Io, opts: { verbose: boolean; color: boolean }): number {
  const red = (s: string) => (opts.color ? `\u001b[31m${s}\u001b[39m` : s);
  if (err instanceof CommanderError) {
    // Help and --version end here too, with exit code 0; commander already printed its message.
    if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    // `archctl` with no command: commander printed the help on stderr; a command is missing.
    return 2;
  }
  if (isArchctlError(err)) {
    io.stderr.write(`${red('error:')} ${err.message} (fix: ${err.fix})\n`);
    if (opts.verbose && err.stack) io.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  // Ctrl-C at a prompt: the user chose to stop; nothing was written yet.
  if (e?.name === 'ExitPromptError') {
    io.stderr.write('cancelled\n');
    return 130;
  }
  io.stderr.write(`${red('error:')} unexpected: ${e?.message ?? String(err)} (fix: rerun with --verbose and report the output with archctl ${version()})\n`);
  if (opts.verbose && e?.stack) io.stderr.write(`${e.stack}\n`);
  return 1;
}

/**
 * The AWS SDK warns, in seven lines on every AWS command, that its releases
 * after early January 2027 will need Node 22. That is about future SDK
 * upgrades, not this run; archctl pins its SDK. Shown once as one line with
 * --verbose, dropped otherwise. Every other warning passes through.
 */
function quietSdkNodeNotice(verbose: boolean): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  let told = false;
  process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
    if (String(warning).startsWith('NodeVersionSupportWarning')) {
      if (verbose && !told) process.stderr.write(`note: AWS SDK releases after January 2027 need Node 22 or later (this is Node ${process.versions.node})\n`);
      told = true;
      return;
    }
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}

function processIo(): Io {
  quietSdkNodeNotice(process.argv.includes('--verbose'));
  // `archctl render todo | head` closes the pipe early: that is the reader's
  // choice, not an error. Later writes are dropped and the command still ends
  // with its own exit code; any other stream error is reported in one line.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') return;
      if (stream !== process.stderr) process.stderr.write(`error: cannot write output: ${err.message} (fix: check where stdout goes)\n`);
      process.exitCode = 1;
    });
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // A getter: touching process.stdin sets up a stream (about 1 ms), which only prompts need.
    get interactive() {
      return Boolean(process.stdin.isTTY && process.stdout.isTTY);
    },
    env: process.env,
    cwd: process.cwd(),
  };
}
