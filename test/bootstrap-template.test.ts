// The bootstrap stack's template (templates/bootstrap/bootstrap.yaml), compiled
// with the build's own YAML schema: the contract deploy relies on, the
// CloudFormation spec, archctl's rule pack and cdk-nag's AwsSolutions pack.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_VERSION } from '../src/actions/bootstrap.js';
import { loadSpecFor } from '../src/actions/load-spec.js';
import { evaluateRules, summarize } from '../src/core/evaluate.js';
import { rules } from '../src/core/rules/index.js';
import { checkSpec } from '../src/core/spec/check.js';
import type { CfnTemplate, JsonObject } from '../src/core/types.js';
import { runCdkNag } from './support/cdk-nag.js';

type CfnYamlModule = { parseCfnYaml(text: string, fileName?: string, baseDir?: string): JsonObject };
const { parseCfnYaml } = (await import(new URL('../scripts/cfn-yaml.mjs', import.meta.url).href)) as CfnYamlModule;

/** A fresh copy each time: some tests break it on purpose. */
function compiled(): CfnTemplate {
  const file = new URL('../templates/bootstrap/bootstrap.yaml', import.meta.url);
  return parseCfnYaml(readFileSync(file, 'utf8'), file.pathname, new URL('..', import.meta.url).pathname) as unknown as CfnTemplate;
}

describe('the bootstrap template', () => {
  it('has the outputs and version deploy relies on, and a bucket CloudFormation names', () => {
    const t = compiled();
    expect(Object.keys(t.Outputs ?? {}).sort()).toEqual(['ArtifactBucketName', 'BootstrapVersion']);
    expect(t.Outputs?.ArtifactBucketName?.Value).toEqual({ Ref: 'ArtifactBucket' });
    expect(t.Outputs?.BootstrapVersion?.Value).toBe(String(BOOTSTRAP_VERSION));
    expect(t.Metadata).toEqual({ archctl: { bootstrapVersion: BOOTSTRAP_VERSION } });
    expect(t.Description).toContain(`(version ${BOOTSTRAP_VERSION})`);
    const bucket = t.Resources.ArtifactBucket!;
    expect(bucket.Properties?.BucketName).toBeUndefined();
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
    expect(bucket.DeletionPolicy).toBe('RetainExceptOnCreate');
    // CloudFormation's inline limit: createChangeSet sends the body, not a URL.
    expect(JSON.stringify(t).length).toBeLessThan(51_200);
  });

  it('expires artifacts after ArtifactRetentionDays (default 90) and abandoned uploads after a day', () => {
    const t = compiled();
    expect(t.Parameters?.ArtifactRetentionDays).toMatchObject({ Type: 'Number', Default: 90, MinValue: 1 });
    const lifecycle = t.Resources.ArtifactBucket!.Properties?.LifecycleConfiguration as { Rules: JsonObject[] };
    expect(lifecycle.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Status: 'Enabled', ExpirationInDays: { Ref: 'ArtifactRetentionDays' }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
        expect.objectContaining({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
        expect.objectContaining({ Status: 'Enabled', ExpiredObjectDeleteMarker: true }),
      ]),
    );
  });

  it('passes the CloudFormation spec and the rule pack, with the access-log suppression as the only one', async () => {
    const t = compiled();
    const findings = [...checkSpec(t, await loadSpecFor(t)), ...evaluateRules(t, rules)];
    expect(findings.filter((f) => !f.suppressed)).toEqual([]);
    expect(summarize(findings)).toEqual({ errors: 0, warnings: 0, suppressed: 1 });
    expect(findings[0]).toMatchObject({ ruleId: 's3-access-logs', logicalId: 'ArtifactBucket', suppressed: { reason: expect.stringContaining('CloudTrail') } });
  });

  it('fails the rule pack once its TLS-only policy is gone (the check is not vacuous)', () => {
    const t = compiled();
    delete t.Resources.ArtifactBucketPolicy;
    const unsuppressed = evaluateRules(t, rules).filter((f) => !f.suppressed);
    expect(unsuppressed.map((f) => `${f.logicalId} ${f.ruleId}`)).toEqual(['ArtifactBucket s3-ssl-only']);
  });

  it('passes cdk-nag AwsSolutions with no unsuppressed error or warning', async () => {
    const { errors, warnings } = await runCdkNag(compiled());
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  }, 120_000);
});
