/**
 * Each mask's emitted SQL runs on a real Spark and gives the value it promises: the masks fixture
 * (spec/governance/fixtures/masks-spark, local layers) built from two landed rows, its gold views read back.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SparkEngine } from '../../runtime/engines/spark/engine.js';
import { byId, fixture, meta } from '../spark/helpers.js';
import { sharedSpark, type SharedSpark } from '../spark/shared-spark.js';

let spark: SharedSpark | undefined;
let engine: SparkEngine;

beforeAll(async () => {
  spark = await sharedSpark();
  engine = spark.engine;
}, 400_000);

afterAll(async () => {
  await spark?.release();
});

const AT = '2026-01-05T06:00:00Z';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const sha512 = (s: string) => createHash('sha512').update(s).digest('hex');

describe('masks on Spark', () => {
  it('hash, e-mail domain, partial redaction, date and amount generalisation give the promised values', async () => {
    // fixture() resolves names under spec/spark/fixtures: this one is the governance masks fixture.
    const project = fixture('../../governance/fixtures/masks-spark', 'governance-masks');
    await project.land('source.crm.customers', '2026-01-05', [
      { ...meta(AT), customer_id: 'C1', email: 'ana@example.com', phone: '5551234567', birth_date: '1990-05-17', salary: '12345.67', segment: 'vip', tier: 'gold' },
      { ...meta(AT), customer_id: 'C2', email: null, phone: '12', birth_date: '1985-12-31', salary: '499.00', segment: 'std', tier: 'silver' },
    ]);
    const { results } = await project.build(engine);
    const r = byId(results);
    const statuses = JSON.stringify(results.results.map((x) => [x.id, x.status, x.message]));
    for (const id of ['model.stg_customers', 'model.masked_customers', 'model.by_hand']) expect(r.get(id)?.status, `${id} ${statuses}`).toBe('success');

    const masked = await spark!.sql.query('SELECT * FROM gold.masked_customers ORDER BY tier');
    expect(masked.rows.map((row) => ({ ...row, birth_year: String(row.birth_year), salary_band: Number(row.salary_band) }))).toEqual([
      { customer_key: sha256('C1s3cr3t'), email_domain: 'example.com', phone_last4: '******4567', birth_year: '1990-01-01', salary_band: 12000, segment: 'vip', tier: 'gold' },
      // NULL stays NULL; a value no longer than what is kept is not redacted; rounding to thousands.
      { customer_key: sha256('C2s3cr3t'), email_domain: null, phone_last4: '12', birth_year: '1985-01-01', salary_band: 0, segment: 'std', tier: 'silver' },
    ]);
    const byHand = await spark!.sql.query("SELECT email_key, CAST(birth_year AS STRING) AS birth_year, salary_band, email_domain, phone_tail FROM gold.by_hand WHERE email_domain <> 'unknown'");
    expect(byHand.rows.map((row) => ({ ...row, salary_band: Number(row.salary_band) }))).toEqual([
      { email_key: sha512('ana@example.compepper'), birth_year: '1990-01-01 00:00:00', salary_band: 12000, email_domain: 'example.com', phone_tail: '********67' },
    ]);
  }, 400_000);
});
