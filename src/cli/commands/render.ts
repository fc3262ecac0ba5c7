import { resolve } from 'node:path';
import { writeFileAtomic } from '../../actions/files.js';
import { resolveTarget } from '../../actions/project.js';
import { renderPattern } from '../../actions/render.js';
import { toYaml } from '../../core/yaml-emit.js';
import type { Json } from '../../core/types.js';
import type { CommandContext } from '../context.js';

/** CloudFormation's limit for a template passed inline (--template-body); larger ones go through S3. */
const INLINE_LIMIT = 51_200;
const bytes = (text: string) => Buffer.byteLength(text);
const tooBigForInline = (size: number) =>
  `note: ${size} bytes is over CloudFormation's ${INLINE_LIMIT}-byte limit for an inline template: upload it to S3 and pass --template-url (aws cloudformation deploy --s3-bucket does that)\n`;

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
  if (o.out !== undefined) {
    const file = resolve(ctx.io.cwd, o.out);
    writeFileAtomic(file, text);
    ctx.io.stderr.write(`wrote ${o.out}: ${target.pattern}, ${Object.keys(template.Resources).length} resources, ${format}, ${bytes(text)} bytes\n`);
    if (bytes(text) > INLINE_LIMIT) ctx.io.stderr.write(tooBigForInline(bytes(text)));
    ctx.io.stderr.write(`next: archctl validate${pattern ? ` ${target.pattern}` : o.dir === '.' ? '' : ` --dir ${o.dir}`}\n`);
  } else {
    ctx.io.stdout.write(text);
    // Only a terminal user reads stderr notes next to the template; a pipe gets the template alone.
    if (bytes(text) > INLINE_LIMIT && (ctx.io.stderr as NodeJS.WriteStream).isTTY) ctx.io.stderr.write(tooBigForInline(bytes(text)));
  }
  return 0;
}
