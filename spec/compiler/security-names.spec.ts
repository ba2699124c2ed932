/**
 * Names that become SQL or paths are validated (issue 11, item 2): each case is the finding's input,
 * compiled from a fixture copied to a temp dir, and must be a located ETL190/ETL153 diagnostic.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { plain } from './helpers.js';
import { ORDERS_TABLE, projectCopy, shopSource } from './security-fixture.js';

const AUTH = "{ kind: 'password', username: env('SF_USER'), password: env('SF_PASSWORD') }";
const compile = (dir: string) => compileProject({ projectDir: dir });
const brief = (r: Awaited<ReturnType<typeof compile>>) => plain(r.diagnostics).map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`);

describe('names that become SQL or paths', () => {
  it('a model file name that is SQL, or "..", is ETL190 at the file, and no model is made of it (the others still compile)', async () => {
    const dir = projectCopy('unknown-var', {
      'models/silver/recent_orders.sql': null,
      'models/silver/t AS SELECT 1; DROP TABLE silver.stg_orders; --.sql': 'SELECT order_id FROM {{source "shop" "orders"}}\n',
      'models/silver/...sql': 'SELECT 1 AS x\n',
      'models/silver/ok_model.sql': 'SELECT order_id FROM {{source "shop" "orders"}}\n',
    });
    const r = await compile(dir);
    expect(brief(r)).toEqual([
      "ETL190 models/silver/...sql:1:1 Model file models/silver/...sql: '..' is not a valid name: use letters, digits and _, not starting with a digit",
      "ETL190 models/silver/t AS SELECT 1; DROP TABLE silver.stg_orders; --.sql:1:1 Model file models/silver/t AS SELECT 1; DROP TABLE silver.stg_orders; --.sql: 't AS SELECT 1; DROP TABLE silver.stg_orders; --' is not a valid name: use letters, digits and _, not starting with a digit",
    ]);
    expect(r.diagnostics.find((d) => d.file?.startsWith('models/silver/t AS'))!.hint).toContain('rename the file, e.g. to t_AS_SELECT_1_DROP_TABLE_silver_stg_orders.sql');
    expect(Object.keys(r.manifest.models)).toEqual(['model.ok_model']);
  });

  it('a source table key with ../ is ETL190 at the key (nothing would be written outside target/)', async () => {
    const tables = `    '../../../project': {\n      columns: { id: t.string() },\n    },\n${ORDERS_TABLE}`;
    const dir = projectCopy('unknown-var', { 'sources/shop.ts': shopSource(AUTH, tables), 'models/silver/recent_orders.sql': null });
    const r = await compile(dir);
    expect(brief(r)).toEqual(["ETL190 sources/shop.ts:14:5 Table key of source shop: '../../../project' is not a valid name: use letters, digits and _, not starting with a digit"]);
    expect(r.diagnostics[0]!.frame).toContain("> 14 |     '../../../project': {");
    expect(existsSync(path.join(dir, 'project.sql'))).toBe(false);
  });

  it('a column name with a newline and a struct field that is not an identifier are ETL190 at the column', async () => {
    const tables = `    orders: {\n      columns: {\n        order_id: t.string(),\n        'bad\\nname': t.string(),\n        items: t.array(t.struct({ 'a:int>,b': t.int() })),\n      },\n    },`;
    const dir = projectCopy('unknown-var', { 'sources/shop.ts': shopSource(AUTH, tables), 'models/silver/recent_orders.sql': null });
    const r = await compile(dir);
    expect(brief(r)).toEqual([
      "ETL190 sources/shop.ts:17:9 Column of shop.orders: column name 'bad\\nname' contains a control character (newline, tab, NUL...)",
    ]);
    // Backticks are fine in a column name: the dialect doubles them.
    const ok = projectCopy('unknown-var', { 'sources/shop.ts': shopSource(AUTH, `    orders: {\n      columns: { 'odd\`name': t.string(), items: t.array(t.struct({ 'a:int>,b': t.int() })) },\n    },`), 'models/silver/recent_orders.sql': null });
    expect(brief(await compile(ok))).toEqual(["ETL190 sources/shop.ts:15:42 Column of shop.orders: struct field 'a:int>,b' is not a valid name: use letters, digits and _, not starting with a digit"]);
  });

  it('bronze table overrides and source names follow the same rule (ETL190)', async () => {
    const tables = `    orders: {\n      bronze: { table: 'x; DROP TABLE y' },\n      columns: { order_id: t.string() },\n    },`;
    const dir = projectCopy('unknown-var', { 'sources/shop.ts': shopSource(AUTH, tables).replace("name: 'shop'", "name: 'shop-2'"), 'models/silver/recent_orders.sql': null });
    const r = await compile(dir);
    expect(brief(r).map((l) => l.slice(0, 40))).toEqual(['ETL190 sources/shop.ts:4:9 Invalid name ']);
    const byTable = projectCopy('unknown-var', { 'sources/shop.ts': shopSource(AUTH, tables), 'models/silver/recent_orders.sql': null });
    const d = (await compile(byTable)).diagnostics;
    expect(d.map((x) => `${x.code} ${x.line}:${x.column}`)).toEqual(['ETL190 15:24']);
    expect(d[0]!.hint).toBe('Names become SQL identifiers and paths: use letters, digits and _, not starting with a digit, e.g. x_DROP_TABLE_y.');
  });

  it('a location with .. or a relative location is a config error at the key; alias must be an identifier', async () => {
    const dir = projectCopy('unknown-var', {
      'models/silver/recent_orders.sql': '{{config materialized="table" location="s3://lake/silver/../../x"}}\nSELECT order_id FROM {{source "shop" "orders"}}\n',
      'models/silver/rel.sql': '{{config materialized="table" location="some/where"}}\nSELECT order_id FROM {{source "shop" "orders"}}\n',
      'models/silver/aliased.sql': '{{config materialized="table" alias="a; DROP TABLE b"}}\nSELECT order_id FROM {{source "shop" "orders"}}\n',
    });
    const r = await compile(dir);
    expect(brief(r)).toEqual([
      "ETL153 models/silver/aliased.sql:1:31 Invalid config 'alias': must be a SQL identifier (letters, digits and _, not starting with a digit) in model aliased",
      "ETL153 models/silver/recent_orders.sql:1:31 Invalid config 'location': location 's3://lake/silver/../../x' contains a '.' or '..' segment in model recent_orders",
      "ETL153 models/silver/rel.sql:1:31 Invalid config 'location': location 'some/where' is relative: it must be absolute (/data/x) or a URI (s3://bucket/x) in model rel",
    ]);
  });

  it('system names written into queries are checked by the connector schema: a SOQL fragment as sObject is ETL118 at the value', async () => {
    const crm = `import { defineSource, env, t } from 'lakehouse-etl';
export default defineSource({
  name: 'crm',
  system: 'salesforce',
  connection: { loginUrl: 'https://login.salesforce.com', apiVersion: '58.0', auth: { kind: 'refresh_token', clientId: env('A'), clientSecret: env('B'), refreshToken: env('C') } },
  tables: {
    leads: { object: 'Lead WHERE IsDeleted = false', columns: { Id: t.string() } },
  },
});
`;
    const dir = projectCopy('unknown-var', { 'sources/shop.ts': null, 'sources/crm.ts': crm, 'models/silver/recent_orders.sql': null });
    expect(brief(await compile(dir))).toEqual([
      'ETL118 sources/crm.ts:7:22 Invalid object of table crm.leads: must be an sObject API name (letters, digits, _), e.g. Account or Invoice__c: it is written into SOQL',
    ]);
  });
});
