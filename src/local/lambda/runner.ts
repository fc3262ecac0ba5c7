// The local Lambda service: each function runs in node:worker_threads
// Workers ("containers"), one invocation at a time per worker, kept warm and
// reused; a crash, OOM or timeout throws the container away and the next
// invocation starts a cold one, as Lambda does.
import { randomUUID } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WORKER_SOURCE } from './worker-source.js';

/** One function, resolved from the template (see functionConfigFromTemplate). */
export interface LambdaFunctionConfig {
  /** The ESM file (a bundle) that exports the handler. */
  modulePath: string;
  /** The template's `Handler`, e.g. `index.handler`: the part after the last dot is the export name. */
  handler: string;
  /** Resolved `Environment.Variables`. */
  environment?: Record<string, string>;
  /** `Timeout` in seconds (Lambda's default: 3). */
  timeoutSeconds?: number;
  /** `MemorySize` in MB (Lambda's default: 128); the worker's old-generation heap limit. */
  memorySizeMb?: number;
  /** The physical function name (AWS_LAMBDA_FUNCTION_NAME); defaults to the logical id. */
  functionName?: string;
}

export type InvokeResult =
  | { ok: true; /** the handler's return value, after a JSON round trip (null for undefined) */ value: unknown; durationMs: number; coldStart: boolean }
  | {
      ok: false;
      /** Handled: the handler threw or rejected. Crash: the container died. Timeout: Task timed out. */
      kind: 'Handled' | 'Crash' | 'Timeout';
      errorType: string;
      errorMessage: string;
      stack?: string;
      durationMs: number;
      coldStart: boolean;
    };

export interface LambdaRunnerOptions {
  /** Variables every function gets under its own (credentials, region, SDK endpoints of the local cloud). */
  baseEnvironment?: Record<string, string>;
  region?: string;
  accountId?: string;
  /** Where the runner reports failures for the developer; defaults to console.error. */
  log?: (line: string) => void;
}

interface Pending {
  resolve: (r: InvokeResult) => void;
  started: number;
  timer: NodeJS.Timeout;
  coldStart: boolean;
}

interface Container {
  worker: Worker;
  busy: boolean;
  dead: boolean;
  pending?: Pending;
}

const DEFAULT_TIMEOUT_S = 3;
const DEFAULT_MEMORY_MB = 128;

export class LambdaRunner {
  private readonly functions: Map<string, LambdaFunctionConfig>;
  private readonly containers = new Map<string, Set<Container>>();
  private readonly counts = new Map<string, number>();
  private readonly log: (line: string) => void;
  private closed = false;
  private nextId = 0;

  constructor(
    functions: Record<string, LambdaFunctionConfig>,
    private readonly options: LambdaRunnerOptions = {},
  ) {
    this.functions = new Map(Object.entries(functions));
    this.log = options.log ?? ((line) => console.error(line));
  }

  has(name: string): boolean {
    return this.functions.has(name);
  }

