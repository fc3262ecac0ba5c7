// Build: compile TypeScript, compile the YAML templates to JSON (so rendering
// never loads a YAML parser), extract the CloudFormation spec per service (so
// validate never loads the 185 MB spec database), and write the JSON Schema of
// archctl.json from the pattern definitions. Run by `npm ci` (prepare).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseCfnYaml } from './cfn-yaml.mjs';
import { extractSpec } from './extract-spec.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const started = Date.now();

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

let fragments = 0;
for (const pattern of readdirSync(join(root, 'templates'), { withFileTypes: true })) {
  if (!pattern.isDirectory()) continue;
  const out = join(dist, 'templates', pattern.name);
  mkdirSync(out, { recursive: true });
  for (const file of readdirSync(join(root, 'templates', pattern.name))) {
    if (!file.endsWith('.yaml')) continue;
    const source = join(root, 'templates', pattern.name, file);
    const data = parseCfnYaml(readFileSync(source, 'utf8'), source);
    writeFileSync(join(out, file.replace(/\.yaml$/, '.json')), JSON.stringify(data));
    fragments++;
  }
}

await extractSpec(join(dist, 'spec'));

const { projectJsonSchema } = await import(pathToFileURL(join(dist, 'core/project-schema.js')).href);
writeFileSync(join(dist, 'archctl.schema.json'), JSON.stringify(projectJsonSchema(), null, 2) + '\n');

process.stderr.write(`archctl built: ${fragments} template fragments, spec, schema in ${Date.now() - started} ms\n`);
