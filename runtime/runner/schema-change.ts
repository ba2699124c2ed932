/**
 * `on_schema_change` at run time: an incremental model's SchemaChange operation compared with its
 * table's columns in the catalog (the compile-time check may have seen an older state, or none).
 * The mode's changes become structured operations (AlterTableAddColumns, AlterTableDropColumns,
 * AlterColumnType) run in place of the SchemaChange, and the write after it names its columns:
 * the table's, NULL for those the query no longer has. `fail` (or an unsafe type change under
 * `sync_all_columns`) stops the model before anything is written.
 */
import { op, type ColumnType, type Operation, type WriteColumn } from '../../compiler/plan/operations.js';
import { columnChanges, planSchemaChange } from '../../compiler/plan/schema-change.js';
import type { Manifest } from '../../compiler/manifest/types.js';
import { recordTableSchemas } from '../../compiler/plan/schema-change-state.js';
import type { EngineSession } from '../engines/engine.js';
import type { NodeResult } from './results.js';

export class SchemaChangeRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaChangeRefused';
  }
}

export interface ResolvedSchemaChange {
  operations: Operation[];
  /** The table's columns once the operations ran. */
  columns?: ColumnType[];
}

const lower = (s: string) => s.toLowerCase();

/** The operations to run: ALTERs in place of the SchemaChange, and the write naming its columns. */
export async function resolveSchemaChange(session: EngineSession, ops: Operation[]): Promise<ResolvedSchemaChange> {
  const check = ops.find((o) => o.kind === 'SchemaChange');
  if (!check || check.kind !== 'SchemaChange' || !session.tableColumns) return { operations: ops };
  const table = await session.tableColumns(check.relation);
  const changes = columnChanges(table, check.columns);
  const plan = planSchemaChange(check.onSchemaChange, changes);
  if (plan.refused) throw new SchemaChangeRefused(`${check.relation.database}.${check.relation.table}: ${plan.refused}; the table was not changed`);
  const relation = check.relation;
  const alters: Operation[] = [
    ...(plan.add.length ? [op({ kind: 'AlterTableAddColumns', relation, columns: plan.add })] : []),
    ...plan.widen.map((w) => op({ kind: 'AlterColumnType', relation, column: w.name, type: w.type })),
    ...(plan.drop.length ? [op({ kind: 'AlterTableDropColumns', relation, columns: plan.drop })] : []),
  ];
  const dropped = new Set(plan.drop.map(lower));
  const after: ColumnType[] = [...table.filter((c) => !dropped.has(lower(c.name))).map((c) => ({ ...c, type: plan.widen.find((w) => lower(w.name) === lower(c.name))?.type ?? c.type })), ...plan.add];
  const inQuery = new Set(check.columns.map((c) => lower(c.name)));
  const columns: WriteColumn[] = after.map((c) => ({ name: c.name, type: c.type, fromQuery: inQuery.has(lower(c.name)) }));
  const named = (o: Operation): Operation => (o.kind === 'Merge' || o.kind === 'Append' || o.kind === 'InsertOverwrite' ? op({ ...o, columns }) : o);
  return { operations: ops.flatMap((o) => (o === check ? alters : [named(o)])), columns: after };
}

/**
 * After a run: the columns of each table it built, for the next compile's check
 * (target/table_schemas.json): those a resolved schema change left, else the model's as compiled.
 */
export function recordBuiltSchemas(projectDir: string, manifest: Manifest, results: readonly NodeResult[], built: ReadonlyMap<string, ColumnType[] | undefined>): void {
  const tables = results.flatMap((r) => {
    const m = r.kind === 'model' && r.status === 'success' ? manifest.models[r.id] : undefined;
    if (!m?.relation || m.materialized === 'view' || m.materialized === 'ephemeral') return [];
    return [{ id: m.id, relation: m.relation.fqn, columns: built.get(m.id) ?? m.columns.map((c) => ({ name: c.name, type: c.type })) }];
  });
  try {
    recordTableSchemas(projectDir, tables);
  } catch {
    // Knowledge for the next compile only: a read-only target/ must not fail the build.
  }
}
