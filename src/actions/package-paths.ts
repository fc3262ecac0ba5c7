import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: this code sits two levels down (bundled into dist/js/,
 * or src/actions/ under the test runner), so both find the same build output.
 */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
export const distDir = join(packageRoot, 'dist');
