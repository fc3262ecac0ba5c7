import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: this file sits two levels down (dist/actions/ when built,
 * src/actions/ under the test runner), so both find the same build output.
 */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
export const distDir = join(packageRoot, 'dist');
