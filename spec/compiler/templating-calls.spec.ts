/**
 * Template calls checked where they are written (fixture templating-calls): a mismatched closing
 * block at that tag, extra arguments to built-ins and TypeScript helpers at the first extra one,
 * and vars read as own properties only (`constructor`, `__proto__`, `toString` are unknown vars).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFixture, fixture } from './helpers.js';

describe('template calls are checked at the place they are written', async () => {
  const r = await compileFixture('templating-calls');
  const at = (file: string) => r.diagnostics.filter((d) => d.file === `models/silver/${file}`).map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);

  it('a mismatched closing block: at the {{/each}}, naming the block it should close', () => {
    expect(at('mismatch.sql')).toEqual(['5:1 ETL130 Template syntax error: {{/each}} closes {{#if}}, which needs {{/if}}']);
    expect(r.diagnostics.find((d) => d.file === 'models/silver/mismatch.sql')?.frame).toContain('> 5 | {{/each}}');
  });

  it('an extra argument to a built-in or a TypeScript helper: at that argument', () => {
    expect(at('extra_args.sql')).toEqual([
      '1:10 ETL131 config takes no arguments; this one is extra and would be ignored',
      '2:31 ETL144 clean_key takes 1 argument; this one is extra and would be ignored',
      '3:19 ETL131 ref takes 1 argument; this one is extra and would be ignored',
      '4:34 ETL131 source takes 2 arguments; this one is extra and would be ignored',
      '5:51 ETL131 var takes 2 arguments; this one is extra and would be ignored',
      '6:48 ETL131 quote_list takes 1 argument; this one is extra and would be ignored',
      '7:19 ETL131 is_incremental takes no arguments; this one is extra and would be ignored',
    ]);
  });

  it('an extra argument to a partial: at that argument (Handlebars refuses it too)', () => {
    expect(at('partial_extra.sql')).toEqual(["3:23 ETL130 Partial 'where_clause' takes one context argument (and key=value pairs); this one is extra"]);
  });

  it('a helper with a default parameter is not held to its `length`; calls within arity compile', () => {
    expect(r.manifest.models['model.calls_ok']?.compiledSql).toBe('SELECT order_id AS id, trim(customer_id) AS c\nFROM silver.base');
  });

  it('vars are own properties: {{var "constructor"}} is an unknown var, not function Object()', () => {
    expect(at('proto_vars.sql')).toEqual(["1:18 ETL142 Unknown var 'constructor'", "1:46 ETL142 Unknown var '__proto__'", "2:3 ETL142 Unknown var 'toString'"]);
  });

  it('in a TypeScript model too: ctx.varValue("constructor") is an unknown var', () => {
    const d = r.diagnostics.filter((x) => x.file === 'models/silver/ts_proto_var.ts');
    expect(d.map((x) => `${x.code} ${x.message} line ${x.line}`)).toEqual(["ETL142 Unknown var 'constructor' line 5"]);
    // At `sql:` (where TypeScript-model render problems point), or at the call itself.
    const line = readFileSync(fixture('templating-calls/models/silver/ts_proto_var.ts'), 'utf8').split('\n')[4]!;
    expect([line.indexOf('sql:') + 1, line.indexOf('ctx.varValue') + 1]).toContain(d[0]!.column);
  });

  it('nothing else is reported', () => {
    expect(r.diagnostics).toHaveLength(13);
  });
});
