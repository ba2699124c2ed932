/**
 * `governance.roles` in project.yaml: who may read what. Each role selects tables (by layer, tag, model
 * name or source system) and says which column classifications it sees in clear; classified columns
 * it may not see are omitted or masked. The compiler derives per role the visible tables and columns
 * (compiler/governance/access.ts); `etl grants` shows and applies them.
 */
import { z } from 'zod';
import { identifierSchema } from './model-config.js';

const names = (what: string) => z.array(z.string().min(1)).default([]).describe(what);

export const roleReadSchema = z
  .object({
    layers: names('Layers whose tables the role reads: bronze, silver, gold.'),
    tags: names('Model or source tags: a table carrying any of them is readable.'),
    models: names('Model names readable by the role.'),
    systems: names('Source systems (salesforce, snowflake, kafka): tables whose lineage comes only from these systems are readable.'),
  })
  .strict()
  .describe('What the role reads: a table matching any selector is visible.');

export const maskMethodSchema = z.enum(['hash', 'null']);

export const roleSchema = z
  .object({
    description: z.string().optional(),
    /** The IAM role the grants and policies go to on AWS. */
    principal: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'expected an IAM role ARN (arn:aws:iam::123456789012:role/NAME)')
      .optional()
      .describe('IAM role ARN that receives the Lake Formation grants and the IAM read policy on AWS.'),
    read: roleReadSchema,
    unmasked: names('Column classifications the role sees in clear (pii, sensitive, restricted, pseudonymised...).'),
    omit: names('Classifications whose columns are left out for the role; any other classification it may not see is masked.'),
    mask: maskMethodSchema
      .default('hash')
      .describe('How masked columns read in per-role views: hash (salted sha2 of string columns; other types null) or null.'),
  })
  .strict();

export const rolesSchema = z.record(identifierSchema, roleSchema).describe('Roles and what each may read (etl grants show ROLE).');

export type RoleConfig = z.infer<typeof roleSchema>;
export type RolesConfig = z.infer<typeof rolesSchema>;
