import type { StackEvent } from '../core/stack-events.js';
import { slowNote } from '../core/stack-events.js';
import type { CommandContext } from './context.js';

/** Colours for the terminal, or none (NO_COLOR, --no-color, not a TTY). */
export interface Colors {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export async function colors(ctx: CommandContext): Promise<Colors> {
  if (!ctx.global.color) {
    const id = (s: string) => s;
    return { red: id, green: id, yellow: id, cyan: id, dim: id, bold: id };
  }
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return { red: c.red, green: c.green, yellow: c.yellow, cyan: c.cyan, dim: c.dim, bold: c.bold };
}

const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/**
 * Live progress of a stack operation on stderr: a spinner with the elapsed
 * time (on a terminal; plain lines otherwise), one line per resource event,
 * and a note the first time a slow resource (CloudFront, DAX...) starts.
 */
export class StackProgress {
  private spinner: { text: string; stop(): void; start(): void; clear(): void; render(): void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();
  private readonly noted = new Set<string>();
  private label = '';

  constructor(
    private readonly ctx: CommandContext,
    private readonly c: Colors,
  ) {}

  async start(label: string): Promise<void> {
    this.stop();
    this.label = label;
    const tty = Boolean((this.ctx.io.stderr as NodeJS.WriteStream).isTTY);
    if (!tty) {
      this.ctx.io.stderr.write(`${label}...\n`);
      return;
    }
    const { default: ora } = await import('ora');
    this.spinner = ora({ text: label, stream: this.ctx.io.stderr as NodeJS.WriteStream, color: 'cyan', isEnabled: true }).start() as unknown as StackProgress['spinner'];
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  private tick(): void {
    if (this.spinner) this.spinner.text = `${this.label} ${this.c.dim(clock(Date.now() - this.started))}`;
  }

  /** A line above the spinner. */
  line(text: string): void {
    if (this.spinner) {
      this.spinner.clear();
      this.ctx.io.stderr.write(`${text}\n`);
      this.spinner.render();
    } else {
      this.ctx.io.stderr.write(`${text}\n`);
    }
  }

  event(e: StackEvent): void {
    const status = e.status.endsWith('_FAILED')
      ? this.c.red(e.status)
      : e.status.endsWith('_COMPLETE')
        ? e.status.includes('ROLLBACK') || e.status.startsWith('DELETE')
          ? this.c.yellow(e.status)
          : this.c.green(e.status)
        : e.status;
    const reason = e.reason && e.status.endsWith('_FAILED') ? ` ${this.c.red(e.reason)}` : '';
    this.line(`${this.c.dim(clock(Date.now() - this.started))}  ${status.padEnd(20)} ${e.logicalId} ${this.c.dim(e.resourceType)}${reason}`);
    const note = slowNote(e);
    if (note && !this.noted.has(e.logicalId)) {
      this.noted.add(e.logicalId);
      this.line(this.c.cyan(`   ${e.logicalId}: ${note}`));
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.spinner?.stop();
    this.spinner = undefined;
  }

  get elapsedMs(): number {
    return Date.now() - this.started;
  }
}
