import { basename, relative, resolve } from 'node:path';
import { initProject } from '../../actions/init.js';
import { usageError } from '../../core/errors.js';
import { parseSets } from '../../core/params.js';
import { getPattern, patterns } from '../../core/patterns/index.js';
import { DEFAULT_REGION, NAME_PATTERN, REGION_PATTERN } from '../../core/project.js';
import type { CommandContext } from '../context.js';
import { askOrFail } from '../prompt.js';

interface InitOptions {
  name?: string;
  region?: string;
  set: string[];
  force?: boolean;
}

/** A folder name made into a valid project name ("My App" -> "my-app"). */
function nameFromDir(dir: string, fallback: string): string {
  const slug = basename(dir).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 64);
  return slug || fallback;
}

export default async function initCommand(ctx: CommandContext, [patternArg, dirArg]: unknown[], opts: Record<string, unknown>): Promise<number> {
  const o = opts as unknown as InitOptions;
  const patternName =
    (patternArg as string | undefined) ??
    (await askOrFail(ctx, {
      message: 'Which architecture?',
      flag: 'a pattern (archctl init <pattern> [dir])',
      choices: patterns.map((p) => ({ value: p.name, name: p.name, description: p.description })),
    }));
  const pattern = getPattern(patternName);
  const dir = resolve(ctx.io.cwd, (dirArg as string | undefined) ?? '.');
  const name = o.name ?? nameFromDir(dir, pattern.name);
  if (!new RegExp(NAME_PATTERN).test(name)) throw usageError(`invalid --name ${JSON.stringify(name)}`, 'use a letter then up to 63 letters, digits or hyphens');
  const region =
    o.region ??
    ctx.io.env.AWS_REGION ??
    ctx.io.env.AWS_DEFAULT_REGION ??
    (await askOrFail(ctx, {
      message: 'AWS region?',
      flag: '--region',
      default: ctx.global.yes ? DEFAULT_REGION : undefined,
      validate: (v) => new RegExp(REGION_PATTERN).test(v) || 'an AWS region code such as eu-west-1',
    }));
  if (!new RegExp(REGION_PATTERN).test(region)) throw usageError(`invalid region ${JSON.stringify(region)}`, 'pass --region with an AWS region code such as eu-west-1');
  const parameters = parseSets(pattern.params, o.set, pattern.name);
  const { file, config } = initProject({ dir, pattern: pattern.name, name, region, parameters, force: Boolean(o.force) });
  if (ctx.global.json) ctx.io.stdout.write(JSON.stringify(config, null, 2) + '\n');
  const where = relative(ctx.io.cwd, dir);
  ctx.io.stderr.write(`created ${relative(ctx.io.cwd, file) || file}: ${config.pattern} "${config.name}" in ${config.region}\nnext: ${where ? `cd ${where} && ` : ''}archctl validate\n`);
  return 0;
}
