/**
 * Which rule of `governance.policy` applies to a model: the most specific one, as with `defaults:`.
 * A model's tags come first (several matching tags allow what any of them allows), then the longest
 * folder that holds the model file, then its layer. No rule: the model is not restricted.
 */
import type { GovernancePolicy, PolicyClassification } from '../config/governance-policy.js';

export interface PolicyRule {
  allowed: ReadonlySet<PolicyClassification>;
  /** `tag:finance`, `folder:models/gold/marts`, `layer:gold`. */
  rule: string;
}

const inFolder = (file: string, folder: string) => {
  const f = folder.replace(/\/+$/, '');
  return file === f || file.startsWith(`${f}/`);
};

export function policyRule(policy: GovernancePolicy | undefined, model: { layer: string; file: string; tags: readonly string[] }): PolicyRule | undefined {
  if (!policy) return undefined;
  const tags = [...new Set(model.tags)].filter((t) => Object.prototype.hasOwnProperty.call(policy.tags, t)).sort();
  if (tags.length) return { allowed: new Set(tags.flatMap((t) => policy.tags[t]!)), rule: tags.map((t) => `tag:${t}`).join(',') };
  const folder = Object.keys(policy.folders)
    .filter((f) => inFolder(model.file, f))
    .sort((a, b) => b.length - a.length)[0];
  if (folder !== undefined) return { allowed: new Set(policy.folders[folder]), rule: `folder:${folder.replace(/\/+$/, '')}` };
  const layer = policy.layers[model.layer as keyof GovernancePolicy['layers']];
  return layer ? { allowed: new Set(layer), rule: `layer:${model.layer}` } : undefined;
}
