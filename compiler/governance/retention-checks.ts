/**
 * Compile-time checks of retention (codes ETL340-ETL345): a model's `retention.column` is selected,
 * is a date or timestamp, and the model is a table; `governance.retention.sources` names declared
 * source tables and their columns, and does not outlive the bronze files' S3 lifecycle.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { findPosition } from '../load/sources.js';
import { parseYamlFile, positionOf } from '../load/yaml-file.js';
import type { ManifestModel, ManifestSource } from '../manifest/types.js';
import type { RenderedModel } from '../resolve/models.js';
import type { AnalysedColumn } from '../analyse/context.js';
import { DEFAULT_RETENTION, type InfraConfig } from '../config/infra.js';
import { didYouMean } from '../config/suggest.js';
import { periodMaxDays, periodOf, type RetentionConfig } from './retention-config.js';

const DATE_KINDS = new Set(['date', 'timestamp', 'timestamp_ntz', 'unknown']);

/** Where `needle` is written: the model file, else its sidecar. */
function locate(r: RenderedModel, needle: string): Pick<Diagnostic, 'file' | 'line' | 'column' | 'frame'> {
  const inModel = r.file.text.includes(needle);
  const meta = r.file.meta;
  const file = inModel || !meta ? { file: r.file.file, text: r.file.text } : { file: meta.file, text: meta.text };
  const pos = findPosition(file.text, needle);
  return { file: file.file, ...pos, frame: codeFrame(file.text, pos.line, pos.column) };
}

export function checkRetentionConfig(r: RenderedModel, cfg: ManifestModel['config'], columns: AnalysedColumn[], diagnostics: Diagnostic[]): void {
  const retention = cfg.retention;
  if (!retention) return;
  const name = r.file.name;
  if (r.config.materialized === 'view' || r.config.materialized === 'ephemeral') {
    diagnostics.push({ code: 'ETL342', severity: 'error', message: `Model ${name} declares retention but is materialized as ${r.config.materialized}: it holds no rows`, ...locate(r, 'retention'), hint: 'Declare retention on the tables it reads; a view shows what they keep.' });
    return;
  }
  const selected = columns.find((c) => c.name.toLowerCase() === retention.column.toLowerCase());
  if (!selected) {
    diagnostics.push({ code: 'ETL340', severity: 'error', message: `retention column '${retention.column}' is not selected by model ${name}`, ...locate(r, retention.column), hint: `${didYouMean(retention.column, columns.map((c) => c.name))} Columns: ${columns.map((c) => c.name).join(', ')}.`.trim() });
    return;
  }
  if (!DATE_KINDS.has(selected.type.kind)) {
    diagnostics.push({
      code: 'ETL341',
      severity: 'error',
      message: `retention column '${retention.column}' of model ${name} is ${selected.type.kind}, not a date or timestamp`,
      ...locate(r, retention.column),
      hint: 'Rows are deleted when this date is older than the period: name a date or timestamp column (the business date, or when the row was loaded).',
    });
  }
}

/** `governance.retention.sources`: each key a declared source table, each column one of its bronze columns, each period within the bronze files' lifecycle. */
export function checkSourceRetention(input: { retention: RetentionConfig | undefined; infra: InfraConfig | undefined; sources: ManifestSource[]; projectText: string }): Diagnostic[] {
  const { retention } = input;
  if (!retention) return [];
  const out: Diagnostic[] = [];
  const yaml = parseYamlFile('project.yaml', input.projectText, []);
  // At the key written: the source's entry, or a key inside it.
  const at = (path: string[], key: string) => {
    const pos = yaml ? positionOf(yaml, ['governance', 'retention', 'sources', ...path], key) : { line: 1, column: 1 };
    return { file: 'project.yaml', ...pos, frame: codeFrame(input.projectText, pos.line, pos.column) };
  };
  const byKey = new Map(input.sources.map((s) => [`${s.sourceName}.${s.table}`, s]));
  const bronzeDays = input.infra?.retention.bronze?.retention_days ?? DEFAULT_RETENTION.bronze.retention_days;
  const expireBronze = input.infra?.retention.bronze?.expire_current ?? DEFAULT_RETENTION.bronze.expire_current;
  for (const [key, declared] of Object.entries(retention.sources)) {
    const source = byKey.get(key);
    if (!source) {
      out.push({ code: 'ETL343', severity: 'error', message: `governance.retention.sources names '${key}', which is not a declared source table`, ...at([], key), hint: `${didYouMean(key, [...byKey.keys()])} Keys are source_name.table as in {{source "name" "table"}}.`.trim() });
      continue;
    }
    // Bronze is Parquet: expired data goes as whole partitions (files), so the column is a partition column.
    const columns = source.bronze.partitionBy;
    if (declared.column && !columns.some((c) => c === declared.column)) {
      out.push({ code: 'ETL344', severity: 'error', message: `retention column '${declared.column}' is not a partition column of ${source.bronze.relation}`, ...at([key], 'column'), hint: `${didYouMean(declared.column, columns)} Bronze Parquet loses whole partitions; partitioned by: ${columns.join(', ') || 'nothing'}.`.trim() });
    }
    const period = periodOf(declared)!;
    if (expireBronze && periodMaxDays(period) > bronzeDays) {
      out.push({
        code: 'ETL345',
        severity: 'warning',
        message: `${key} is kept ${period.amount} ${period.unit}, but the bronze files expire after ${bronzeDays} days (infra.retention.bronze.retention_days)`,
        ...at([key], period.unit),
        hint: 'The S3 lifecycle deletes landed files first: shorten this period or raise infra.retention.bronze.retention_days.',
      });
    }
  }
  return out;
}
