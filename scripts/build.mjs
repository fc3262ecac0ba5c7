// Build: bundle the TypeScript with esbuild (one file per command, loaded
// lazily: fewer modules to resolve keeps start-up near node's own), compile the YAML templates to JSON (so rendering
// never loads a YAML parser), extract the CloudFormation spec per service (so
// validate never loads the 185 MB spec database), and write the JSON Schema of
// archctl.json from the pattern definitions. Run by `npm ci` (prepare).
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseCfnYaml } from './cfn-yaml.mjs';
import { extractSpec } from './extract-spec.mjs';

// commander requires node:child_process at load time, only to run external
// subcommands, which archctl has none of; loading it costs about 5 ms, a few
// percent of node's own start-up. Hand commander a proxy that loads it on use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('node_modules/commander/') ? { path: 'lazy-child-process', namespace: 'archctl-lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'archctl-lazy' }, () => ({
      contents: "let cp; module.exports = new Proxy({}, { get: (_, key) => (cp ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

// main.ts imports './commands/<name>.js'; in dist/js/ the command files sit beside main.js.
const commandsBeside = {
  name: 'commands-beside',
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\/[a-z-]+\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path.replace('./commands/', './'), external: true } : undefined,
    );
  },
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const started = Date.now();

rmSync(dist, { recursive: true, force: true });
// Types are checked by `npm test` (tsc --noEmit); the build only strips them.
// One self-contained file per command (no shared chunks: each module loaded
// costs start-up time), all in dist/js/, which src/actions/package-paths.ts
// relies on. main.js imports a command's file only when that command runs.
const commands = readdirSync(join(root, 'src/cli/commands')).filter((f) => f.endsWith('.ts'));
await build({
  entryPoints: [join(root, 'src/cli/main.ts'), join(root, 'src/core/project-schema.ts'), ...commands.map((f) => join(root, 'src/cli/commands', f))],
  outdir: join(dist, 'js'),
  entryNames: '[name]',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // commander is bundled (it is on every start-up path); the UI libraries load lazily where used.
  external: ['chalk', 'ora', '@inquirer/prompts', 'esbuild', '@aws-sdk/*'],
  // commander is CommonJS: give the bundle a require() for the node: built-ins it asks for.
  banner: { js: "import { createRequire as __archctlRequire } from 'node:module'; const require = __archctlRequire(import.meta.url);" },
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [lazyChildProcess, commandsBeside],
});

let fragments = 0;
for (const pattern of readdirSync(join(root, 'templates'), { withFileTypes: true })) {
  if (!pattern.isDirectory()) continue;
  const out = join(dist, 'templates', pattern.name);
  mkdirSync(out, { recursive: true });
  for (const file of readdirSync(join(root, 'templates', pattern.name))) {
    if (!file.endsWith('.yaml')) continue;
    const source = join(root, 'templates', pattern.name, file);
    const data = parseCfnYaml(readFileSync(source, 'utf8'), source, root);
    writeFileSync(join(out, file.replace(/\.yaml$/, '.json')), JSON.stringify(data));
    fragments++;
  }
}

await extractSpec(join(dist, 'spec'));

const { projectJsonSchema } = await import(pathToFileURL(join(dist, 'js/project-schema.js')).href);
writeFileSync(join(dist, 'archctl.schema.json'), JSON.stringify(projectJsonSchema(), null, 2) + '\n');

process.stderr.write(`archctl built: ${fragments} template fragments, spec, schema in ${Date.now() - started} ms\n`);
