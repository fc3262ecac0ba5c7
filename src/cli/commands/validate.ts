import { resolve } from 'node:path';
import { resolveTarget } from '../../actions/project.js';
import { validatePattern } from '../../actions/validate.js';
import type { Finding } from '../../core/types.js';
import type { CommandContext } from '../context.js';

interface ValidateOptions {
  dir: string;
  set: string[];
  showSuppressed?: boolean;
}

export default async function validateCommand(ctx: CommandContext, [pattern]: unknown[], opts: Record<string, unknown>): Promise<number> {
  const o = opts as unknown as ValidateOptions;
  const target = resolveTarget({ pattern: pattern as string | undefined, dir: resolve(ctx.io.cwd, o.dir), sets: o.set });
  const report = await validatePattern(target);
  const failed = report.summary.errors > 0;
  if (ctx.global.json) {
    ctx.io.stdout.write(JSON.stringify(report.findings, null, 2) + '\n');
    return failed ? 1 : 0;
  }
  const { default: chalk, Chalk } = await import('chalk');
  const c = ctx.global.color ? chalk : new Chalk({ level: 0 });
  const line = (f: Finding) => {
    const level = f.suppressed ? c.dim('suppressed') : f.level === 'error' ? c.red('error') : c.yellow('warning');
    const where = f.path ? ` at ${f.path}` : '';
    const tail = f.suppressed ? `\n    reason: ${f.suppressed.reason}` : `\n    fix: ${f.fix}`;
    return `${f.logicalId} (${f.type}) ${f.ruleId}: ${f.message}${where} [${level}]${tail}\n`;
  };
  for (const f of report.findings) {
    if (!f.suppressed || o.showSuppressed) ctx.io.stdout.write(line(f));
  }
  const { errors, warnings, suppressed } = report.summary;
  const counts = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${suppressed} suppressed${suppressed && !o.showSuppressed ? ' (--show-suppressed lists them)' : ''}`;
  const mark = failed ? c.red('✖') : c.green('✔');
  ctx.io.stderr.write(`${mark} ${report.pattern}: ${report.resources} resources checked against the CloudFormation spec and ${'security rules'}: ${counts}\n`);
  if (!failed) {
    const target = pattern ? [report.pattern] : o.dir === '.' ? [] : ['--dir', o.dir];
    ctx.io.stderr.write(`next: ${['archctl render', ...target, '--out template.yaml'].join(' ')}\n`);
  }
  return failed ? 1 : 0;
}
