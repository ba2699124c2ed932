/**
 * Per-role views on local Spark (`etl grants apply --target local`, through the function the command
 * calls, on the run's shared Spark): a fixture project built, each role's views hold exactly its
 * visible and masked columns; hashed values are the salted sha2 of the raw ones, never the raw ones;
 * `null`-masked columns read NULL; omitted columns are absent.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectGrants } from '../../compiler/governance/grants-artifact.js';
import { applyLocalGrants } from '../../runtime/governance/grants/apply-local.js';
import { fixture, meta, type Fixture } from '../spark/helpers.js';
import { sharedSpark, type SharedSpark } from '../spark/shared-spark.js';

let spark: SharedSpark | undefined;
let project: Fixture;

beforeAll(async () => {
  spark = await sharedSpark();
  project = fixture('../../governance/fixtures/roles-views', 'roles-views');
}, 400_000);

afterAll(async () => {
  await spark?.release();
});

const customer = (customer_id: string, email: string, birth_date: string, salary: string, segment: string, tier: string) => ({ ...meta('2026-01-05T06:00:00Z'), customer_id, email, birth_date, salary, segment, tier });
const sha = (s: string) => createHash('sha256').update(`pepper-1${s}`).digest('hex');
const rows = async (query: string) => (await spark!.sql.query(query)).rows;
const columnsOf = async (relation: string) => (await rows(`DESCRIBE ${relation}`)).map((r) => String(r.col_name)).filter((c) => c && !c.startsWith('#'));

describe('per-role views on Spark', () => {
  it('each role sees exactly its visible and masked columns; masked values are not the raw ones', async () => {
    await project.land('source.crm.customers', '2026-01-05', [
      customer('C1', 'ann@example.com', '1980-02-03', '52000.00', 'vip', 'gold'),
      customer('C2', 'bob@example.com', '1975-07-08', '61000.50', 'standard', 'silver'),
    ]);
    expect((await project.build(spark!.engine)).results.success).toBe(true);
    const { manifest } = await project.compile();
    const applied = await applyLocalGrants({ projectDir: project.dir, manifest, grants: projectGrants(project.dir, manifest), spark: spark!.engine });
    expect(applied.databases).toEqual(['analyst_views', 'viewer_views']);
    expect(applied.views).toEqual(['analyst_views.stg_customers', 'viewer_views.stg_customers']);

    // analyst: pii hashed (strings) or NULL (the date), salary in clear, the restricted segment omitted.
    expect(await columnsOf('analyst_views.stg_customers')).toEqual(['customer_id', 'email', 'birth_date', 'salary', 'tier']);
    const analyst = await rows('SELECT customer_id, email, birth_date, CAST(salary AS STRING) AS salary, tier FROM analyst_views.stg_customers ORDER BY tier');
    expect(analyst).toEqual([
      { customer_id: sha('C1'), email: sha('ann@example.com'), birth_date: null, salary: '52000.00', tier: 'gold' },
      { customer_id: sha('C2'), email: sha('bob@example.com'), birth_date: null, salary: '61000.50', tier: 'silver' },
    ]);
    expect(analyst.map((r) => r.email)).not.toContain('ann@example.com');

    // viewer: pii omitted; sensitive and restricted masked as NULL; tier in clear.
    expect(await columnsOf('viewer_views.stg_customers')).toEqual(['salary', 'segment', 'tier']);
    expect(await rows('SELECT salary, segment, tier FROM viewer_views.stg_customers ORDER BY tier')).toEqual([
      { salary: null, segment: null, tier: 'gold' },
      { salary: null, segment: null, tier: 'silver' },
    ]);
  }, 600_000);
});
