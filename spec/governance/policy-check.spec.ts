/**
 * The classification policy (governance.policy) through the real compile: violations at the column
 * in the SQL or TypeScript model file, declared exposures and declassifications recorded in the
 * manifest with their reasons and places, broken declarations located, and the policy's rules.
 */
import { describe, expect, it } from 'vitest';
import { compileProject, type CompileResult } from '../../compiler/index.js';
import { plain } from '../compiler/helpers.js';
import { fixture } from './policy-helpers.js';

const compile = (name: string): Promise<CompileResult> => compileProject({ projectDir: fixture(name) });
const located = (r: CompileResult) => plain(r.diagnostics).map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`);

describe('governance policy', () => {
  it('ETL300: a forbidden classification reaching a gold column, at the select item of the SQL model and the column of the TypeScript model', async () => {
    const r = await compile('policy-violations');
    expect(r.ok).toBe(false);
    expect(located(r)).toEqual([
      "ETL300 models/gold/contact_cards.ts:8:7 Column 'phone_number' of model contact_cards exposes pii (from stg_customers.phone), which the policy (layer:gold) does not allow unmasked",
      "ETL300 models/gold/raw_contacts.sql:3:3 Column 'customer_id' of model raw_contacts exposes pii (from stg_customers.customer_id), which the policy (layer:gold) does not allow unmasked",
      "ETL300 models/gold/raw_contacts.sql:4:3 Column 'email' of model raw_contacts exposes pii (from stg_customers.email), which the policy (layer:gold) does not allow unmasked",
      // sha2 without a salt is no mask: a dictionary of e-mails reverses it.
      "ETL300 models/gold/raw_contacts.sql:5:3 Column 'email_hash' of model raw_contacts exposes pii (from stg_customers.email), which the policy (layer:gold) does not allow unmasked",
      "ETL300 models/gold/raw_contacts.sql:7:3 Column 'salary' of model raw_contacts exposes sensitive (from stg_customers.salary), which the policy (layer:gold) does not allow unmasked",
    ]);
    const email = r.diagnostics.find((d) => d.message.includes("'email' of"))!;
    expect(email.severity).toBe('error');
    expect(email.hint).toContain('{{mask_hash "col"}}');
    expect(email.hint).toContain("exposes: { pii: 'why' }");
    expect(email.frame).toContain('> 4 |   lower(email) AS email');
    // Silver may hold PII: nothing reported there; the masked phone is fine in gold.
    const gold = r.manifest.models['model.raw_contacts']!;
    expect(gold.governance).toEqual({ allowed: ['restricted'], rule: 'layer:gold', exposures: [], declassifications: [] });
    expect(gold.columns.find((c) => c.name === 'phone_key')).toMatchObject({ classification: ['pseudonymised'], masks: ['hash'] });
  });

  it('exposes (model-wide in {{config}} and a TS config, per column in columns:) and declassify (sidecar) are recorded with reason and place, and satisfy the policy', async () => {
    const r = await compile('policy-declarations');
    expect(located(r)).toEqual([]);
    expect(r.manifest.governance).toEqual({
      policy: { layers: { silver: ['pii', 'sensitive', 'restricted'], gold: ['restricted'] }, folders: {}, tags: {} },
      exposures: [
        { model: 'model.payroll', classification: 'sensitive', reason: 'Payroll report for HR', at: { file: 'models/gold/payroll.ts', line: 4, column: 47 } },
        { model: 'model.payroll', column: 'phone', classification: 'pii', reason: 'HR calls employees', at: { file: 'models/gold/payroll.ts', line: 6, column: 25 } },
        { model: 'model.support_contacts', classification: 'pii', reason: 'Support calls customers back', at: { file: 'models/gold/support_contacts.sql', line: 1, column: 45 } },
      ],
      declassifications: [
        {
          model: 'model.customer_keys',
          column: 'customer_id',
          removed: ['pii'],
          reason: 'Opaque CRM record id; the name and e-mail stay in silver',
          at: { file: 'models/gold/customer_keys.yml', line: 4, column: 5 },
        },
      ],
    });
    // Declassified here, unclassified downstream too (the analysis carries it to customer_tiers).
    const keys = r.manifest.models['model.customer_keys']!;
    expect(keys.columns.find((c) => c.name === 'customer_id')!.classification).toEqual([]);
    expect(r.manifest.models['model.customer_tiers']!.columns.find((c) => c.name === 'customer_id')!.classification).toEqual([]);
    // An exposure does not change the classification: the column still shows what it is.
    expect(r.manifest.models['model.support_contacts']!.columns.find((c) => c.name === 'email')!.classification).toEqual(['pii']);
  });

  it('ETL301 a missing reason, ETL302 an unknown classification, ETL303 a declassified column the model lacks, each at its declaration', async () => {
    const r = await compile('policy-bad-declarations');
    expect(plain(r.diagnostics).filter((d) => d.code !== 'ETL300').map((d) => [d.code, `${d.file}:${d.line}:${d.column}`, d.message, d.hint])).toEqual([
      ['ETL302', 'models/gold/bad_class.yml:3:5', "Unknown classification 'pi' in exposes of model bad_class", "Did you mean 'pii'?"],
      ['ETL303', 'models/gold/bad_column.ts:4:27', "declassify names column 'customer_key', which model bad_column does not select", "Did you mean 'customer_id'?"],
      ['ETL301', 'models/gold/no_reason.sql:1:45', 'exposes pii in model no_reason has no reason', "Say why, e.g. pii: 'Support looks customers up by e-mail': the reason is listed in the manifest and the docs."],
    ]);
    // An invalid declaration declares nothing: the columns it meant to cover are still violations.
    expect(located(r).filter((d) => d.startsWith('ETL300')).map((d) => d.split(' ')[1])).toEqual([
      'models/gold/bad_class.sql:1:8',
      'models/gold/bad_column.ts:6:12',
      'models/gold/no_reason.sql:2:8',
    ]);
  });

  it('the most specific rule wins: a tag over a folder over the layer', async () => {
    const r = await compile('policy-rules');
    expect(located(r)).toEqual([
      "ETL300 models/gold/marts/by_folder.sql:1:15 Column 'salary' of model by_folder exposes sensitive (from stg_customers.salary), which the policy (folder:models/gold/marts) does not allow unmasked",
    ]);
    const rule = (m: string) => r.manifest.models[`model.${m}`]!.governance;
    expect(rule('by_layer')).toMatchObject({ allowed: ['restricted'], rule: 'layer:gold' });
    expect(rule('by_folder')).toMatchObject({ allowed: ['pii', 'restricted'], rule: 'folder:models/gold/marts' });
    expect(rule('by_tag')).toMatchObject({ allowed: ['pii', 'restricted', 'sensitive'], rule: 'tag:hr' });
  });

  it('ETL102: a classification the policy does not know, at its place in project.yaml', async () => {
    const r = await compile('policy-bad-yaml');
    const d = plain(r.diagnostics).find((x) => x.file === 'project.yaml')!;
    expect([d.code, d.line, d.column]).toEqual(['ETL102', 11, 26]);
    expect(d.message).toContain("governance.policy.layers.gold.1");
  });
});
