/** `etl show MODEL --as-of VERSION|TIMESTAMP`: the built table's rows as of a past Delta version. */
import type { EtlCommand } from './base.js';
import { EXIT } from './base.js';
import type { CompileResult } from '../compiler/index.js';
import type { RestorePoint } from '../compiler/plan/operations.js';
import type { QueryResult } from '../runtime/engines/spark/client.js';

export async function showAsOfFlag(cmd: EtlCommand, compiled: CompileResult & { projectDir: string }, id: string, asOf: string, limit: number): Promise<QueryResult> {
  const model = compiled.manifest.models[id]!;
  if (!model.relation || model.materialized === 'view' || model.materialized === 'ephemeral') cmd.error(`${model.name} is ${model.materialized}: --as-of reads a table's past versions.`, { exit: EXIT.usage, code: 'ETL452' });
  let point: RestorePoint;
  if (/^\d+$/.test(asOf.trim())) point = { by: 'version', version: Number(asOf.trim()) };
  else {
    const { parseTimestamp } = await import('../runtime/restore/point.js');
    try {
      point = parseTimestamp(asOf);
    } catch (e) {
      cmd.error((e as Error).message.replace('--to', '--as-of'), { exit: EXIT.usage, code: 'ETL453' });
    }
  }
  const { showAsOf } = await import('../runtime/runner/data-diff.js');
  return showAsOf({ projectDir: compiled.projectDir, manifest: compiled.manifest, relation: `${model.relation.database}.${model.relation.table}`, columns: model.columns, asOf: point, limit });
}
