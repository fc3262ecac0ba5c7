import { resolve } from 'node:path';
import { writeFileAtomic } from '../../actions/files.js';
import { resolveTarget } from '../../actions/project.js';
import { renderPattern } from '../../actions/render.js';
import { toYaml } from '../../core/yaml-emit.js';
import type { Json } from '../../core/types.js';
import type { CommandContext } from '../context.js';

interface RenderOptions {
  dir: string;
  set: string[];
  format: 'yaml' | 'json';
  out?: string;
}

export default async function renderCommand(ctx: CommandContext, [pattern]: unknown[], opts: Record<string, unknown>): Promise<number> {
  const o = opts as unknown as RenderOptions;
  const target = resolveTarget({ pattern: pattern as string | undefined, dir: resolve(ctx.io.cwd, o.dir), sets: o.set });
  const { template } = renderPattern(target);
  // --json is the global "data as JSON" switch; for a template it means --format json.
  const format = ctx.global.json ? 'json' : o.format;
  const text = format === 'json' ? JSON.stringify(template, null, 2) + '\n' : toYaml(template as unknown as Json);
  if (o.out) {
    const file = resolve(ctx.io.cwd, o.out);
    writeFileAtomic(file, text);
    ctx.io.stderr.write(`wrote ${o.out}: ${target.pattern}, ${Object.keys(template.Resources).length} resources, ${format}\nnext: archctl validate${pattern ? ` ${target.pattern}` : ''}\n`);
  } else {
    ctx.io.stdout.write(text);
  }
  return 0;
}
