import { createHash } from 'node:crypto';
import type { ContentHash } from '../core/logical-ids.js';

/** The first 8 hex digits of SHA-256, upper case: short enough for a logical id, stable across runs and machines. */
export const contentHash: ContentHash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 8).toUpperCase();
