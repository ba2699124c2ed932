/**
 * The four history columns a snapshot's table has beside its query's own, typed and traced like
 * any column: `valid_from` (the new version's start: `updated_at` as a timestamp, or the build's
 * time for the check strategy), `valid_to` (NULL while current), `is_current`, and `change_hash`
 * (a hash of the key and of what the strategy compares). Added where the query is analysed, so a model that
 * `ref`s a snapshot sees them, and so the analysis cache keys on the strategy.
 */
import type { SqlType } from '../api/columns.js';
import type { SnapshotSpec, SnapshotStrategy } from '../config/snapshot-config.js';
import type { AnalysedColumn } from './analyser.js';

const column = (name: string, type: SqlType, nullable: boolean, from: AnalysedColumn[]): AnalysedColumn => ({
  name,
  type,
  nullable,
  refs: new Set(from.flatMap((c) => [...c.refs])),
  classes: new Set(),
});

/** The columns a strategy reads, as the query produces them (missing ones are ETL403/ETL405, reported elsewhere). */
export function trackedColumns(columns: AnalysedColumn[], strategy: SnapshotStrategy): AnalysedColumn[] {
  const names = strategy.kind === 'timestamp' ? [strategy.updatedAt] : strategy.columns;
  return names.map((n) => columns.find((c) => c.name.toLowerCase() === n.toLowerCase())).filter((c): c is AnalysedColumn => c !== undefined);
}

/** The query's columns followed by the snapshot's own (a query column of the same name is ETL407, reported elsewhere). */
export function withSnapshotColumns(columns: AnalysedColumn[], spec: SnapshotSpec): AnalysedColumn[] {
  const { strategy } = spec;
  const key = spec.uniqueKey.map((n) => columns.find((c) => c.name.toLowerCase() === n.toLowerCase())).filter((c): c is AnalysedColumn => c !== undefined);
  const tracked = strategy ? trackedColumns(columns, strategy) : [];
  const updatedAt = strategy?.kind === 'timestamp' ? tracked : [];
  return [
    ...columns,
    column('valid_from', { kind: 'timestamp' }, updatedAt.some((c) => c.nullable), updatedAt),
    column('valid_to', { kind: 'timestamp' }, true, []),
    column('is_current', { kind: 'boolean' }, false, []),
    column('change_hash', { kind: 'string' }, false, [...key, ...tracked]),
  ];
}
