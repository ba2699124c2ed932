/**
 * What the grants are on AWS, as data: Lake Formation LF-tags (layer, classification, one key per
 * role) on Glue databases, tables and columns; LF-tag-based grants per role principal; an IAM policy
 * document per role principal (S3 prefixes of the layers it reads, KMS decrypt of the target's key,
 * Glue read). Lake Formation cannot mask: a column a role sees masked is withheld there like an omitted
 * one (per-role views mask). Rendered to SDK calls by runtime/governance/grants/apply-aws.ts only.
 */
import { z } from 'zod';
import type { Grants, GrantTable, RoleGrants } from './grants-schema.js';

export const LfTagPairSchema = z.object({ key: z.string(), values: z.array(z.string()).min(1) }).strict();
export const LfResourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('database'), database: z.string() }).strict(),
  z.object({ kind: z.literal('table'), database: z.string(), table: z.string() }).strict(),
  z.object({ kind: z.literal('columns'), database: z.string(), table: z.string(), columns: z.array(z.string()).min(1) }).strict(),
]);
export const LfResourceTagsSchema = z.object({ resource: LfResourceSchema, tags: z.array(z.object({ key: z.string(), value: z.string() }).strict()) }).strict();
export const LfGrantSchema = z
  .object({
    role: z.string(),
    principal: z.string(),
    resourceType: z.enum(['DATABASE', 'TABLE']),
    expression: z.array(LfTagPairSchema),
    permissions: z.array(z.string()).min(1),
  })
  .strict();
export const IamPolicySchema = z.object({ role: z.string(), roleName: z.string(), policyName: z.string(), document: z.record(z.string(), z.unknown()) }).strict();
export const AwsGrantsSchema = z
  .object({ lfTags: z.array(LfTagPairSchema), resourceTags: z.array(LfResourceTagsSchema), grants: z.array(LfGrantSchema), policies: z.array(IamPolicySchema) })
  .strict();
export type AwsGrants = z.infer<typeof AwsGrantsSchema>;
export type LfGrant = z.infer<typeof LfGrantSchema>;
export type LfResourceTags = z.infer<typeof LfResourceTagsSchema>;

export const LAYER_TAG = 'layer';
export const CLASSIFICATION_TAG = 'classification';
/** The value of `classification` on tables and on columns that carry none. */
export const UNCLASSIFIED = 'none';
export const POLICY_NAME = 'lakehouse-etl-read';
export const roleTag = (role: string) => `etl_role_${role}`;
export const ROLE_TAG_VALUE = 'read';

/** A column's `classification` value: its classifications sorted and joined (`restricted+sensitive`), or `none`. */
export const classificationValue = (classes: readonly string[]) => (classes.length ? [...classes].sort().join('+') : UNCLASSIFIED);

interface TableKey {
  database: string;
  table: string;
  layer: GrantTable['layer'];
  columns: GrantTable['columns'];
}

/** Every table any role sees, once, with the roles that see it. */
function tablesWithRoles(grants: Grants): Map<string, TableKey & { roles: string[] }> {
  const tables = new Map<string, TableKey & { roles: string[] }>();
  for (const role of grants.roles) {
    for (const t of role.tables) {
      const key = `${t.relation.database}.${t.relation.table}`;
      const entry = tables.get(key) ?? { database: t.relation.database, table: t.relation.table, layer: t.layer, columns: t.columns, roles: [] };
      entry.roles.push(role.role);
      tables.set(key, entry);
    }
  }
  return tables;
}

function resourceTags(grants: Grants): LfResourceTags[] {
  const tables = [...tablesWithRoles(grants).values()];
  const databases = new Map(tables.map((t) => [t.database, t.layer]));
  const out: LfResourceTags[] = [...databases].map(([database, layer]) => ({ resource: { kind: 'database' as const, database }, tags: [{ key: LAYER_TAG, value: layer }] }));
  for (const t of tables) {
    const roleTags = t.roles.map((r) => ({ key: roleTag(r), value: ROLE_TAG_VALUE }));
    out.push({ resource: { kind: 'table', database: t.database, table: t.table }, tags: [{ key: LAYER_TAG, value: t.layer }, { key: CLASSIFICATION_TAG, value: UNCLASSIFIED }, ...roleTags] });
    const byValue = new Map<string, string[]>();
    for (const c of t.columns) if (c.classification.length) byValue.set(classificationValue(c.classification), [...(byValue.get(classificationValue(c.classification)) ?? []), c.name]);
    for (const [value, columns] of byValue) out.push({ resource: { kind: 'columns', database: t.database, table: t.table, columns }, tags: [{ key: CLASSIFICATION_TAG, value }] });
  }
  return out;
}

/** The classification values whose columns the role sees in clear (`none` always). */
function visibleValues(role: RoleGrants): string[] {
  const values = new Set<string>([UNCLASSIFIED]);
  for (const t of role.tables) for (const c of t.columns) if (c.access === 'visible') values.add(classificationValue(c.classification));
  return [...values].sort();
}

