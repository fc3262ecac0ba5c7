import type { ApiEvent } from './event.js';
import { HttpError, badRequest } from './errors.js';
import { header } from './params.js';
import { hasLoneSurrogate } from './text.js';

export const MAX_BODY_BYTES = 16 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

// application/json, optionally with charset=utf-8 (any other charset is a
// different encoding of the same JSON, which this API does not decode).
function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [type, ...params] = value.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => !p.startsWith('charset=') || p.replace(/^charset="?([^"]*)"?$/, '$1') === 'utf-8');
}

function tooLarge(): HttpError {
  return new HttpError(413, 'PayloadTooLarge', `The request body must be at most ${MAX_BODY_BYTES} bytes.`);
}

function bodyBytes(event: ApiEvent): Uint8Array {
  const body = event.body;
  if (typeof body !== 'string' || body.length === 0) throw badRequest('The request body is missing.', 'InvalidBody');
  if (event.isBase64Encoded === true) {
    // Checked before decoding too: base64 of 16 KB is about 21.8 K characters.
    if (body.length > Math.ceil(MAX_BODY_BYTES / 3) * 4 + 4) throw tooLarge();
    if (!/^[A-Za-z0-9+/_-]*={0,2}\s*$/.test(body)) throw badRequest('The request body is not valid base64.', 'InvalidBody');
    return Buffer.from(body, 'base64');
  }
  // Encoding to UTF-8 would silently turn a lone surrogate into U+FFFD.
  if (hasLoneSurrogate(body)) throw badRequest('The request body is not valid Unicode.', 'InvalidBody');
  return Buffer.from(body, 'utf8');
}

/**
 * The JSON object in the request body: 415 unless Content-Type is
 * application/json, base64 bodies decoded, 413 over 16 KB (after decoding),
 * 400 for invalid UTF-8, malformed JSON or anything but an object.
 */
export function readJsonObject(event: ApiEvent): Record<string, unknown> {
  if (!isJsonContentType(header(event, 'Content-Type'))) {
    throw new HttpError(415, 'UnsupportedMediaType', 'The request body must be application/json.');
  }
  const bytes = bodyBytes(event);
  if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge();
  let text: string;
  let value: unknown;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw badRequest('The request body is not valid UTF-8.', 'InvalidBody');
  }
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON.', 'InvalidJson');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('The request body must be a JSON object.', 'InvalidBody');
  }
  return value as Record<string, unknown>;
}
