// Extract a compact, per-service copy of the CloudFormation resource
// specification from @aws-cdk/aws-service-spec (a 185 MB database that takes a
// second to load) so that `archctl validate` only reads the few kilobytes of
// the services a template uses. Run at build time by scripts/build.mjs, or by
// hand: `node scripts/extract-spec.mjs <outDir>`.
//
// Output (all minified JSON, keys sorted so builds are reproducible):
//   <outDir>/index.json       {"f":1,"v":"<spec package version>","n":<count>,
//                              "t":{"AWS::DynamoDB::Table":"AWS_DynamoDB",...}}
//                             resource type -> service file (without ".json").
//   <outDir>/AWS_DynamoDB.json {"AWS::DynamoDB::Table":{"p":{...},"r":[...],"a":[...],"t":{...}},...}
//     p: property name -> type code     r: required property names
//     a: Fn::GetAtt attribute names ("Endpoint.Address"; "Outputs.*" = any suffix)
//     t: type definition name -> {"p":{...},"r":[...]} (the nested property types)
//   Type codes (the TypeScript reading side is src/core/spec/types.ts and type-codes.ts):
//     "s" string, "n" number, "i" integer, "b" boolean, "j" JSON (anything goes),
//     "d" date-time, "t" tag ({Key,Value}), "z" null,
//     "[X" list of X, "{X" map of X (X a string code), {"a":X} / {"m":X} list / map
//     of a union, any other string = a type definition name in "t",
//     a JSON array = a union (one of the members; "j" in a union stands for
//     "any object", the registry schema's `{"type":"object"}` alternative).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Format of the extract; bump when the encoding changes (the loader checks it). */
export const SPEC_FORMAT = 1;

const PRIMITIVE = {
  string: 's',
  number: 'n',
  integer: 'i',
  boolean: 'b',
  json: 'j',
  'date-time': 'd',
  tag: 't',
  null: 'z',
};
const CODES = new Set(Object.values(PRIMITIVE));

/** "AWS::DynamoDB::Table" -> "AWS_DynamoDB" (also used by src/core/spec/types.ts). */
export const serviceFileOf = (cfnType) => {
  const parts = cfnType.split('::');
  return parts.length === 3 ? `${parts[0]}_${parts[1]}` : undefined;
};

const sortedObject = (entries) => Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * Compact encoding of one resource: properties, required, attributes, and the
 * type definitions reachable from its properties.
 */
