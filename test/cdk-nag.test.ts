// cdk-nag's AwsSolutions pack over the todo pattern, for every fragment
// combination: no unsuppressed error (and no unsuppressed warning) is allowed.
// Fragments are read from templates/ (parsed with the build's own YAML schema),
// so this test checks the sources without a prior build.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveParams } from '../src/core/params.js';
import { getPattern } from '../src/core/patterns/index.js';
import { contentHash } from '../src/actions/content-hash.js';
import { render, type FragmentSource } from '../src/core/render.js';
import type { CfnTemplate, JsonObject } from '../src/core/types.js';
import { runCdkNag } from './support/cdk-nag.js';

type CfnYamlModule = { parseCfnYaml(text: string, fileName?: string, baseDir?: string): JsonObject };
// A plain .mjs build script without type declarations: import it by URL.
const { parseCfnYaml } = (await import(new URL('../scripts/cfn-yaml.mjs', import.meta.url).href)) as CfnYamlModule;

const loadFromSources: FragmentSource = (pattern, fragment) => {
  const file = new URL(`../templates/${pattern}/${fragment}.yaml`, import.meta.url);
  return parseCfnYaml(readFileSync(file, 'utf8'), file.pathname, new URL('..', import.meta.url).pathname);
};

function renderTodo(parameters: Record<string, unknown>): CfnTemplate {
  const pattern = getPattern('todo');
  return render(pattern, resolveParams(pattern.params, parameters, pattern.name), loadFromSources, contentHash);
}

const cases: [string, Record<string, unknown>][] = [
  ['defaults (cache=apigw)', {}],
  ['cache=none', { cache: 'none' }],
  ['cache=dax', { cache: 'dax' }],
  ['cache=both', { cache: 'both' }],
  ['billing=provisioned', { billing: 'provisioned' }],
  ['mfa=on', { mfa: 'on' }],
];

describe('cdk-nag AwsSolutions on the todo pattern', () => {
  it.each(cases)('%s: no unsuppressed findings', async (_name, parameters) => {
    const { errors, warnings } = await runCdkNag(renderTodo(parameters));
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  }, 120_000);

  it('reports unsuppressed findings and honours suppressions (the check is not vacuous)', async () => {
    const template = renderTodo({ cache: 'none' });
    // Without its logging configuration the data bucket is flagged, and the log
    // bucket (then no longer a log destination) is covered by its own suppression.
    delete template.Resources.UserFilesBucket?.Properties?.LoggingConfiguration;
    delete template.Resources.TodoStage?.Metadata;
    const { errors, warnings } = await runCdkNag(template);
    expect(errors).toEqual([expect.objectContaining({ ruleId: 'AwsSolutions-S1', resource: 'UserFilesBucket' })]);
    expect(warnings).toEqual([expect.objectContaining({ ruleId: 'AwsSolutions-APIG3', resource: 'TodoStage' })]);
  }, 120_000);
});

// The offload pattern: plain HTTP to the origin (default), HTTPS with a
// certificate and three NAT gateways, several cached paths on Graviton with a
// prefix list id given.
const OFFLOAD_CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab';
const offloadCases: [string, Record<string, unknown>][] = [
  ['defaults (HTTP origin, 1 NAT gateway)', {}],
  ['HTTPS origin, 3 NAT gateways, DNS record', { certificateArn: OFFLOAD_CERTIFICATE, originDomainName: 'origin.example.com', originHostedZoneId: 'Z0123456789ABCDEFGHIJ', natGateways: 3 }],
  ['3 paths, Graviton, prefix list id, deletion protection', { updatePaths: '/updates/*,/downloads/*,*.msi', instanceType: 'm7g.large', cloudFrontPrefixListId: 'pl-0123abcd4567ef890', deletionProtection: true }],
];

describe('cdk-nag AwsSolutions on the offload pattern', () => {
  it.each(offloadCases)('%s: no unsuppressed findings', async (_name, parameters) => {
    const pattern = getPattern('offload');
    const template = render(pattern, resolveParams(pattern.params, parameters, pattern.name), loadFromSources, contentHash);
    const { errors, warnings } = await runCdkNag(template);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  }, 120_000);
});
