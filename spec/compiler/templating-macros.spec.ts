/**
 * Faults inside macros (fixture templating-macros): each is one diagnostic in the macro's own file,
 * at the fault, with every call that reached it as a related location, however many models call it.
 */
import { describe, expect, it } from 'vitest';
import { compileFixture } from './helpers.js';

describe('faults inside macros are reported once, in the macro file', async () => {
  const r = await compileFixture('templating-macros');
  const located = (file: string) => r.diagnostics.filter((d) => d.file === file);

  it('no diagnostic lands in a calling model or test', () => {
    expect(r.diagnostics.filter((d) => d.file?.startsWith('models/') || d.file?.startsWith('tests/'))).toEqual([]);
    expect(r.diagnostics).toHaveLength(5);
  });

  it('an unknown var inside a partial: at the var, with each calling model (and the partial it went through)', () => {
    const [d, ...more] = located('macros/recent.hbs');
    expect(more).toEqual([]);
    expect(d).toMatchObject({ code: 'ETL142', severity: 'error', line: 1, column: 21, message: "Unknown var 'min_dat'" });
    expect(d!.frame).toContain('> 1 | WHERE order_date >= {{var "min_dat"}}');
    expect(d!.related).toEqual([
      { file: 'models/silver/recent_a.sql', line: 3, column: 1, message: 'called from recent_a' },
      { file: 'models/silver/recent_b.sql', line: 4, column: 3, message: 'called from recent_b' },
      { file: 'models/silver/recent_c.sql', line: 3, column: 1, message: 'called from recent_c' },
      { file: 'macros/outer.hbs', line: 2, column: 1, message: 'through macros/outer.hbs' },
      // A singular test calling the partial is one more caller, not one more diagnostic.
      { file: 'tests/no_recent_orders.sql', line: 3, column: 1, message: 'called from no_recent_orders' },
    ]);
  });

  it('an unclosed block inside a partial: ETL130 at the {{#if}}, with the model that calls it', () => {
    expect(located('macros/broken.hbs')).toMatchObject([
      {
        code: 'ETL130',
        line: 2,
        column: 1,
        message: 'Template syntax error: {{#if}} is never closed (no {{/if}} before the end of the file)',
        related: [{ file: 'models/silver/uses_broken.sql', line: 2, column: 1, message: 'called from uses_broken' }],
      },
    ]);
  });

  it('a TypeScript helper that throws: at the throw in the helper file, with each call', () => {
    expect(located('macros/keys.ts')).toMatchObject([
      {
        code: 'ETL144',
        line: 4,
        column: 11,
        message: 'Macro safe_key failed: no column may be called bad',
        related: [
          { file: 'models/silver/key_a.sql', line: 1, column: 8, message: 'called from key_a' },
          { file: 'models/silver/key_b.sql', line: 2, column: 3, message: 'called from key_b' },
        ],
      },
    ]);
  });

  it('an unknown helper inside a partial: ETL130 at the call in the partial, once for both models', () => {
    expect(located('macros/shout.hbs')).toMatchObject([
      {
        code: 'ETL130',
        line: 2,
        column: 3,
        message: "Unknown helper 'upper_case'",
        related: [
          { file: 'models/silver/shout_a.sql', line: 3, column: 1, message: 'called from shout_a' },
          { file: 'models/silver/shout_b.sql', line: 3, column: 1, message: 'called from shout_b' },
        ],
      },
    ]);
  });

  it('a SQL mistake in the text a partial writes: in the partial, once, with both models', () => {
    expect(located('macros/pick_cols.hbs')).toMatchObject([
      {
        code: 'ETL161',
        line: 2,
        column: 3,
        message: "Unknown column 'amont'",
        related: [
          { file: 'models/silver/pick_a.sql', line: 2, column: 1, message: 'called from pick_a' },
          { file: 'models/silver/pick_b.sql', line: 3, column: 1, message: 'called from pick_b' },
        ],
      },
    ]);
  });

  it('models that call the macros correctly compile', () => {
    expect(r.manifest.models['model.key_ok']?.compiledSql).toBe('SELECT trim(order_id) AS k\nFROM bronze.shop_orders');
  });
});
