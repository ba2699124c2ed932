/**
 * `etl grants apply --target emr` against moto's Lake Formation and IAM: the LF-tags, the tags on
 * Glue databases, tables and columns, the LF-tag-based grants per role principal and the IAM read
 * policies moto records are read back and compared with the derived ones (and with a few facts
 * checked by hand: what each role's expression lets through, what its policy reads).
 */
import { CreateRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetResourceLFTagsCommand, LakeFormationClient, ListLFTagsCommand, ListPermissionsCommand } from '@aws-sdk/client-lakeformation';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { projectGrants } from '../../compiler/governance/grants-artifact.js';
import { awsGrants, type AwsGrants } from '../../compiler/governance/grants-aws.js';
import { lfResource } from '../../runtime/governance/grants/apply-aws.js';
import { useMoto } from '../aws/moto-env.js';
import { runEtl } from '../compiler/helpers.js';

const PROJECT = path.join(fileURLToPath(new URL('./fixtures/', import.meta.url)), 'roles-aws');
const moto = useMoto('company-lakehouse');

let derived: AwsGrants;
let lf: LakeFormationClient;
let iam: IAMClient;

const sortedPairs = (pairs: Array<{ TagKey?: string; TagValues?: string[] }> = []) =>
  pairs.map((p) => ({ key: p.TagKey!, values: [...(p.TagValues ?? [])].sort() })).sort((a, b) => a.key.localeCompare(b.key));

beforeAll(async () => {
  const compiled = await compileProject({ projectDir: PROJECT, cache: false });
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const t = compiled.manifest.target.layers;
  derived = awsGrants(projectGrants(PROJECT, compiled.manifest), { layerRoots: { bronze: t.bronze.root, silver: t.silver.root, gold: t.gold.root }, region: 'us-east-1', kmsKey: 'alias/lakehouse' });
  const common = { region: 'us-east-1', endpoint: moto.server.endpoint };
  lf = new LakeFormationClient(common);
  iam = new IAMClient(common);
}, 180_000);

describe('etl grants apply --target emr on moto', () => {
  it('records the derived LF-tags, resource tags, grants and IAM policies', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    for (const name of ['analyst', 'crm']) await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));

    const res = await runEtl(['grants', 'apply', '--target', 'emr', '--project', PROJECT, '--json'], 180_000);
    if (res.code !== 0) throw new Error(`etl grants apply exited ${res.code}:\n${res.stderr}\n${res.stdout}`);
    expect(JSON.parse(res.stdout)).toEqual({ target: 'emr', lfTags: 4, taggedResources: derived.resourceTags.length, grants: 4, policies: 2 });

    // LF-tags: the keys and values derived.
    const tags = await lf.send(new ListLFTagsCommand({}));
    expect(sortedPairs(tags.LFTags)).toEqual([...derived.lfTags].sort((a, b) => a.key.localeCompare(b.key)));
    expect(sortedPairs(tags.LFTags).find((t) => t.key === 'classification')!.values).toEqual(['none', 'pii', 'restricted', 'sensitive']);

    // Tags on every database, table and column group, as derived.
    for (const rt of derived.resourceTags) {
      const got = await lf.send(new GetResourceLFTagsCommand({ Resource: lfResource(rt.resource) }));
      const on = rt.resource.kind === 'database' ? got.LFTagOnDatabase : rt.resource.kind === 'table' ? got.LFTagsOnTable : got.LFTagsOnColumns?.flatMap((c) => c.LFTags ?? []);
      const want = rt.tags.map((t) => ({ key: t.key, values: [t.value] }));
      if (rt.resource.kind === 'columns') for (const t of sortedPairs(on)) expect(want).toContainEqual(t);
      else expect(sortedPairs(on)).toEqual([...want].sort((a, b) => a.key.localeCompare(b.key)));
    }
    // By hand: the contacts' e-mail column is pii, the Salesforce bronze table is the crm role's only.
    const email = await lf.send(new GetResourceLFTagsCommand({ Resource: { TableWithColumns: { DatabaseName: 'silver', Name: 'stg_customers', ColumnNames: ['email'] } } }));
    expect(sortedPairs(email.LFTagsOnColumns?.flatMap((c) => c.LFTags ?? []))).toEqual([{ key: 'classification', values: ['pii'] }]);
    const bronze = await lf.send(new GetResourceLFTagsCommand({ Resource: { Table: { DatabaseName: 'bronze', Name: 'crm_customers' } } }));
    expect(sortedPairs(bronze.LFTagsOnTable).map((t) => t.key)).toEqual(['classification', 'etl_role_crm', 'layer']);

    // Grants per principal: LF-tag policies equal the derived ones.
    // (Lake Formation lists by principal only together with a resource: every grant, then by principal.)
    const listed = await lf.send(new ListPermissionsCommand({}));
    for (const role of ['analyst', 'crm']) {
      const principal = `arn:aws:iam::123456789012:role/${role}`;
      const got = (listed.PrincipalResourcePermissions ?? [])
        .filter((p) => p.Principal?.DataLakePrincipalIdentifier === principal)
        .map((p) => ({ resourceType: p.Resource!.LFTagPolicy!.ResourceType!, expression: sortedPairs(p.Resource!.LFTagPolicy!.Expression), permissions: [...(p.Permissions ?? [])].sort() }))
        .sort((a, b) => a.resourceType.localeCompare(b.resourceType));
      const want = derived.grants
        .filter((g) => g.principal === principal)
        .map((g) => ({ resourceType: g.resourceType, expression: [...g.expression].sort((a, b) => a.key.localeCompare(b.key)), permissions: [...g.permissions].sort() }))
        .sort((a, b) => a.resourceType.localeCompare(b.resourceType));
      expect(got).toEqual(want);
    }
    // By hand: the analyst's tables let through unclassified and sensitive columns only (pii masked, restricted omitted).
    const analyst = derived.grants.find((g) => g.role === 'analyst' && g.resourceType === 'TABLE')!;
    expect(analyst.expression).toEqual([
      { key: 'etl_role_analyst', values: ['read'] },
      { key: 'classification', values: ['none', 'sensitive'] },
    ]);

    // IAM: each principal's read policy as derived.
    for (const p of derived.policies) {
      const got = await iam.send(new GetRolePolicyCommand({ RoleName: p.roleName, PolicyName: p.policyName }));
      expect(JSON.parse(decodeURIComponent(got.PolicyDocument!))).toEqual(p.document);
    }
    const crm = derived.policies.find((p) => p.role === 'crm')!.document as { Statement: Array<{ Sid: string; Resource: string[] }> };
    expect(crm.Statement.find((s) => s.Sid === 'ReadLayerObjects')!.Resource).toEqual(['arn:aws:s3:::company-lakehouse/bronze/*', 'arn:aws:s3:::company-lakehouse/silver/*']);
  }, 300_000);
});
