// The validate command's output for a report with findings, in process: the
// shipped patterns have none, so the report is given through a mocked action.
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../src/core/types.js';

const findings: Finding[] = [
  { source: 'rules', ruleId: 's3-encryption', level: 'error', logicalId: 'Data', type: 'AWS::S3::Bucket', path: 'Properties.BucketEncryption', message: 'no default encryption', fix: 'set BucketEncryption' },
  { source: 'rules', ruleId: 'cloudfront-waf', level: 'warning', logicalId: 'Cdn', type: 'AWS::CloudFront::Distribution', message: 'no web ACL', fix: 'associate a WAF web ACL' },
  { source: 'rules', ruleId: 's3-access-logs', level: 'error', logicalId: 'Logs', type: 'AWS::S3::Bucket', message: 'no access logs', fix: 'log', suppressed: { reason: 'the log bucket itself' } },
];

vi.mock('../../src/actions/validate.js', () => ({
  validatePattern: async () => ({ pattern: 'todo', resources: 3, findings, summary: { errors: 1, warnings: 1, suppressed: 1 } }),
}));

const { main } = await import('../../src/cli/main.js');

async function run(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main(args, { stdout, stderr, interactive: false, env: {}, cwd: process.cwd() });
  return { code, out, err };
}

describe('archctl validate with findings', () => {
  it('prints each unsuppressed finding with its fix on stdout, the summary on stderr, and exits 1', async () => {
    const r = await run(['validate', 'todo']);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      'Data (AWS::S3::Bucket) s3-encryption: no default encryption at Properties.BucketEncryption [error]\n    fix: set BucketEncryption\n' +
        'Cdn (AWS::CloudFront::Distribution) cloudfront-waf: no web ACL [warning]\n    fix: associate a WAF web ACL\n',
    );
    expect(r.err).toMatch(/^✖ todo: 3 resources .*: 1 error, 1 warning, 1 suppressed/);
  });

  it('lists suppressed findings with their reason on request', async () => {
    const r = await run(['validate', 'todo', '--show-suppressed']);
    expect(r.out).toContain('Logs (AWS::S3::Bucket) s3-access-logs: no access logs [suppressed]\n    reason: the log bucket itself\n');
  });

  it('--json prints the whole list and still exits 1', async () => {
    const r = await run(['validate', 'todo', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual(findings);
  });
});
