/**
 * `governance.policy` in project.yaml: which classifications each layer, folder or tag may expose
 * unmasked. The most specific rule wins, as with `defaults:` (a model's tag, then the longest
 * matching folder, then its layer); a model no rule reaches is not restricted. `pseudonymised`
 * (what the mask helpers produce) is never forbidden, so it is not listed here.
 */
import { z } from 'zod';
import { identifierSchema } from '../security/names.js';

/** The classifications a policy can forbid (a source column's `.pii()`, `.sensitive()`, `.restricted()`). */
export const policyClassificationSchema = z.enum(['pii', 'sensitive', 'restricted']);
export const POLICY_CLASSIFICATIONS = policyClassificationSchema.options;

const allowedList = z
  .array(policyClassificationSchema)
  .describe('Classifications models here may expose unmasked; an empty list exposes none.');

export const governancePolicySchema = z
  .object({
    layers: z
      .object({ silver: allowedList, gold: allowedList })
      .partial()
      .strict()
      .default({})
      .describe('Per layer: the classifications its models may expose unmasked.'),
    folders: z
      .record(z.string(), allowedList)
      .default({})
      .describe('Per folder (e.g. `models/gold/marts`): overrides the layer; the longest matching folder wins.'),
    tags: z
      .record(z.string(), allowedList)
      .default({})
      .describe('Per model tag: overrides folder and layer; a model with several such tags may expose what any of them allows.'),
    salt_var: identifierSchema
      .default('mask_salt')
      .describe('The project var whose value salts `{{mask_hash}}` (default `mask_salt`).'),
  })
  .strict()
  .describe('Which classifications each layer, folder or tag may expose unmasked (the most specific rule wins).');

export type GovernancePolicy = z.infer<typeof governancePolicySchema>;
export type PolicyClassification = z.infer<typeof policyClassificationSchema>;