function roleGrantsOnLf(role: RoleGrants): LfGrant[] {
  if (!role.principal || role.tables.length === 0) return [];
  const layers = [...new Set(role.tables.map((t) => t.layer))].sort();
  return [
    { role: role.role, principal: role.principal, resourceType: 'DATABASE', expression: [{ key: LAYER_TAG, values: layers }], permissions: ['DESCRIBE'] },
    {
      role: role.role,
      principal: role.principal,
      resourceType: 'TABLE',
      expression: [
        { key: roleTag(role.role), values: [ROLE_TAG_VALUE] },
        { key: CLASSIFICATION_TAG, values: visibleValues(role) },
      ],
      permissions: ['SELECT', 'DESCRIBE'],
    },
  ];
}

export interface AwsGrantContext {
  /** Layer roots as the target declares them (`s3://bucket/silver`). */
  layerRoots: Record<'bronze' | 'silver' | 'gold', string>;
  region: string;
  /** The target's KMS key (id, ARN, alias/NAME or alias ARN), if any. */
  kmsKey?: string;
}

const accountOf = (arn: string) => arn.split(':')[4] ?? '';

function s3Parts(uri: string): { bucket: string; prefix: string } | undefined {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return m ? { bucket: m[1]!, prefix: m[2]!.replace(/\/+$/, '') } : undefined;
}

/** KMS decrypt of the target's key: a key id or ARN as the resource; an alias through `kms:ResourceAliases` (IAM does not match alias ARNs for Decrypt). */
function kmsStatement(key: string, region: string, account: string): Record<string, unknown> {
  const base = { Sid: 'DecryptLakehouseKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'] };
  const alias = /^(?:arn:aws[a-z-]*:kms:[^:]+:\d{12}:)?(alias\/.+)$/.exec(key);
  if (alias) return { ...base, Resource: ['*'], Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [alias[1]] } } };
  return { ...base, Resource: [key.startsWith('arn:') ? key : `arn:aws:kms:${region}:${account}:key/${key}`] };
}

/** The IAM read policy of one role principal. */
export function iamPolicy(role: RoleGrants, ctx: AwsGrantContext): Record<string, unknown> {
  const account = accountOf(role.principal ?? '');
  const layers = [...new Set(role.tables.map((t) => t.layer))].sort();
  const s3 = layers.flatMap((l) => {
    const parts = s3Parts(ctx.layerRoots[l]);
    return parts ? [parts] : [];
  });
  const databases = [...new Set(role.tables.map((t) => t.relation.database))].sort();
  const glue = `arn:aws:glue:${ctx.region}:${account}`;
  const statements: Array<Record<string, unknown>> = [];
  if (s3.length) {
    statements.push({ Sid: 'ReadLayerObjects', Effect: 'Allow', Action: ['s3:GetObject'], Resource: s3.map((p) => `arn:aws:s3:::${p.bucket}/${p.prefix ? `${p.prefix}/` : ''}*`) });
    for (const bucket of [...new Set(s3.map((p) => p.bucket))]) {
      const prefixes = s3.filter((p) => p.bucket === bucket).map((p) => (p.prefix ? `${p.prefix}/*` : '*'));
      statements.push({ Sid: `ListLayerPrefixes${statements.length}`, Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`], Condition: { StringLike: { 's3:prefix': prefixes } } });
    }
  }
  if (ctx.kmsKey) statements.push(kmsStatement(ctx.kmsKey, ctx.region, account));
  statements.push({
    Sid: 'GlueCatalogRead',
    Effect: 'Allow',
    Action: ['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
    Resource: [`${glue}:catalog`, ...databases.map((d) => `${glue}:database/${d}`), ...databases.map((d) => `${glue}:table/${d}/*`)],
  });
  statements.push({ Sid: 'LakeFormationDataAccess', Effect: 'Allow', Action: ['lakeformation:GetDataAccess'], Resource: ['*'] });
  return { Version: '2012-10-17', Statement: statements };
}

/** Everything to apply on AWS for these grants. */
export function awsGrants(grants: Grants, ctx: AwsGrantContext): AwsGrants {
  const tags = resourceTags(grants);
  const values = (key: string) => [...new Set(tags.flatMap((t) => t.tags.filter((x) => x.key === key).map((x) => x.value)))].sort();
  const roleKeys = [...new Set(tags.flatMap((t) => t.tags.map((x) => x.key)).filter((k) => k.startsWith('etl_role_')))].sort();
  const lfTags = [LAYER_TAG, CLASSIFICATION_TAG, ...roleKeys].map((key) => ({ key, values: values(key) }));
  const withPrincipal = grants.roles.filter((r) => r.principal && r.tables.length);
  return AwsGrantsSchema.parse({
    lfTags,
    resourceTags: tags,
    grants: withPrincipal.flatMap(roleGrantsOnLf),
    policies: withPrincipal.map((r) => ({ role: r.role, roleName: r.principal!.split('/').pop()!, policyName: POLICY_NAME, document: iamPolicy(r, ctx) })),
  });
}
