/**
 * Config typos are reported wherever the config is written (project.yaml defaults and targets, a
 * sidecar YAML, an inline `{{config}}`, a TypeScript `defineModel`), each with a stable code, the
 * file, line and column of the key, a code frame and a did-you-mean hint from the schema.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileProject, type Diagnostic } from '../../compiler/index.js';
import { fixture } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'etl-config-'));
  await cp(fixture('.fresh-evaluation'), dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(file: string, text: string): Promise<void> {
  await writeFile(path.join(dir, file), text);
}
async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(path.join(dir, file), 'utf8');
  expect(text).toContain(from);
  await write(file, text.replace(from, to));
}
const shown = (d: Diagnostic) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message} | ${d.hint}`;
async function problems(target?: string): Promise<Diagnostic[]> {
  const r = await compileProject({ projectDir: dir, cache: false, ...(target ? { target } : {}) });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors) expect(d.frame, shown(d)).toContain('^');
  return errors;
}

describe('config typos: position and did-you-mean wherever config is written', () => {
  it('inline {{config}}: an invalid value and an unknown key, at the key', async () => {
    await edit('models/silver/stg_orders.sql', 'SELECT', '{{config materialized="incremental" incremental_strategy="mrege" uniqe_key="order_id"}}\nSELECT');
    expect((await problems()).filter((d) => d.code === 'ETL153').map(shown)).toEqual([
      `ETL153 models/silver/stg_orders.sql:1:37 Invalid config 'incremental_strategy': Invalid option: expected one of "append"|"merge"|"insert_overwrite" in model stg_orders | Did you mean 'merge'?`,
      "ETL153 models/silver/stg_orders.sql:1:66 Unknown config key 'uniqe_key' in model stg_orders | Did you mean 'unique_key'?",
    ]);
  });

  it('a sidecar YAML: config problems are ETL153 at the YAML key, other metadata ETL121', async () => {
    await write('models/silver/stg_orders.yml', 'description: Orders.\nconfig:\n  materialized: tabel\ncolumns:\n  order_id:\n    tests: [{ unique: { severity: warnn } }]\n    descripton: Id.\n');
    expect((await problems()).map(shown)).toEqual([
      `ETL153 models/silver/stg_orders.yml:3:17 Invalid model metadata of stg_orders at 'config.materialized': Invalid option: expected one of "view"|"table"|"incremental"|"ephemeral"|"snapshot" | Did you mean 'table'?`,
      `ETL121 models/silver/stg_orders.yml:6:35 Invalid model metadata of stg_orders at 'columns.order_id.tests.0.unique.severity': Invalid option: expected one of "error"|"warn" | Did you mean 'warn'?`,
      "ETL121 models/silver/stg_orders.yml:7:5 Unknown key 'descripton' in model metadata of stg_orders at columns.order_id | Did you mean 'description'?",
    ]);
  });

  it('a TypeScript model: at the key inside defineModel({ config })', async () => {
    await edit('models/gold/order_amounts.ts', "config: { materialized: 'table' },", "config: { materialized: 'tabel', zorderby: 'order_id' } as never,");
    expect((await problems()).map(shown)).toEqual([
      `ETL153 models/gold/order_amounts.ts:4:13 Invalid config 'materialized': Invalid option: expected one of "view"|"table"|"incremental"|"ephemeral"|"snapshot" in model order_amounts | Did you mean 'table'?`,
      "ETL153 models/gold/order_amounts.ts:4:36 Unknown config key 'zorderby' in model order_amounts | Did you mean 'zorder_by'?",
    ]);
  });

  it('project.yaml: folder defaults and every target kind', async () => {
    await edit(
      'project.yaml',
      'targets:\n  local: { kind: local }\n',
      [
        'defaults:',
        '  models/gold: { materalized: table }',
        'targets:',
        '  local: { kind: local, warehouse_dir: data/warehouse, spark: { master: "local[2]", confs: {} } }',
        '  emr:',
        '    kind: emr',
        '    region: us-east-1',
        '    bucket: company-lakehouse',
        '    spark_conf: { spark.sql.shuffle.partitions: 200 }',
        '    cluster: { step_concurency: 4, idle_timeout_seconds: 3600, subnet_id: subnet-1 }',
        '  other: { kind: emrr }',
        '',
      ].join('\n'),
    );
    expect((await problems()).map(shown)).toEqual([
      "ETL102 project.yaml:7:18 Unknown key 'materalized' in project.yaml at defaults.models/gold | Did you mean 'materialized'?",
      "ETL102 project.yaml:9:85 Unknown key 'confs' in project.yaml at targets.local.spark | Did you mean 'conf'?",
      "ETL102 project.yaml:15:16 Unknown key 'step_concurency' in project.yaml at targets.emr.cluster | Did you mean 'step_concurrency'?",
      "ETL102 project.yaml:16:18 Invalid project.yaml at 'targets.other.kind': Invalid discriminator value. Expected 'local' | 'emr' | Did you mean 'emr'?",
    ]);
  });

  it('project.yaml: the EMR keys the README documents compile (the old schema refused them)', async () => {
    await edit(
      'project.yaml',
      'targets:\n  local: { kind: local }\n',
      [
        'targets:',
        '  local: { kind: local, spark: { conf: { spark.sql.shuffle.partitions: 4 } } }',
        '  emr:',
        '    kind: emr',
        '    region: us-east-1',
        '    bucket: company-lakehouse',
        '    spark_conf: { spark.sql.shuffle.partitions: 200 }',
        '    poll_interval_seconds: 5',
        '    cluster: { step_concurrency: 8, idle_timeout_seconds: 3600, subnet_id: subnet-1 }',
        '',
      ].join('\n'),
    );
    expect(await problems('emr')).toEqual([]);
    const r = await compileProject({ projectDir: dir, cache: false, target: 'emr' });
    expect(r.manifest.target.settings).toMatchObject({ spark_conf: { 'spark.sql.shuffle.partitions': '200' }, poll_interval_seconds: 5, cluster: { step_concurrency: 8 } });
  });
});
