import { describeAllowed } from '../../core/params.js';
import { patterns } from '../../core/patterns/index.js';
import type { CommandContext } from '../context.js';

export default async function patternsCommand(ctx: CommandContext): Promise<number> {
  const { stdout } = ctx.io;
  if (ctx.global.json) {
    const data = patterns.map((p) => ({
      name: p.name,
      description: p.description,
      parameters: p.params.map((s) => ({ name: s.name, type: s.type, allowed: describeAllowed(s), default: s.default, description: s.description })),
    }));
    stdout.write(JSON.stringify(data, null, 2) + '\n');
    return 0;
  }
  for (const p of patterns) {
    stdout.write(`${p.name}  ${p.description}\n`);
    const width = Math.max(...p.params.map((s) => s.name.length));
    for (const s of p.params) {
      stdout.write(`  ${s.name.padEnd(width)}  ${s.description}\n  ${' '.repeat(width)}  allowed: ${describeAllowed(s)}; default: ${String(s.default)}\n`);
    }
    stdout.write('\n');
  }
  ctx.io.stderr.write('next: archctl init <pattern> <dir>, or archctl render <pattern> --set key=value\n');
  return 0;
}
