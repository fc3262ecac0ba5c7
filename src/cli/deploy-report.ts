import { formatChanges, type Paint } from '../core/change-set.js';
import type { DeployEvent, DeployResult } from '../actions/deploy.js';
import type { CommandContext } from './context.js';
import type { Colors, StackProgress } from './stack-reporter.js';

export const paintOf = (c: Colors): Paint => ({ add: c.green, modify: c.yellow, remove: c.red, warn: (s) => c.bold(c.red(s)), dim: c.dim });

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/**
 * Turns deploy's events into lines on stderr (progress is for the person;
 * stdout carries only the outputs). `diffTo` says where the change list goes:
 * stderr for deploy, stdout for diff (there it is the data).
 */
export function deployReporter(ctx: CommandContext, c: Colors, progress: StackProgress, diffTo: 'stderr' | 'stdout' | 'none') {
  const err = (line: string) => progress.line(line);
  return (e: DeployEvent): void => {
    switch (e.type) {
      case 'validated':
        err(`${c.green('✔')} validated: ${e.errors} errors, ${e.warnings} warnings, ${e.suppressed} suppressed`);
        break;
      case 'package':
        if (e.event.type === 'warning') err(`${c.yellow('warning:')} ${e.event.logicalId}: ${e.event.message}`);
        else if (e.event.type === 'bundled' && ctx.global.verbose) err(`  bundled ${e.event.fn.logicalId} (${kb(e.event.fn.zipBytes)} zip)`);
        break;
      case 'stack-found':
        err(`stack: ${e.status ?? 'none yet (it will be created)'}`);
        break;
      case 'asset':
        if (e.state === 'uploaded') err(`  uploaded ${e.name} (${kb(e.bytes)}) to ${e.key}`);
        else if (e.state === 'refreshed') err(`  uploaded ${e.name} again (${kb(e.bytes)}): the copy in the bucket was near its expiry`);
        else if (ctx.global.verbose) err(`  ${e.name} already uploaded (${e.key})`);
        break;
      case 'changes': {
        const lines = formatChanges(e.changes, e.widening, paintOf(c), { newStack: e.newStack });
        if (diffTo === 'stdout') ctx.io.stdout.write(lines.join('\n') + '\n');
        else if (diffTo === 'stderr') for (const l of lines) err(l);
        if (e.refused.length > 0) err(c.red(`refusing: ${e.refused.map((r) => r.logicalId).join(', ')} would be replaced and lose ${e.refused.length === 1 ? 'its' : 'their'} data (--allow-replace to allow)`));
        break;
      }
      case 'operation':
        err(
          e.what === 'execute'
            ? `deploying ${e.stackName}...`
            : e.what === 'delete-failed-stack'
              ? `deleting the failed stack ${e.stackName}...`
              : `continuing the rollback of ${e.stackName}...`,
        );
        break;
      case 'stack-event':
        progress.event(e.event);
        break;
      case 'hotswap':
        err(e.state === 'updating' ? `  hotswapping ${e.logicalId} (${e.functionName})...` : `${c.green('✔')} ${e.logicalId}: new code live`);
        break;
      case 'note':
        err(c.cyan(e.message));
        break;
    }
  };
}

/** Outputs as aligned "Key  Value" lines. */
export function outputLines(outputs: Record<string, string>): string {
  const keys = Object.keys(outputs).sort();
  const width = Math.max(0, ...keys.map((k) => k.length));
  return keys.map((k) => `${k.padEnd(width)}  ${outputs[k]}\n`).join('');
}

export function resultJson(r: DeployResult): string {
  return JSON.stringify(r, null, 2) + '\n';
}
