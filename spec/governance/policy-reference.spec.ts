/**
 * The reference project (repository root) under its governance policy: gold PII masked or declared,
 * and removing one mask from a copy of it gives the located error.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { repoRoot } from '../compiler/helpers.js';
import { PROJECT_PARTS } from '../../compiler/cache/input-stamp.js';

const governance = (code: string) => /^ETL3[01]\d$/.test(code);
const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** The project's own files (not the tool's) copied to a temporary directory. */
function copyReferenceProject(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'etl-governance-reference-'));
  copies.push(dir);
  for (const entry of PROJECT_PARTS) {
    if (existsSync(path.join(repoRoot, entry))) cpSync(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true });
  }
  return dir;
}

describe('the reference project under its governance policy', () => {
  it('compiles with no governance diagnostic: every gold PII column is masked or declared', async () => {
    const r = await compileProject({ projectDir: repoRoot });
    expect(r.diagnostics.filter((d) => governance(d.code)).map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([]);
    const gold = Object.values(r.manifest.models).filter((m) => m.layer === 'gold');
    // Every gold column still carrying pii is covered by an exposure with a reason.
    for (const m of gold) {
      for (const c of m.columns.filter((x) => x.classification.includes('pii'))) {
        const exposure = m.governance?.exposures.find((e) => e.classification === 'pii' && (e.column === undefined || e.column === c.name));
        expect(exposure?.reason, `${m.name}.${c.name}`).toBeTruthy();
      }
    }
    const col = (model: string, name: string) => r.manifest.models[`model.${model}`]!.columns.find((c) => c.name === name)!;
    // Keys are salted hashes, the same in dimension and facts, so joins between them still hold.
    for (const [model, name] of [['dim_customer', 'customer_id'], ['fct_orders', 'customer_id'], ['fct_financial_transactions', 'customer_id'], ['fct_user_events', 'user_id'], ['mart_customer_360', 'lead_id']] as const) {
      expect(col(model, name), `${model}.${name}`).toMatchObject({ classification: expect.arrayContaining(['pseudonymised']), masks: ['hash'] });
      expect(col(model, name).classification).not.toContain('pii');
    }
    expect(r.manifest.governance?.declassifications.map((d) => `${d.model}.${d.column} ${d.removed.join(',')}`)).toEqual(['model.dim_account.billing_city pii']);
    expect(r.manifest.governance?.exposures.map((e) => `${e.model}${e.column ? `.${e.column}` : ''} ${e.classification}`)).toEqual([
      'model.dim_account sensitive',
      'model.dim_customer.customer_name pii',
      'model.dim_customer.customer_email pii',
      'model.dim_customer.shipping_address pii',
      'model.dim_product sensitive',
      'model.mart_customer_360.customer_name pii',
      'model.mart_customer_360.customer_email pii',
    ]);
  });

  it('removing one mask from a copy gives ETL300 at the column in the model file', async () => {
    const dir = copyReferenceProject();
    const file = path.join(dir, 'models/gold/facts/fct_financial_transactions.sql');
    const text = readFileSync(file, 'utf8');
    const masked = '  {{mask_hash "t.customer_id"}} AS customer_id,\n';
    expect(text).toContain(masked);
    writeFileSync(file, text.replace(masked, '  t.customer_id,\n'));
    const r = await compileProject({ projectDir: dir });
    const line = text.slice(0, text.indexOf(masked)).split('\n').length;
    expect(r.diagnostics.filter((d) => governance(d.code)).map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([
      `ETL300 models/gold/facts/fct_financial_transactions.sql:${line}:3 Column 'customer_id' of model fct_financial_transactions exposes pii (from stg_financial_transactions.customer_id), which the policy (folder:models/gold/facts) does not allow unmasked`,
    ]);
    expect(r.ok).toBe(false);
  });
});
