/**
 * The Handlebars stage on its own (compileTemplate's position map) and, through the pipeline,
 * positions of mistakes that sit in partial output, {{else}} branches, the incremental form and
 * TypeScript models (fixture template-positions).
 */
import Handlebars from 'handlebars';
import { typeScriptSqlMapper } from '../../compiler/resolve/ts-sql-positions.js';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../compiler/resolve/template.js';
import { compileFixture, plain } from './helpers.js';

/** 1-based line/column of the first `needle` in `text`. */
function at(text: string, needle: string): { line: number; column: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in ${text}`);
  const before = text.slice(0, i);
  return { line: before.split('\n').length, column: i - before.lastIndexOf('\n') };
}

describe('compileTemplate position map', () => {
  const env = Handlebars.create();
  env.registerHelper('long', () => 'coalesce(nullif(trim(x), \'\'), \'-\')');
  env.registerHelper('lines', () => 'a,\n  b,\n  c');
  env.registerPartial('two', 'p1,\np2');

  const cases: Array<[string, string, string]> = [
    ['verbatim text maps 1:1', 'SELECT a,\n  bad\nFROM t', 'bad'],
    ['after a helper on the same line', 'SELECT {{long}} AS k, bad FROM t', 'bad'],
    ['after a multi-line helper output', 'SELECT {{lines}}, bad\nFROM t', 'bad'],
    ['after a comment spanning lines', '{{!-- one\n two --}}SELECT\n  bad', 'bad'],
    ['after a standalone block rendered empty', 'SELECT a\n{{#if no}}\nWHERE x\n{{/if}}\nFROM bad', 'bad'],
    ['inside a rendered block', 'SELECT a\n{{#if yes}}\nWHERE bad\n{{/if}}', 'bad'],
    ['after a partial', 'SELECT {{> two}}, bad', 'bad'],
    ['after whitespace control', 'SELECT a,   {{~long~}}   , bad', 'bad'],
  ];
  for (const [what, source, needle] of cases) {
    it(what, () => {
      const out = compileTemplate(env, source).render({ yes: true });
      const rendered = at(out.text, needle);
      expect(out.toTemplate(rendered.line, rendered.column)).toEqual(at(source, needle));
    });
  }

  it('text printed by a helper maps to the helper call', () => {
    const source = 'SELECT\n  x, {{long}} AS k';
    const out = compileTemplate(env, source).render({});
    const inHelper = at(out.text, 'trim');
    expect(out.toTemplate(inHelper.line, inHelper.column)).toEqual({ line: 2, column: 6 });
  });

  it('reads {{config}} calls statically, with their position', () => {
    const t = compileTemplate(env, '-- c\n{{config materialized="table" unique_key="id"}}\nSELECT 1');
    expect(t.configCalls).toEqual([{ hash: { materialized: 'table', unique_key: 'id' }, line: 2, column: 1 }]);
  });
});

describe('typeScriptSqlMapper', () => {
  const file = ['const a = 1;', 'export default defineModel({', '  sql: () => `SELECT x,', '  ${"y"} AS z, w', 'FROM t`,', '});'].join('\n');
  const offset = file.indexOf('sql');

  it('maps static text exactly, an interpolated name to where the file quotes it, else to its ${', () => {
    const map = typeScriptSqlMapper(file, offset, 'SELECT x,\n  y AS z, w\nFROM t')!;
    expect(map(1, 8)).toEqual({ line: 3, column: 22 });
    expect(map(2, 3)).toEqual({ line: 4, column: 6 });
    expect(typeScriptSqlMapper(file.replace('"y"', 'String(7)'), offset, 'SELECT x,\n  7 AS z, w\nFROM t')!(2, 3)).toEqual({ line: 4, column: 3 });
    expect(map(2, 11)).toEqual({ line: 4, column: 16 });
    expect(map(3, 6)).toEqual({ line: 5, column: 6 });
  });

  it('gives up when no literal produced the SQL (the caller then points at sql:)', () => {
    expect(typeScriptSqlMapper(file, offset, 'SELECT q FROM t')).toBeUndefined();
    expect(typeScriptSqlMapper("sql: () => 'SELECT ' + 'x'", 0, 'SELECT x')).toBeUndefined();
  });
});

describe('positions through the pipeline (fixture template-positions)', () => {
  it('every mistake is reported in the user file, at the construct that produced it', async () => {
    const r = await compileFixture('template-positions');
    // The wording of the incremental-form message is in flux; its code, place and parser text are not.
    const lines = plain(r.diagnostics).map((d) =>
      `${d.file}:${d.line}:${d.column} ${d.code} ${d.code === 'ETL164' && /incremental form/.test(d.message) ? `(incremental form) ${/Expected: [^()]*?(?= \(in model|$)/.exec(d.message)?.[0]}` : d.message}`,
    );
    expect(lines).toEqual([
      // Inside a partial's output: in the partial's own file (the calling model is a related location).
      "macros/pick.hbs:3:3 ETL161 Unknown column 'amont'",
      // In TypeScript models, problems in the SQL point into the template literal that produced it.
      "models/gold/ts_bad.ts:8:30 ETL161 Unknown column 'amout' (in model ts_bad)",
      // A table named in the SQL rather than reached through ref/source: at the interpolation that printed it.
      "models/gold/ts_bad.ts:8:41 ETL171 Table 'bronze.shop_orders' is read by its name, not through ref or source (in model ts_bad)",
      "models/gold/ts_multiline.ts:12:18 ETL161 Unknown column 'amont' (in model ts_multiline)",
      "models/gold/ts_multiline.ts:13:6 ETL171 Table 'bronze.shop_orders' is read by its name, not through ref or source (in model ts_multiline)",
      // In the {{else}} branch of {{#is_incremental}} (the full-refresh form).
      "models/silver/else_branch.sql:7:7 ETL161 Unknown column 'order_dte' (in model else_branch)",
      // Only in the incremental form.
      'models/silver/inc_syntax.sql:5:13 ETL164 (incremental form) Expected: end of statement, found: order_date',
      "models/silver/unknown_helper.sql:2:3 ETL130 Unknown helper 'upper_case'",
    ]);
    expect(r.diagnostics.find((d) => d.code === 'ETL171')?.hint).toMatch(/^Write source\('shop', 'orders'\) instead/);
  });

  it('a literal mustache ({{"x"}}, a context lookup in Handlebars) does not crash the compile', async () => {
    const r = await compileFixture('template-literal-mustache');
    expect(plain(r.diagnostics).map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(['models/silver/unknown_ref.sql:1:22 ETL140']);
    expect(r.manifest.models['model.literal']?.compiledSql).toBe('SELECT order_id\nFROM bronze.shop_orders');
  });
});
