/**
 * The compact spec extract's format (kept in step with scripts/extract-spec.mjs):
 * its types, its version, where a resource type lives, and the pseudo parameters.
 */

/** Version of the extract format this code reads (index.json "f"). */
export const SPEC_FORMAT = 1;

/**
 * A compact property type:
 * - `"s"` string, `"n"` number, `"i"` integer, `"b"` boolean, `"j"` JSON (anything
 *   goes; inside a union: any object), `"d"` date-time, `"t"` tag `{Key, Value}`,
 *   `"z"` null;
 * - `"[X"` list of X, `"{X"` map of X (X itself a string code);
 * - `{a: X}` / `{m: X}` list / map of a union X;
 * - any other string: the name of a type definition in the resource's `t`;
 * - an array: a union (the value must match one member).
 */
export type SpecType = string | { a: SpecType } | { m: SpecType } | SpecType[];

/** Properties of a resource or of a type definition. */
export interface SpecShape {
  /** Property name -> type. */
  p: Record<string, SpecType>;
  /** Required property names. */
  r?: string[];
}

/** One resource type of the extract. */
export interface SpecResource extends SpecShape {
  /** Attributes accepted by Fn::GetAtt (`"Endpoint.Address"`; `"Outputs.*"` = any `Outputs.` suffix). */
  a?: string[];
  /** Type definitions (nested property types) by name. */
  t?: Record<string, SpecShape>;
}

/** One service file (`dist/spec/AWS_DynamoDB.json`): resource type -> spec. */
export type SpecService = Record<string, SpecResource>;

/** `dist/spec/index.json`. */
export interface SpecIndex {
  /** Extract format, {@link SPEC_FORMAT}. */
  f: number;
  /** Version of @aws-cdk/aws-service-spec it was extracted from. */
  v: string;
  /** Number of resource types. */
  n: number;
  /** Resource type -> service file name without ".json". */
  t: Record<string, string>;
}

/** What checkSpec needs: the spec of a resource type, if the type exists. */
export interface SpecLookup {
  resourceType(type: string): SpecResource | undefined;
  /** Every known resource type, for "did you mean" suggestions (optional). */
  resourceTypes?(): readonly string[];
}

export const PSEUDO_PARAMETERS: readonly string[] = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
];

export const isCustomType = (type: string): boolean => type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';

/** `"AWS::DynamoDB::Table"` -> `"AWS_DynamoDB"`: the service file holding a type, or undefined for a malformed name. */
export function serviceFileOf(type: string): string | undefined {
  const m = /^([A-Za-z0-9]+)::([A-Za-z0-9]+)::[A-Za-z0-9]+$/.exec(type);
  return m ? `${m[1]}_${m[2]}` : undefined;
}
