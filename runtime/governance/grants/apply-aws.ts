/**
 * Applies AWS grants (compiler/governance/grants-aws.ts) through the SDK: LF-tags created (or their
 * new values added), attached to Glue databases, tables and columns, LF-tag-based grants per role
 * principal, and each principal's IAM read policy (PutRolePolicy). Idempotent: run it again after a
 * change and the tags, grants and policies end as derived (grants only add; revoke by hand).
 */
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  AddLFTagsToResourceCommand,
  CreateLFTagCommand,
  GetLFTagCommand,
  GrantPermissionsCommand,
  UpdateLFTagCommand,
  type Resource,
} from '@aws-sdk/client-lakeformation';
import type { AwsGrants, LfResourceTags } from '../../../compiler/governance/grants-aws.js';

export interface SdkClient {
  send(command: any): Promise<any>;
}

export interface GrantClients {
  lakeformation: SdkClient;
  iam: SdkClient;
}

export interface AppliedAws {
  lfTags: number;
  taggedResources: number;
  grants: number;
  policies: number;
}

/** The SDK clients for a region; ETL_AWS_ENDPOINT_URL points them at one endpoint (moto in tests). */
export async function createGrantClients(region: string, env: NodeJS.ProcessEnv = process.env): Promise<GrantClients> {
  const [{ LakeFormationClient }, { IAMClient }] = await Promise.all([import('@aws-sdk/client-lakeformation'), import('@aws-sdk/client-iam')]);
  const endpoint = env['ETL_AWS_ENDPOINT_URL'] || undefined;
  const common = { region, ...(endpoint ? { endpoint } : {}), maxAttempts: 5 };
  return { lakeformation: new LakeFormationClient(common), iam: new IAMClient(common) };
}

const isNotFound = (e: unknown) => (e as { name?: string }).name === 'EntityNotFoundException';

async function ensureLfTag(client: SdkClient, catalogId: string | undefined, key: string, values: string[]): Promise<void> {
  let existing: string[] | undefined;
  try {
    const got = (await client.send(new GetLFTagCommand({ CatalogId: catalogId, TagKey: key }))) as { TagKey?: string; TagValues?: string[] };
    // Lake Formation answers a missing key with EntityNotFoundException; moto with no values (a real tag has at least one).
    existing = got.TagValues?.length ? got.TagValues : undefined;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  if (existing === undefined) {
    await client.send(new CreateLFTagCommand({ CatalogId: catalogId, TagKey: key, TagValues: values }));
    return;
  }
  const missing = values.filter((v) => !existing.includes(v));
  if (missing.length) await client.send(new UpdateLFTagCommand({ CatalogId: catalogId, TagKey: key, TagValuesToAdd: missing }));
}

export function lfResource(r: LfResourceTags['resource'], catalogId?: string): Resource {
  const catalog = catalogId ? { CatalogId: catalogId } : {};
  switch (r.kind) {
    case 'database':
      return { Database: { ...catalog, Name: r.database } };
    case 'table':
      return { Table: { ...catalog, DatabaseName: r.database, Name: r.table } };
    case 'columns':
      return { TableWithColumns: { ...catalog, DatabaseName: r.database, Name: r.table, ColumnNames: r.columns } };
  }
}

export async function applyAwsGrants(aws: AwsGrants, clients: GrantClients, catalogId?: string): Promise<AppliedAws> {
  const lf = clients.lakeformation;
  for (const tag of aws.lfTags) await ensureLfTag(lf, catalogId, tag.key, tag.values);
  for (const rt of aws.resourceTags) {
    const out = (await lf.send(
      new AddLFTagsToResourceCommand({ CatalogId: catalogId, Resource: lfResource(rt.resource, catalogId), LFTags: rt.tags.map((t) => ({ TagKey: t.key, TagValues: [t.value] })) }),
    )) as { Failures?: Array<{ Error?: { ErrorMessage?: string } }> };
    if (out.Failures?.length) throw new Error(`Lake Formation refused tags on ${JSON.stringify(rt.resource)}: ${out.Failures[0]?.Error?.ErrorMessage ?? 'unknown error'}`);
  }
  for (const g of aws.grants) {
    await lf.send(
      new GrantPermissionsCommand({
        CatalogId: catalogId,
        Principal: { DataLakePrincipalIdentifier: g.principal },
        Resource: { LFTagPolicy: { ...(catalogId ? { CatalogId: catalogId } : {}), ResourceType: g.resourceType, Expression: g.expression.map((e) => ({ TagKey: e.key, TagValues: e.values })) } },
        Permissions: g.permissions as never,
      }),
    );
  }
  for (const p of aws.policies) await clients.iam.send(new PutRolePolicyCommand({ RoleName: p.roleName, PolicyName: p.policyName, PolicyDocument: JSON.stringify(p.document) }));
  return { lfTags: aws.lfTags.length, taggedResources: aws.resourceTags.length, grants: aws.grants.length, policies: aws.policies.length };
}
