/** What every command gets: the global flags and the terminal it talks to. */
export interface GlobalOptions {
  json: boolean;
  color: boolean;
  yes: boolean;
  verbose: boolean;
}

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** True when a person can answer a prompt. */
  interactive: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Waits between AWS polls and retries; tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
}

export interface CommandContext {
  global: GlobalOptions;
  io: Io;
}

/** Colour only on a terminal, never with NO_COLOR (https://no-color.org) or --no-color. */
export function colorEnabled(flag: boolean, env: NodeJS.ProcessEnv, stream: NodeJS.WritableStream): boolean {
  if (!flag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean((stream as NodeJS.WriteStream).isTTY) && env.TERM !== 'dumb';
}
