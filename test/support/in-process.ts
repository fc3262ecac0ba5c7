import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface InProcessResult {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs the CLI in this process, so the SDK clients it builds are the ones
 * aws-sdk-client-mock has mocked. Waits are instant; no terminal unless
 * `interactive` (then mock @inquirer/prompts in the test file).
 */
export async function runInProcess(
  args: string[],
  opts: { interactive?: boolean; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<InProcessResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main(args, {
    stdout,
    stderr,
    interactive: opts.interactive ?? false,
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    sleep: async () => {},
  });
  return { code, out, err };
}
