// The live progress on stderr without a terminal: plain lines, one per event,
// with a slow resource's note once.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { colors, StackProgress } from '../../src/cli/stack-reporter.js';
import type { CommandContext } from '../../src/cli/context.js';

describe('StackProgress without a terminal', () => {
  it('prints the label, one line per event, and the CloudFront note once', async () => {
    const stderr = new PassThrough();
    let text = '';
    stderr.on('data', (d: Buffer) => (text += d.toString()));
    const ctx: CommandContext = { global: { json: false, color: false, yes: true, verbose: false }, io: { stdout: new PassThrough(), stderr, interactive: false, env: {}, cwd: '.' } };
    const p = new StackProgress(ctx, await colors(ctx));
    await p.start('deploying site-dev in us-east-1');
    const e = { eventId: '1', timestamp: Date.now(), logicalId: 'Cdn', resourceType: 'AWS::CloudFront::Distribution', status: 'CREATE_IN_PROGRESS' };
    p.event(e);
    p.event({ ...e, eventId: '2', status: 'CREATE_IN_PROGRESS', reason: 'Resource creation Initiated' });
    p.event({ ...e, eventId: '3', status: 'CREATE_FAILED', reason: 'Invalid certificate' });
    p.stop();
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('deploying site-dev in us-east-1...');
    expect(lines[1]).toMatch(/^0:0\d {2}CREATE_IN_PROGRESS +Cdn AWS::CloudFront::Distribution$/);
    expect(lines.filter((l) => l.includes('5 to 15 minutes'))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/CREATE_FAILED +Cdn AWS::CloudFront::Distribution Invalid certificate$/);
    expect(text).not.toContain('\u001b[');
  });
});
