import { DEPLOY_HASH_OUTPUT } from './deploy-hash-output.js';
import { stableJson } from './stable-json.js';
import type { CfnTemplate, JsonObject } from './types.js';

export { DEPLOY_HASH_OUTPUT, stableJson };

export interface DeployInputs {
  /** The rendered template, before archctl stamps its hash output on it. */
  template: CfnTemplate;
  /** Stack tags: they reach every resource, so a change is a change. */
  tags: Record<string, string>;
  terminationProtection: boolean;
}

/**
 * What identifies a deploy apart from the Lambda code: the template and the
 * stack's settings. The code is compared separately, through the
 * content-hashed <Name>CodeKey parameters the stack already records, which is
 * what lets hotswap tell "only code changed" from "the template changed".
 */
export function templateHashInput(i: DeployInputs): string {
  return stableJson({ template: i.template, tags: i.tags, terminationProtection: i.terminationProtection });
}

/** The template as deployed: the rendered one plus the hash output (never part of the hash itself). */
export function stampDeployHash(template: CfnTemplate, hash: string): CfnTemplate {
  const outputs: Record<string, JsonObject> = { ...(template.Outputs ?? {}) };
  outputs[DEPLOY_HASH_OUTPUT] = { Description: 'archctl: hash of the deployed template and settings (lets an unchanged deploy skip the change set)', Value: hash };
  return { ...template, Outputs: outputs };
}

/** The code-key parameters whose values differ from those the stack records. */
export function changedCodeKeys(ours: Record<string, string>, deployed: Record<string, string>): string[] {
  return Object.keys(ours)
    .filter((k) => deployed[k] !== ours[k])
    .sort();
}
