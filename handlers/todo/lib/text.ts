// User text is stored in one canonical form: NFC, so a title typed as "é"
// (U+00E9) and as "e" + U+0301 is the same stored value. Characters that can
// hide or reorder what a reader sees, split a log line, or that are not
// Unicode at all are refused rather than silently removed.

// C0 controls (incl. TAB, CR, LF), DEL, C1 controls, the line and paragraph
// separators, bidi embeddings and overrides (U+202A-202E), bidi isolates
// (U+2066-2069), zero-width space / non-joiner / joiner (U+200B-200D) and the
// zero-width no-break space / BOM (U+FEFF).
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200d\ufeff]/u;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export type TextProblem = 'lone-surrogate' | 'forbidden-character';

export type NormalisedText = { ok: true; value: string } | { ok: false; problem: TextProblem };

export function hasLoneSurrogate(input: string): boolean {
  return LONE_SURROGATE.test(input);
}

export function normaliseText(input: string): NormalisedText {
  if (hasLoneSurrogate(input)) return { ok: false, problem: 'lone-surrogate' };
  const value = input.normalize('NFC');
  if (FORBIDDEN.test(value)) return { ok: false, problem: 'forbidden-character' };
  return { ok: true, value };
}

/** Length as a person counts it: Unicode code points, not UTF-16 units. */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** What DynamoDB counts against its 400 KB item limit. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