  /** How many times a function was invoked (tests, benchmarks). */
  invocations(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  /** Invokes a function with an event (RequestResponse); never throws for the function's own failures. */
  async invoke(name: string, event: unknown): Promise<InvokeResult> {
    const config = this.functions.get(name);
    if (!config) throw new Error(`no local Lambda function ${name}`);
    if (this.closed) throw new Error('the local Lambda runner is closed');
    this.counts.set(name, this.invocations(name) + 1);
    const requestId = randomUUID();
    let container = [...(this.containers.get(name) ?? [])].find((c) => !c.busy && !c.dead);
    const coldStart = container === undefined;
    container ??= this.spawn(name, config);
    container.busy = true;
    const timeoutMs = Math.max(1, (config.timeoutSeconds ?? DEFAULT_TIMEOUT_S) * 1000);
    const id = ++this.nextId;
    const result = await new Promise<InvokeResult>((resolvePromise) => {
      const started = Date.now();
      const c = container;
      const timer = setTimeout(() => {
        this.retire(name, c);
        this.settle(c, {
          ok: false,
          kind: 'Timeout',
          errorType: 'Sandbox.Timedout',
          errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
          durationMs: Date.now() - started,
          coldStart,
        });
      }, timeoutMs);
      c.pending = { resolve: resolvePromise, started, timer, coldStart };
      try {
        c.worker.postMessage({ id, requestId, event: JSON.stringify(event ?? null) });
      } catch (err) {
        this.retire(name, c);
        this.settle(c, { ok: false, kind: 'Crash', errorType: 'Runtime.InvalidEvent', errorMessage: String(err), durationMs: 0, coldStart });
      }
    });
    if (!result.ok) {
      this.log(`[lambda ${name}] ${requestId} ${result.kind}: ${result.errorType}: ${result.errorMessage}${result.stack ? `\n${result.stack}` : ''}`);
    }
    return result;
  }

  /** Terminates every container. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.containers.values()].flatMap((set) => [...set]);
    this.containers.clear();
    await Promise.all(
      all.map(async (c) => {
        c.dead = true;
        this.settle(c, { ok: false, kind: 'Crash', errorType: 'Runtime.Shutdown', errorMessage: 'the local cloud is shutting down', durationMs: 0, coldStart: false });
        await c.worker.terminate();
      }),
    );
  }

  private spawn(name: string, config: LambdaFunctionConfig): Container {
    const functionName = config.functionName ?? name;
    const region = this.options.region ?? this.options.baseEnvironment?.AWS_REGION ?? 'us-east-1';
    const memorySize = config.memorySizeMb ?? DEFAULT_MEMORY_MB;
    const timeoutMs = (config.timeoutSeconds ?? DEFAULT_TIMEOUT_S) * 1000;
    const handler = config.handler;
    const exportName = handler.includes('.') ? handler.slice(handler.lastIndexOf('.') + 1) : handler;
    const modulePath = isAbsolute(config.modulePath) ? config.modulePath : resolve(config.modulePath);
    // Only what Lambda would give the function: never this process's environment.
    const env: Record<string, string> = {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs_local',
      AWS_LAMBDA_FUNCTION_NAME: functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
      LAMBDA_TASK_ROOT: modulePath.slice(0, Math.max(0, modulePath.lastIndexOf('/'))),
      _HANDLER: handler,
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      PATH: '/usr/local/bin:/usr/bin:/bin',
      ...this.options.baseEnvironment,
      ...config.environment,
    };
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      env,
      workerData: {
        moduleUrl: pathToFileURL(modulePath).href,
        exportName,
        handler,
        functionName,
        functionArn: `arn:aws:lambda:${region}:${this.options.accountId ?? '000000000000'}:function:${functionName}`,
        memorySize,
        timeoutMs,
      },
      resourceLimits: { maxOldGenerationSizeMb: memorySize },
    });
    const container: Container = { worker, busy: false, dead: false };
    let set = this.containers.get(name);
    if (!set) this.containers.set(name, (set = new Set()));
    set.add(container);

    worker.on('message', (msg: { ok: boolean; result?: string; error?: { errorType: string; errorMessage: string; stack?: string } }) => {
      const pending = container.pending;
      if (!pending) return;
      const durationMs = Date.now() - pending.started;
      if (msg.ok) {
        this.settle(container, { ok: true, value: JSON.parse(msg.result ?? 'null'), durationMs, coldStart: pending.coldStart });
      } else {
        const e = msg.error ?? { errorType: 'Error', errorMessage: 'unknown error' };
        this.settle(container, { ok: false, kind: 'Handled', ...e, durationMs, coldStart: pending.coldStart });
      }
    });
    const died = (errorType: string, errorMessage: string, stack?: string) => {
      const killedByUs = container.dead;
      this.retire(name, container);
      const pending = container.pending;
      if (!pending) {
        if (!killedByUs && !this.closed) this.log(`[lambda ${name}] container died between invocations: ${errorType}: ${errorMessage}`);
        return;
      }
      this.settle(container, {
        ok: false,
        kind: 'Crash',
        errorType,
        errorMessage,
        ...(stack ? { stack } : {}),
        durationMs: Date.now() - pending.started,
        coldStart: pending.coldStart,
      });
    };
    worker.on('error', (err: Error) => died(`Runtime.${(err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'OutOfMemory' : 'UncaughtException'}`, err.message, err.stack));
    worker.on('exit', (code) => died('Runtime.ExitError', `the function's process exited with code ${code}`));
    return container;
  }

  private settle(container: Container, result: InvokeResult): void {
    const pending = container.pending;
    if (!pending) return;
    container.pending = undefined;
    clearTimeout(pending.timer);
    container.busy = false;
    pending.resolve(result);
  }

  private retire(name: string, container: Container): void {
    if (container.dead) return;
    container.dead = true;
    this.containers.get(name)?.delete(container);
    void container.worker.terminate();
  }
}
