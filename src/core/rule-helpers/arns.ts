/** Reading ARN texts: their parts, and IAM wildcard-only texts. */

export interface ArnView {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the account (may itself hold `:` and `/`). */
  resource: string;
}

/**
 * The parts of an ARN text (see textOf). References (`${X}`, `${X.Attr}`,
 * `${AWS::Region}`, `${!policy:variable}`) become the placeholder `{ref}`,
 * so a reference is never mistaken for a wildcard. Undefined when the text
 * is not an ARN.
 */
export function parseArn(text: string): ArnView | undefined {
  const flat = text.replace(/\$\{[^}]*\}/g, '{ref}');
  if (!flat.startsWith('arn:')) return undefined;
  const parts = flat.split(':');
  if (parts.length < 6) return undefined;
  return {
    partition: parts[1] ?? '',
    service: parts[2] ?? '',
    region: parts[3] ?? '',
    account: parts[4] ?? '',
    resource: parts.slice(5).join(':'),
  };
}

/** True for a non-empty text made only of IAM wildcards (`*`, `?`). */
export function isWildcardOnly(text: string): boolean {
  return /^[*?]+$/.test(text);
}
