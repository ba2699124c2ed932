/**
 * Masks through the real compile: what each `{{mask_*}}` helper renders, how each mask changes the
 * classification of the column (pii -> pseudonymised; generalisations drop sensitive; restricted
 * stays), masks written by hand in the same shape, masks inside other calls, what carries downstream,
 * shapes that are not masks, and helper misuse located at the call.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileProject, type CompileResult } from '../../compiler/index.js';
import { plain } from '../compiler/helpers.js';
import { fixture } from './policy-helpers.js';

let r: CompileResult;
beforeAll(async () => {
  r = await compileProject({ projectDir: fixture('policy-masks') });
});

const columns = (model: string) =>
  Object.fromEntries(r.manifest.models[`model.${model}`]!.columns.map((c) => [c.name, { classification: c.classification, masks: c.masks ?? [] }]));

describe('masks', () => {
  it('compiles clean: every gold column is masked or allowed', () => {
    expect(plain(r.diagnostics)).toEqual([]);
  });

  it('each helper renders its Spark SQL, salted with the mask_salt var', () => {
    expect(r.manifest.models['model.masked_customers']!.compiledSql).toBe(
      [
        'SELECT',
        "  sha2(concat(customer_id, 's3cr3t'), 256) AS customer_key,",
        "  substring_index(email, '@', -1) AS email_domain,",
        "  regexp_replace(phone, '.(?=.{4})', '*') AS phone_last4,",
        "  trunc(birth_date, 'YEAR') AS birth_year,",
        '  round(salary, -3) AS salary_band,',
        '  segment,',
        '  tier',
        'FROM silver.stg_customers',
      ].join('\n'),
    );
  });

  it('each mask changes the classification by its rule, and is named on the column', () => {
    expect(columns('masked_customers')).toEqual({
      customer_key: { classification: ['pseudonymised'], masks: ['hash'] },
      email_domain: { classification: ['pseudonymised'], masks: ['email_domain'] },
      phone_last4: { classification: ['pseudonymised'], masks: ['partial'] },
      birth_year: { classification: ['pseudonymised'], masks: ['date'] },
      // sensitive -> nothing: a rounded amount is a band, not the amount.
      salary_band: { classification: [], masks: ['amount'] },
      segment: { classification: ['restricted'], masks: [] },
      tier: { classification: [], masks: [] },
    });
  });

  it('recognises the shapes written by hand and masks inside other calls (coalesce, CAST)', () => {
    expect(columns('by_hand')).toEqual({
      email_key: { classification: ['pseudonymised'], masks: ['hash'] },
      birth_year: { classification: ['pseudonymised'], masks: ['date'] },
      salary_band: { classification: [], masks: ['amount'] },
      email_domain: { classification: ['pseudonymised'], masks: ['email_domain'] },
      phone_tail: { classification: ['pseudonymised'], masks: ['partial'] },
    });
  });

  it('a masked column keeps its classification and its mask downstream', () => {
    expect(columns('masked_downstream')).toEqual({
      customer_key: { classification: ['pseudonymised'], masks: ['hash'] },
      salary_band: { classification: [], masks: ['amount'] },
      segment: { classification: ['restricted'], masks: [] },
    });
  });

  it('an unsalted hash, a hash salted with a column, a positive rounding, the local part and a day truncation are not masks', () => {
    expect(columns('not_masks')).toEqual({
      unsalted: { classification: ['pii'], masks: [] },
      no_literal_salt: { classification: ['pii'], masks: [] },
      rounded: { classification: ['sensitive'], masks: [] },
      local_part: { classification: ['pii'], masks: [] },
      same_day: { classification: ['pii'], masks: [] },
      // Whether a value is there is not the value.
      has_no_email: { classification: [], masks: [] },
    });
  });

  it('ETL304 a wrong mask argument and ETL305 a hash without its salt var, at the call', async () => {
    const bad = await compileProject({ projectDir: fixture('masks-bad-args') });
    expect(plain(bad.diagnostics).map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([
      "ETL305 models/silver/bad_masks.sql:2:3 mask_hash needs the salt var 'mask_salt' (a non-empty string); it is not defined",
      'ETL304 models/silver/bad_masks.sql:3:3 mask_partial keeps a number of trailing characters (0 to 64), got "x"',
      'ETL304 models/silver/bad_masks.sql:4:3 mask_date truncates to month, year, quarter, got "week"',
      'ETL304 models/silver/bad_masks.sql:5:3 mask_amount rounds to a power of ten (10, 100, 1000, ...), got 250',
      'ETL304 models/silver/bad_masks.sql:6:3 mask_email_domain needs the column to mask as a quoted string, got nothing',
    ]);
    expect(bad.ok).toBe(false);
  });
});
