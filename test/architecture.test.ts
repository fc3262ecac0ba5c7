import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function files(dir: string): string[] {
  const abs = join(root, dir);
  try {
    statSync(abs);
  } catch {
    return [];
  }
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|mts|js|cjs|mjs)$/.test(f))
    .map((f) => join(abs, f));
}

/** Run-time imports only: `import type` is erased and allowed everywhere. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*import\s+(?!type\b)[^'"]*?from\s+['"]([^'"]+)['"]/gm)) found.push(m[1]!);
  for (const m of text.matchAll(/(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

const UI = ['commander', 'chalk', 'ora', '@inquirer/prompts', 'inquirer'];

describe('import direction (DESIGN.md): bin -> cli -> actions -> {core, aws, local}', () => {
  it('core is pure: no I/O, no SDK, no UI, no clock, nothing from the outer layers', () => {
    for (const file of files('src/core')) {
      const rel = relative(root, file);
      for (const spec of imports(file)) {
        expect(spec.startsWith('node:') || spec.startsWith('@aws-sdk/') || UI.includes(spec), `${rel} imports ${spec}`).toBe(false);
        expect(/\.\.\/(cli|actions|aws|local)\//.test(spec), `${rel} imports ${spec}`).toBe(false);
      }
      const text = readFileSync(file, 'utf8');
      expect(/\bprocess\.|Date\.now\(|new Date\(|Math\.random\(/.test(text), `${rel} touches process, the clock or randomness`).toBe(false);
    }
  });

  it('only cli imports UI libraries or touches argv, stdout, stdin and exit', () => {
    for (const dir of ['src/core', 'src/actions', 'src/aws', 'src/local']) {
      for (const file of files(dir)) {
        const rel = relative(root, file);
        for (const spec of imports(file)) expect(UI.includes(spec), `${rel} imports ${spec}`).toBe(false);
        expect(/process\.(argv|stdout|stdin|stderr|exit)/.test(readFileSync(file, 'utf8')), `${rel} touches the terminal`).toBe(false);
        for (const spec of imports(file)) expect(/\/cli\//.test(spec), `${rel} imports ${spec}`).toBe(false);
      }
    }
  });

  it('handlers import nothing from src', () => {
    expect(files('handlers').length).toBeGreaterThan(0);
    for (const file of files('handlers')) {
      for (const spec of imports(file)) expect(spec.includes('/src/'), `${relative(root, file)} imports ${spec}`).toBe(false);
    }
  });

  it('only src/aws builds SDK clients or imports the SDK at run time (DESIGN.md)', () => {
    for (const dir of ['src/core', 'src/actions', 'src/cli', 'src/local']) {
      for (const file of files(dir)) {
        for (const spec of imports(file)) expect(spec.startsWith('@aws-sdk/'), `${relative(root, file)} imports ${spec}`).toBe(false);
        const code = readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
          .join('\n');
        expect(/new [A-Za-z]+Client\(/.test(code), `${relative(root, file)} builds an SDK client`).toBe(false);
      }
    }
    // The handlers run on Lambda with their own SDK: they are not part of the CLI.
    expect(files('src/aws').length).toBeGreaterThan(0);
  });

  it('every command module is loaded lazily by main', () => {
    const main = readFileSync(join(root, 'src/cli/main.ts'), 'utf8');
    for (const spec of imports(join(root, 'src/cli/main.ts'))) {
      expect(spec.includes('/commands/') && !main.includes(`import('${spec}')`), `main imports ${spec} eagerly`).toBe(false);
    }
  });
});
