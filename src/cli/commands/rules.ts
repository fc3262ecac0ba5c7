import { rules } from '../../core/rules/index.js';
import type { CommandContext } from '../context.js';

/** The security rules validate applies: the ids to use in suppressions, and what each asks for. */
export default async function rulesCommand(ctx: CommandContext): Promise<number> {
  const list = rules.map((r) => ({ id: r.id, level: r.level, resourceTypes: [...r.resourceTypes], explanation: r.explanation, fix: r.fix }));
  if (ctx.global.json) {
    ctx.io.stdout.write(JSON.stringify(list, null, 2) + '\n');
    return 0;
  }
  for (const r of list) {
    ctx.io.stdout.write(`${r.id} [${r.level}] ${r.resourceTypes.join(', ')}\n  ${r.explanation}\n  fix: ${r.fix}\n`);
  }
  ctx.io.stderr.write(`${list.length} rules; suppress one on a resource with Metadata.archctl.rules_to_suppress: [{ id, reason }]\n`);
  return 0;
}
