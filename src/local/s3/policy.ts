/**
 * A small IAM policy evaluator: enough of IAM's identity-policy semantics for
 * the local S3 endpoint to enforce a role's statements the way AWS does.
 */

export type PolicyValue = string | number | boolean;
export type ConditionBlock = Record<string, Record<string, PolicyValue | PolicyValue[]>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny' | string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: ConditionBlock;
  [other: string]: unknown;
}

/**
 * The request as IAM sees it. `context` holds the condition keys (s3:prefix,
 * aws:SecureTransport, cognito-identity.amazonaws.com:sub...); they are also
 * the values of policy variables such as `${cognito-identity.amazonaws.com:sub}`.
 * Key names are case-insensitive.
 */
export interface AuthorizationRequest {
  action: string;
  resource: string;
  context: Record<string, string | string[] | undefined>;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function lookup(context: AuthorizationRequest['context'], name: string): string | string[] | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(context)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

/**
 * Turns an IAM pattern into a regular expression: `*` and `?` are wildcards
 * (when `wildcards`), `${key}` is replaced by the request's value, taken
 * literally. An unknown variable makes the pattern match nothing, as in IAM.
 */
function compile(pattern: string, context: AuthorizationRequest['context'], opts: { wildcards: boolean; variables: boolean; ignoreCase: boolean }): RegExp | null {
  let source = '';
  const token = /\$\{([^}]*)\}|\*|\?|[^$*?]+|\$/g;
  for (const m of pattern.matchAll(token)) {
    const text = m[0];
    if (m[1] !== undefined && opts.variables) {
      const inner = m[1].trim();
      if (inner === '*' || inner === '?' || inner === '$') {
        source += escapeRegExp(inner);
        continue;
      }
      const withDefault = /^([^,]+?)\s*,\s*'([^']*)'$/.exec(inner);
      const value = lookup(context, withDefault ? withDefault[1]! : inner);
      const resolved = typeof value === 'string' ? value : withDefault ? withDefault[2]! : undefined;
      if (resolved === undefined) return null;
      source += escapeRegExp(resolved);
    } else if (text === '*' && opts.wildcards) source += '.*';
    else if (text === '?' && opts.wildcards) source += '.';
    else source += escapeRegExp(text);
  }
  return new RegExp(`^${source}$`, opts.ignoreCase ? 'is' : 's');
}

const matches = (pattern: string, value: string, context: AuthorizationRequest['context'], opts: { wildcards: boolean; variables: boolean; ignoreCase: boolean }) =>
  compile(pattern, context, opts)?.test(value) ?? false;

const ACTION = { wildcards: true, variables: false, ignoreCase: true };
const RESOURCE = { wildcards: true, variables: true, ignoreCase: false };

type Comparator = (policyValue: string, requestValue: string, context: AuthorizationRequest['context']) => boolean;

const COMPARATORS: Record<string, { compare: Comparator; negated: boolean }> = {
  StringEquals: { compare: (p, r, c) => matches(p, r, c, { wildcards: false, variables: true, ignoreCase: false }), negated: false },
  StringNotEquals: { compare: (p, r, c) => matches(p, r, c, { wildcards: false, variables: true, ignoreCase: false }), negated: true },
  StringEqualsIgnoreCase: { compare: (p, r, c) => matches(p, r, c, { wildcards: false, variables: true, ignoreCase: true }), negated: false },
  StringNotEqualsIgnoreCase: { compare: (p, r, c) => matches(p, r, c, { wildcards: false, variables: true, ignoreCase: true }), negated: true },
  StringLike: { compare: (p, r, c) => matches(p, r, c, RESOURCE), negated: false },
  StringNotLike: { compare: (p, r, c) => matches(p, r, c, RESOURCE), negated: true },
  ArnEquals: { compare: (p, r, c) => matches(p, r, c, RESOURCE), negated: false },
  ArnLike: { compare: (p, r, c) => matches(p, r, c, RESOURCE), negated: false },
  ArnNotEquals: { compare: (p, r, c) => matches(p, r, c, RESOURCE), negated: true },
  ArnNotLike: { compare: (p, r, c) => matches(p, r, c, RESOURCE), negated: true },
  Bool: { compare: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
};

/** One condition operator over one key; unknown operators fail closed (see statementApplies). */
function conditionHolds(operator: string, key: string, policyValues: string[], context: AuthorizationRequest['context']): boolean | 'unsupported' {
  let op = operator;
  let set: 'ForAnyValue' | 'ForAllValues' | undefined;
  const colon = op.indexOf(':');
  if (colon > 0) {
    const prefix = op.slice(0, colon);
    if (prefix !== 'ForAnyValue' && prefix !== 'ForAllValues') return 'unsupported';
    set = prefix;
    op = op.slice(colon + 1);
  }
  const requestValue = lookup(context, key);
  if (op === 'Null') {
    const isNull = requestValue === undefined || (Array.isArray(requestValue) && requestValue.length === 0);
    return policyValues.every((p) => (p.toLowerCase() === 'true') === isNull);
  }
  const ifExists = op.endsWith('IfExists');
  if (ifExists) op = op.slice(0, -'IfExists'.length);
  const comparator = COMPARATORS[op];
  if (!comparator) return 'unsupported';
  const values = list(requestValue);
  const hit = (r: string) => policyValues.some((p) => comparator.compare(p, r, context));
  const positive = (r: string) => (comparator.negated ? !hit(r) : hit(r));
  if (set === 'ForAnyValue') return values.some(positive);
  if (set === 'ForAllValues') return values.every(positive);
  if (values.length === 0) return ifExists || comparator.negated;
  return values.some(positive);
}

function statementApplies(s: PolicyStatement, req: AuthorizationRequest): boolean {
  const actionHit = (patterns: string[]) => patterns.some((p) => matches(p, req.action, req.context, ACTION));
  const resourceHit = (patterns: string[]) => patterns.some((p) => matches(p, req.resource, req.context, RESOURCE));
  // A statement without Action/NotAction or Resource/NotResource is invalid in IAM: it grants and denies nothing.
  if ((s.Action === undefined && s.NotAction === undefined) || (s.Resource === undefined && s.NotResource === undefined)) return false;
  if (s.Action !== undefined ? !actionHit(list(s.Action)) : s.NotAction !== undefined ? actionHit(list(s.NotAction)) : true) return false;
  if (s.Resource !== undefined ? !resourceHit(list(s.Resource)) : s.NotResource !== undefined ? resourceHit(list(s.NotResource)) : true) return false;
  for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
    for (const [key, raw] of Object.entries(keys)) {
      const holds = conditionHolds(operator, key, list(raw).map(String), req.context);
      // An operator this evaluator does not know must never widen access:
      // an Allow with it does not apply, a Deny with it does.
      if (holds === 'unsupported') return s.Effect === 'Deny';
      if (!holds) return false;
    }
  }
  return true;
}

/** IAM's order: an explicit Deny wins, then any Allow, otherwise the implicit deny. */
export function evaluatePolicy(statements: readonly PolicyStatement[], req: AuthorizationRequest): Decision {
  let allowed = false;
  for (const s of statements) {
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') continue;
    if (!statementApplies(s, req)) continue;
    if (s.Effect === 'Deny') return 'ExplicitDeny';
    allowed = true;
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}
