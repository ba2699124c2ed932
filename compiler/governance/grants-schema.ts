/**
 * target/grants.json: per role, the tables it sees and, per table, each column's access (visible,
 * masked or omitted), derived from the roles in project.yaml and the manifest's column classifications
 * (compiler/governance/access.ts). One zod schema; the types derive from it.
 */
import { z } from 'zod';
import { maskMethodSchema } from '../config/governance-roles.js';

export const GRANTS_VERSION = 1 as const;

export const ColumnAccessSchema = z.enum(['visible', 'masked', 'omitted']);
export type ColumnAccess = z.infer<typeof ColumnAccessSchema>;

export const GrantColumnSchema = z
  .object({
    name: z.string(),
    type: z.string(),
    /** As the manifest carries it (any classification name). */
    classification: z.array(z.string()),
    access: ColumnAccessSchema,
  })
  .strict();

export const GrantTableSchema = z
  .object({
    /** Manifest node id: `model.fct_orders` or `source.salesforce.leads` (its bronze table). */
    node: z.string(),
    layer: z.enum(['bronze', 'silver', 'gold']),
    relation: z.object({ database: z.string(), table: z.string() }).strict(),
    /** Under the layer's root, or absolute (as the manifest has it). */
    location: z.string(),
    /** Why the role sees it: `layer:gold`, `tag:mart`, `model:fct_orders`, `system:salesforce`. */
    matchedBy: z.array(z.string()).min(1),
    columns: z.array(GrantColumnSchema),
  })
  .strict();
export type GrantTable = z.infer<typeof GrantTableSchema>;

export const RoleGrantsSchema = z
  .object({
    role: z.string(),
    description: z.string().optional(),
    principal: z.string().nullable(),
    unmasked: z.array(z.string()),
    omit: z.array(z.string()),
    mask: maskMethodSchema,
    tables: z.array(GrantTableSchema),
  })
  .strict();
export type RoleGrants = z.infer<typeof RoleGrantsSchema>;

export const GrantsSchema = z
  .object({
    grantsVersion: z.literal(GRANTS_VERSION),
    project: z.string(),
    target: z.string(),
    /** Salt of hashed columns in per-role views: the `mask_salt` var, else the project name. */
    salt: z.string(),
    roles: z.array(RoleGrantsSchema),
  })
  .strict();
export type Grants = z.infer<typeof GrantsSchema>;
