/** Checks of a model's config and contract against the columns its query produces. */
import { formatType } from '../api/columns.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { findPosition } from '../load/sources.js';
import type { ManifestModel } from '../manifest/types.js';
import type { RenderedModel } from '../resolve/models.js';
import type { AnalysedColumn } from './analyser.js';
import { parseTypeName } from './sql-types.js';

export function checkConfigColumns(r: RenderedModel, cfg: ManifestModel['config'], columns: AnalysedColumn[], diagnostics: Diagnostic[]): void {
  const names = new Set(columns.map((c) => c.name.toLowerCase()));
  for (const key of ['unique_key', 'partition_by', 'zorder_by', 'merge_update_columns'] as const) {
    for (const col of cfg[key] ?? []) {
      if (!names.has(col.toLowerCase())) {
        const pos = findPosition(r.file.text, col);
        diagnostics.push({
          code: 'ETL157',
          severity: 'error',
          message: `${key} column '${col}' is not selected by model ${r.file.name}`,
          file: r.file.file,
          ...pos,
          frame: codeFrame(r.file.text, pos.line, pos.column),
          hint: `Columns: ${columns.map((c) => c.name).join(', ')}.`,
        });
      }
    }
  }
  for (const col of cfg.zorder_by ?? []) {
    if (cfg.partition_by?.some((p) => p.toLowerCase() === col.toLowerCase())) {
      const pos = findPosition(r.file.text, 'zorder_by');
      diagnostics.push({
        code: 'ETL157',
        severity: 'error',
        message: `zorder_by column '${col}' of model ${r.file.name} is also a partition column`,
        file: r.file.file,
        ...pos,
        frame: codeFrame(r.file.text, pos.line, pos.column),
        hint: 'Delta cannot Z-order by a partition column (each file holds one value already): drop it from zorder_by.',
      });
    }
  }
  if (r.config.materialized === 'incremental') {
    const strategy = cfg.incremental_strategy;
    if (strategy === 'merge' && !cfg.unique_key?.length) {
      diagnostics.push({ code: 'ETL158', severity: 'error', message: `Model ${r.file.name} merges incrementally but has no unique_key`, file: r.file.file, line: 1, column: 1, hint: 'Set unique_key, or use incremental_strategy="append".' });
    }
    if (strategy === 'insert_overwrite' && !cfg.partition_by?.length) {
      diagnostics.push({ code: 'ETL158', severity: 'error', message: `Model ${r.file.name} uses insert_overwrite but has no partition_by`, file: r.file.file, line: 1, column: 1, hint: 'insert_overwrite replaces whole partitions: set partition_by.' });
    }
  }
}

export function checkContract(r: RenderedModel, columns: AnalysedColumn[], diagnostics: Diagnostic[]): void {
  const meta = r.file.meta;
  for (const [name, spec] of Object.entries(meta?.data.columns ?? {})) {
    const c = columns.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!c || !spec?.data_type) continue;
    const declared = parseTypeName(spec.data_type);
    if (declared && c.type.kind !== 'unknown' && formatType(declared) !== formatType(c.type)) {
      const pos = meta!.position(['columns', name], 'data_type');
      diagnostics.push({
        code: 'ETL159',
        severity: 'error',
        message: `Contract of ${r.file.name}: column '${name}' is declared ${formatType(declared)} but the query produces ${formatType(c.type)}`,
        file: meta!.file,
        ...pos,
        frame: codeFrame(meta!.text, pos.line, pos.column),
        hint: `CAST it in the model, or change data_type to ${formatType(c.type)}.`,
      });
    }
  }
}
