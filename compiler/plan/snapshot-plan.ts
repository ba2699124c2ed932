/**
 * A snapshot's operations. `full` and `incremental` are the same SnapshotMerge: the runner picks
 * `full` on a --full-refresh, and a snapshot's history is not something a full refresh may wipe
 * (as dbt, which never full-refreshes snapshots). To start a snapshot's history again, drop its
 * table (or `etl env drop` an environment) and build.
 */
import { SNAPSHOT_COLUMNS } from '../config/snapshot-config.js';
import type { ManifestModel } from '../manifest/types.js';
import { op, type Location, type Operation, type Query, type Relation } from './operations.js';

export function snapshotOperations(m: ManifestModel, query: Query, relation: Relation, location: Location): Operation[] | undefined {
  const { config } = m;
  const strategy =
    config.strategy === 'timestamp' && config.updated_at
      ? { kind: 'timestamp' as const, updatedAt: config.updated_at }
      : config.strategy === 'check' && config.check_cols?.length
        ? { kind: 'check' as const, columns: config.check_cols }
        : undefined;
  const history = new Set<string>(SNAPSHOT_COLUMNS);
  const columns = m.columns.map((c) => c.name).filter((c) => !history.has(c));
  // An incomplete config is an error the compile reported (ETL400-ETL402): nothing to plan.
  if (!strategy || !config.unique_key?.length || columns.length === 0) return undefined;
  return [
    op({ kind: 'CreateDatabase', database: relation.database }),
    op({
      kind: 'SnapshotMerge',
      relation,
      location,
      partitionBy: config.partition_by ?? [],
      properties: config.tblproperties ?? {},
      query,
      columns,
      uniqueKey: config.unique_key,
      strategy,
      invalidateHardDeletes: config.invalidate_hard_deletes ?? false,
    }),
  ];
}
