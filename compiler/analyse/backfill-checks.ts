/**
 * Compile-time checks of a model's backfill config (`time_column`, `batch_size`, `start`): the time
 * column is selected, is a date (or timestamp), the model is incremental, and its table is
 * partitioned by the column (else a range replace rewrites files of other days too).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { findPosition } from '../load/sources.js';
import type { ManifestModel } from '../manifest/types.js';
import type { RenderedModel } from '../resolve/models.js';
import type { AnalysedColumn } from './context.js';

type Cfg = ManifestModel['config'];

/** The backfill keys of a model's validated config, as the manifest keeps them. */
export function backfillConfig(config: RenderedModel['config']): Pick<Cfg, 'time_column' | 'batch_size' | 'start'> {
  const out: Pick<Cfg, 'time_column' | 'batch_size' | 'start'> = {};
  if (config.time_column) out.time_column = config.time_column;
  if (config.batch_size !== undefined) out.batch_size = config.batch_size;
  if (config.start) out.start = config.start;
  return out;
}

export function checkBackfillConfig(r: RenderedModel, cfg: Cfg, columns: AnalysedColumn[], diagnostics: Diagnostic[]): void {
  const name = r.file.name;
  // The value after `time_column` (a TypeScript model or sidecar YAML: its first mention).
  const at = (needle: string) => {
    const key = r.file.text.indexOf('time_column');
    const pos = findPosition(r.file.text, needle, needle === cfg.time_column && key >= 0 ? key : 0);
    return { file: r.file.file, ...pos, frame: codeFrame(r.file.text, pos.line, pos.column) };
  };
  if (!cfg.time_column) {
    if (cfg.batch_size !== undefined || cfg.start) {
      diagnostics.push({ code: 'ETL443', severity: 'error', message: `Model ${name} sets ${cfg.start ? 'start' : 'batch_size'} but no time_column`, ...at(cfg.start ? 'start' : 'batch_size'), hint: 'batch_size and start describe backfills by a date column: set time_column too.' });
    }
    return;
  }
  const column = cfg.time_column;
  if (r.config.materialized !== 'incremental') {
    diagnostics.push({
      code: 'ETL445',
      severity: 'error',
      message: `Model ${name} sets time_column but is materialized as ${r.config.materialized}`,
      ...at('time_column'),
      hint: 'Backfills replace date ranges of an incremental model: set materialized="incremental" (a table is rebuilt whole anyway).',
    });
  }
  const selected = columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
  if (!selected) {
    diagnostics.push({ code: 'ETL443', severity: 'error', message: `time_column '${column}' is not selected by model ${name}`, ...at(column), hint: `Columns: ${columns.map((c) => c.name).join(', ')}.` });
    return;
  }
  if (!['date', 'timestamp', 'timestamp_ntz', 'unknown'].includes(selected.type.kind)) {
    diagnostics.push({
      code: 'ETL444',
      severity: 'error',
      message: `time_column '${column}' of model ${name} is ${selected.type.kind}, not a date`,
      ...at(column),
      hint: `Backfill batches are date ranges: select the column as a date, e.g. CAST(${column} AS DATE) AS ${column}.`,
    });
  }
  if (!cfg.partition_by?.some((p) => p.toLowerCase() === column.toLowerCase())) {
    diagnostics.push({
      code: 'ETL446',
      severity: 'warning',
      message: `Model ${name} backfills by '${column}' but is not partitioned by it`,
      ...at('time_column'),
      hint: `Add partition_by="${column}": a range replace then removes whole partitions instead of rewriting every file that holds a row of the range.`,
    });
  }
}
