/** A JSON value: what a parsed CloudFormation template is made of. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export interface CfnResource {
  Type: string;
  Properties?: JsonObject;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  UpdatePolicy?: JsonObject;
  CreationPolicy?: JsonObject;
  Metadata?: JsonObject;
}

export interface CfnTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Metadata?: JsonObject;
  Parameters?: Record<string, JsonObject>;
  Mappings?: JsonObject;
  Conditions?: JsonObject;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, JsonObject>;
}

export type Level = 'error' | 'warning';

/**
 * One problem found in a rendered template, by the specification check
 * (source "spec") or by a security rule (source "rules").
 */
export interface Finding {
  source: 'spec' | 'rules';
  /** Rule id: a security rule's file name, or a SPEC-* check name. */
  ruleId: string;
  level: Level;
  logicalId: string;
  /** The resource type, or the template section ("Outputs", "Conditions"...) when not about a resource. */
  type: string;
  /** Where in the resource, as a dotted path ("Properties.BucketEncryption"), when it helps. */
  path?: string;
  message: string;
  fix: string;
  /** Present when the resource's Metadata suppresses this rule, with the reason given there. */
  suppressed?: { reason: string };
}
