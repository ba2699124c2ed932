/**
 * Snapshots at compile time (no Spark): every ETL400-ETL409 diagnostic at its exact place (the
 * `{{config}}` key, a TypeScript `config:` key, a sidecar's `config:` key, the selected column),
 * and a valid snapshot's manifest entry (history columns typed and traced, layer from its config)
 * and plan operations (the same SnapshotMerge for full and incremental builds).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { plain } from '../compiler/helpers.js';

const fixture = (name: string) => path.join(fileURLToPath(new URL('./fixtures/', import.meta.url)), name);

describe('snapshot diagnostics', () => {
  it('reports each snapshot mistake at its config key or column', async () => {
    const r = await compileProject({ projectDir: fixture('snapshot-errors'), cache: false });
    expect(r.ok).toBe(false);
    expect(plain(r.diagnostics).map((d) => `${d.file ?? ''}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`)).toEqual([
      "models/silver/fake_snapshot.sql:1:10 error ETL408 Model fake_snapshot is materialized 'snapshot' but is not under snapshots/",
      "models/silver/stray_keys.sql:2:10 warning ETL406 Model stray_keys sets 'strategy', which only snapshots read: it is ignored",
      "snapshots/bad_strategy.sql:2:10 error ETL401 Snapshot bad_strategy has an unknown strategy 'latest'",
      'snapshots/no_key.sql:1:10 error ETL400 Snapshot no_key has no unique_key',
      'snapshots/no_updated_at.sql:1:34 error ETL402 Snapshot no_updated_at uses the timestamp strategy but sets no updated_at',
      "snapshots/own_history.sql:2:40 error ETL407 Snapshot own_history selects 'valid_from', a column the snapshot adds itself",
      "snapshots/sidecar_config.yml:5:3 error ETL403 updated_at column 'last_modified' is not selected by snapshot sidecar_config",
      "snapshots/string_updated_at.sql:1:55 error ETL404 updated_at column 'name' of snapshot string_updated_at is string, not a timestamp or date",
      "snapshots/unknown_check_col.ts:7:5 error ETL405 check_cols column 'colour' is not selected by snapshot unknown_check_col",
      "snapshots/unknown_updated_at.sql:2:10 error ETL403 updated_at column 'modified_at' is not selected by snapshot unknown_updated_at",
    ]);
    const frame = r.diagnostics.find((d) => d.code === 'ETL403' && (d.file ?? '').endsWith('.sql'))!.frame;
    expect(frame).toContain("> 2 |          updated_at='modified_at'}}");
  });

  it('types and traces the history columns, and plans one SnapshotMerge for full and incremental builds', async () => {
    const r = await compileProject({ projectDir: fixture('snapshot-errors'), cache: false });
    const gold = r.manifest.models['model.gold_table']!;
    expect([gold.layer, gold.materialized, gold.relation?.fqn]).toEqual(['gold', 'snapshot', 'gold.gold_table']);
    expect(gold.config).toEqual({ unique_key: ['account_id'], strategy: 'check', check_cols: ['tier'], invalidate_hard_deletes: false });
    expect(gold.columns.map((c) => [c.name, c.type, c.nullable, c.upstream.map((u) => `${u.node}.${u.column}`)])).toEqual([
      ['account_id', 'string', false, ['model.stg_accounts.account_id']],
      ['tier', 'string', false, ['model.stg_accounts.tier']],
      ['valid_from', 'timestamp', false, []],
      ['valid_to', 'timestamp', true, []],
      ['is_current', 'boolean', false, []],
      ['change_hash', 'string', false, ['model.stg_accounts.account_id', 'model.stg_accounts.tier']],
    ]);
    const node = r.plan.nodes['model.gold_table']!;
    if (node.kind !== 'model') throw new Error('not a model node');
    expect(node.full).toEqual(node.incremental);
    expect(node.full.map((o) => o.kind)).toEqual(['CreateDatabase', 'SnapshotMerge']);
    expect(node.full[1]).toMatchObject({ columns: ['account_id', 'tier'], uniqueKey: ['account_id'], strategy: { kind: 'check', columns: ['tier'] }, invalidateHardDeletes: false, location: { layer: 'gold', path: 'gold_table' } });
  });
});
