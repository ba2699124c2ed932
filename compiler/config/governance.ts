/**
 * `governance:` in project.yaml. Each part of the governance work owns one sub-schema, added here as
 * one optional key: `policy` (classification policy, compiler/config/governance-policy.ts); roles,
 * retention and audit are added beside it, one line each.
 */
import { z } from 'zod';
import { governancePolicySchema } from './governance-policy.js';
import { rolesSchema } from './governance-roles.js';
import { retentionConfigSchema } from '../governance/retention-config.js';

export const governanceSchema = z
  .object({
    policy: governancePolicySchema.optional(),
    /** Roles and what each may read (etl grants; compiler/config/governance-roles.ts). */
    roles: rolesSchema.optional(),
    /** Retention per source table and the Delta retention properties; layer periods are infra.retention (compiler/governance/retention-config.ts). */
    retention: retentionConfigSchema.optional(),
  })
  .strict()
  .describe('Data governance: classification policy, roles and what each may read (etl grants), retention, audit.');

export type GovernanceConfig = z.infer<typeof governanceSchema>;
