/**
 * `on_schema_change` in the plan: an incremental model's incremental operations get a SchemaChange
 * operation before the write (the model's columns and its mode; the runner resolves it against the
 * table's columns, runtime/runner/schema-change.ts), and a `sync_all_columns` model's table is
 * created with Delta column mapping by name, so a later build can drop columns.
 */
import { COLUMN_MAPPING_PROPERTIES } from '../emit/schema-change-sql.js';
import type { ManifestModel } from '../manifest/types.js';
import { op, type Operation } from './operations.js';
import type { ModelNode } from './plan-schema.js';

type ModelOps = Pick<ModelNode, 'full' | 'incremental'>;

const WRITES = new Set<Operation['kind']>(['Merge', 'Append', 'InsertOverwrite']);

export function withSchemaChange<T extends ModelOps>(ops: T, m: ManifestModel): T {
  if (m.materialized !== 'incremental' || !ops.incremental || !m.relation) return ops;
  const mode = m.config.on_schema_change ?? 'ignore';
  const relation = { database: m.relation.database, table: m.relation.table };
  const check = op({ kind: 'SchemaChange', relation, onSchemaChange: mode, columns: m.columns.map((c) => ({ name: c.name, type: c.type })) });
  const at = ops.incremental.findIndex((o) => WRITES.has(o.kind));
  if (at < 0) return ops;
  const incremental = [...ops.incremental.slice(0, at), check, ...ops.incremental.slice(at)];
  const full =
    mode === 'sync_all_columns'
      ? ops.full.map((o) => (o.kind === 'CreateOrReplaceTableAs' ? op({ ...o, properties: { ...COLUMN_MAPPING_PROPERTIES, ...o.properties } }) : o))
      : ops.full;
  return { ...ops, full, incremental };
}