function encodeResource(db, resource) {
  const defs = new Map(); // typeDefinition $id -> { name, shape }
  const names = new Map(); // encoded name -> $id (to keep names unique per resource)
  const pending = [];

  const defName = (ref) => {
    const id = ref.$ref;
    const known = defs.get(id);
    if (known) return known.name;
    const def = db.get('typeDefinition', id);
    let name = def.name;
    // A definition name must never read as a type code, a list or a map.
    if (CODES.has(name) || /^[[{]/.test(name)) name = `${name}_`;
    let unique = name;
    for (let i = 2; names.has(unique) && names.get(unique) !== id; i++) unique = `${name}${i}`;
    names.set(unique, id);
    const entry = { name: unique, def, shape: undefined };
    defs.set(id, entry);
    pending.push(entry);
    return unique;
  };

  const encodeType = (type) => {
    switch (type.type) {
      case 'ref':
        return defName(type.reference);
      case 'array':
      case 'map': {
        const element = encodeType(type.element);
        if (typeof element === 'string') return (type.type === 'array' ? '[' : '{') + element;
        return type.type === 'array' ? { a: element } : { m: element };
      }
      case 'union': {
        const members = [];
        const seen = new Set();
        const add = (code) => {
          if (Array.isArray(code)) return code.forEach(add);
          const key = JSON.stringify(code);
          if (!seen.has(key)) {
            seen.add(key);
            members.push(code);
          }
        };
        type.types.forEach((t) => add(encodeType(t)));
        return members.length === 1 ? members[0] : members;
      }
      default: {
        const code = PRIMITIVE[type.type];
        if (!code) throw new Error(`extract-spec: unknown property type ${JSON.stringify(type)} in ${resource.cloudFormationType}`);
        return code;
      }
    }
  };

  const encodeShape = (properties) => {
    const p = sortedObject(Object.entries(properties).map(([name, prop]) => [name, encodeType(prop.type)]));
    const r = Object.entries(properties)
      .filter(([, prop]) => prop.required === true)
      .map(([name]) => name)
      .sort();
    return r.length > 0 ? { p, r } : { p };
  };

  const out = encodeShape(resource.properties);
  const attributes = new Set();
  for (const [name, attr] of Object.entries(resource.attributes ?? {})) {
    attributes.add(name);
    // A map or JSON attribute can be read by key: Fn::GetAtt [X, "Outputs.Key"].
    if (attr.type.type === 'map' || attr.type.type === 'json') attributes.add(`${name}.*`);
  }
  // A nested stack's outputs: Fn::GetAtt [Stack, "Outputs.NestedStackOutputName"].
  if (resource.cloudFormationType === 'AWS::CloudFormation::Stack') attributes.add('Outputs.*');
  if (attributes.size > 0) out.a = [...attributes].sort();

  while (pending.length > 0) {
    const entry = pending.shift();
    entry.shape = encodeShape(entry.def.properties);
  }
  if (defs.size > 0) out.t = sortedObject([...defs.values()].map((d) => [d.name, d.shape]));
  return out;
}

/**
 * Write the compact per-service extract of every CloudFormation resource type
 * into `outDir` (created if needed; stale extract files in it are removed).
 * Returns what was written.
 */
export async function extractSpec(outDir) {
  const started = performance.now();
  const require = createRequire(import.meta.url);
  const { loadAwsServiceSpec } = await import('@aws-cdk/aws-service-spec');
  const version = JSON.parse(readFileSync(require.resolve('@aws-cdk/aws-service-spec/package.json'), 'utf8')).version;
  const db = await loadAwsServiceSpec();
  const loadedMs = performance.now() - started;

  const services = new Map(); // file -> [[type, encoded]]
  const index = [];
  for (const resource of db.all('resource')) {
    const type = resource.cloudFormationType;
    const file = serviceFileOf(type);
    if (!file || !/^[A-Za-z0-9]+_[A-Za-z0-9]+$/.test(file)) throw new Error(`extract-spec: unexpected resource type name ${type}`);
    if (!services.has(file)) services.set(file, []);
    services.get(file).push([type, encodeResource(db, resource)]);
    index.push([type, file]);
  }

  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    if (name === 'index.json' || /^[A-Za-z0-9]+_[A-Za-z0-9]+\.json$/.test(name)) rmSync(join(dir, name));
  }
  let bytes = 0;
  const write = (name, data) => {
    const text = JSON.stringify(data);
    writeFileSync(join(dir, name), text);
    bytes += Buffer.byteLength(text);
  };
  for (const [file, entries] of services) write(`${file}.json`, sortedObject(entries));
  write('index.json', { f: SPEC_FORMAT, v: version, n: index.length, t: sortedObject(index) });

  return {
    outDir: dir,
    version,
    resourceTypes: index.length,
    files: services.size + 1,
    bytes,
    loadMs: Math.round(loadedMs),
    totalMs: Math.round(performance.now() - started),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2];
  if (!outDir) {
    process.stderr.write('usage: node scripts/extract-spec.mjs <outDir>\n');
    process.exit(2);
  }
  const r = await extractSpec(outDir);
  const largest = readdirSync(r.outDir)
    .map((n) => [n, statSync(join(r.outDir, n)).size])
    .sort((a, b) => b[1] - a[1])[0];
  process.stderr.write(
    `spec ${r.version}: ${r.resourceTypes} resource types in ${r.files} files, ` +
      `${(r.bytes / 1024 / 1024).toFixed(2)} MB (largest ${largest?.[0]} ${Math.round((largest?.[1] ?? 0) / 1024)} KB), ` +
      `${r.totalMs} ms (database load ${r.loadMs} ms) -> ${r.outDir}\n`,
  );
}
