// CloudFormation's YAML short forms (!Ref, !GetAtt, !Sub...) as a proper YAML
// schema, plus archctl's own !Param. Used at build time only: templates are
// compiled to JSON so rendering never loads a YAML parser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const FUNCTIONS = ['Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'If', 'Equals', 'Not', 'And', 'Or', 'Length', 'ToJsonString', 'Transform', 'GetAtt'];

function toJS(value) {
  return value && typeof value === 'object' && 'toJSON' in value ? value.toJSON() : value;
}

function tag(name, build) {
  return ['scalar', 'seq', 'map'].map((kind) => ({
    tag: `!${name}`,
    ...(kind === 'scalar' ? {} : { collection: kind }),
    resolve: (value) => build(toJS(value), kind),
  }));
}

function buildTags(baseDir) {
  return [
  ...tag('Ref', (v) => ({ Ref: v })),
  ...tag('Condition', (v) => ({ Condition: v })),
  ...tag('Param', (v) => ({ 'archctl::Param': v })),
  ...FUNCTIONS.flatMap((fn) =>
    tag(fn, (v, kind) => {
      // !GetAtt Resource.Attribute is the short form of [Resource, Attribute]; attributes may hold dots.
      if (fn === 'GetAtt' && kind === 'scalar') {
        const dot = String(v).indexOf('.');
        return { 'Fn::GetAtt': [String(v).slice(0, dot), String(v).slice(dot + 1)] };
      }
      return { [`Fn::${fn}`]: v };
    }),
  ),
  // !File path: the file's text, read at build time (inline Lambda code kept as a real source file).
  { tag: '!File', resolve: (path) => readFileSync(join(baseDir, path), 'utf8') },
  ];
}

/**
 * Parses CloudFormation YAML (short-form tags included) into plain
 * JSON-compatible data; `!File` paths are relative to `baseDir`.
 */
export function parseCfnYaml(text, fileName = 'template', baseDir = process.cwd()) {
  const tags = buildTags(baseDir);
  // merge: YAML merge keys (<<: *anchor) let a fragment reuse a mapping within the file.
  const result = parse(text, { customTags: tags, prettyErrors: true, uniqueKeys: true, maxAliasCount: 1000, merge: true });
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    throw new Error(`${fileName}: a template fragment must be a YAML mapping`);
  }
  return JSON.parse(JSON.stringify(result));
}
