/** What IAM policy statements say: actions, resources, effect, conditions and principals. */
import type { Json, JsonObject } from '../types.js';
import { escapeRegExp, textOf } from './text.js';
import { asList, branches, getCaseless, isObject } from './values.js';

export interface StatementRef {
  statement: JsonObject;
  /** Dotted path of the statement from the resource root ("Properties.Policies.0.PolicyDocument.Statement.1"). */
  path: string;
}

/** The statements of a policy document, each with its path. */
export function statementsOf(doc: Json | undefined, docPath: string): StatementRef[] {
  if (!isObject(doc)) return [];
  const raw = doc.Statement;
  const base = `${docPath}.Statement`;
  if (Array.isArray(raw)) {
    const out: StatementRef[] = [];
    raw.forEach((entry, i) => {
      for (const b of branches(entry)) if (isObject(b)) out.push({ statement: b, path: `${base}.${i}` });
    });
    return out;
  }
  return branches(raw)
    .filter(isObject)
    .map((statement) => ({ statement, path: base }));
}

/** Statement `Action` (or another key such as NotAction) as a list of strings; intrinsics are dropped. */
export function actionsOf(statement: JsonObject, key: 'Action' | 'NotAction' = 'Action'): string[] {
  return asList(statement[key]).filter((a): a is string => typeof a === 'string');
}

/** Statement `Resource` as a list of raw values (Fn::If expanded). */
export function resourcesOf(statement: JsonObject, key: 'Resource' | 'NotResource' = 'Resource'): Json[] {
  return asList(statement[key]);
}

export function isAllow(statement: JsonObject): boolean {
  return statement.Effect === 'Allow';
}

export function isDeny(statement: JsonObject): boolean {
  return statement.Effect === 'Deny';
}

/** IAM action match with `*` and `?` wildcards, case-insensitive (IAM semantics). */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c))).join('')}$`, 'i');
  return re.test(action);
}

/** True when any of the statement's actions grants `action` (wildcards in the statement honoured). */
export function statementGrants(statement: JsonObject, action: string): boolean {
  return actionsOf(statement).some((a) => actionMatches(a, action));
}

/**
 * True when an Allow statement can grant `action`: one of its actions matches
 * it (IAM wildcards), or it uses NotAction and no NotAction entry matches it.
 */
export function statementCanGrant(statement: JsonObject, action: string): boolean {
  if (!isAllow(statement)) return false;
  if (statementGrants(statement, action)) return true;
  if (statement.NotAction === undefined) return false;
  return !actionsOf(statement, 'NotAction').some((a) => actionMatches(a, action));
}

/** Values of a condition `operator` / `key` pair (keys compared without case), as texts. */
export function conditionValues(statement: JsonObject, operator: string, key: string): string[] {
  const condition = statement.Condition;
  if (!isObject(condition)) return [];
  const block = condition[operator];
  if (!isObject(block)) return [];
  const value = getCaseless(block, key);
  return asList(value)
    .map((v) => textOf(v))
    .filter((t): t is string => t !== undefined);
}

/** True when the condition key appears under any operator. */
export function hasConditionKey(statement: JsonObject, key: string): boolean {
  const condition = statement.Condition;
  if (!isObject(condition)) return false;
  return Object.values(condition).some((block) => isObject(block) && getCaseless(block, key) !== undefined);
}

/** True for `"*"`, `{AWS: "*"}` or a list holding `"*"`. */
export function isWildcardPrincipal(principal: Json | undefined): boolean {
  if (principal === '*') return true;
  if (isObject(principal)) {
    const aws = principal.AWS;
    return asList(aws).some((p) => p === '*');
  }
  return false;
}

/** True when a statement principal value holds a `*` in any of its keys (or is `*` itself). */
export function principalHasWildcard(principal: Json | undefined): boolean {
  if (principal === '*') return true;
  if (!isObject(principal)) return false;
  return Object.values(principal).some((v) => asList(v).some((p) => p === '*'));
}

/**
 * True when the policy document denies every request that is not over TLS:
 * Effect Deny, principal `*`, action `*` or `s3:*`/`sqs:*`, and
 * `Bool: {aws:SecureTransport: false}`.
 */
export function deniesInsecureTransport(doc: Json | undefined, service: 's3' | 'sqs'): boolean {
  return statementsOf(doc, '').some(({ statement }) => {
    if (!isDeny(statement) || !isWildcardPrincipal(statement.Principal)) return false;
    const actions = actionsOf(statement);
    if (!actions.some((a) => a === '*' || a.toLowerCase() === `${service}:*`)) return false;
    const values = conditionValues(statement, 'Bool', 'aws:SecureTransport');
    return values.some((v) => v.toLowerCase() === 'false');
  });
}
