/**
 * Snapshot config (SCD type 2): the strategy as data, where a snapshot's table goes, and where a
 * config key is written (for located diagnostics). Codes ETL400-ETL409 (see snapshot-checks.ts).
 */
import { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import type { ModelFile } from '../load/model-files.js';
import type { ModelConfig } from './model-config.js';

export const snapshotStrategyNameSchema = z.enum(['timestamp', 'check']);

/** How a changed row is detected: by its `updated_at` column, or by comparing `columns`. */
export const SnapshotStrategySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('timestamp'), updatedAt: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('check'), columns: z.array(z.string().min(1)).min(1) }).strict(),
]);
export type SnapshotStrategy = z.infer<typeof SnapshotStrategySchema>;

/** What the analyser needs to add a snapshot's history columns (its strategy is null when incomplete). */
export interface SnapshotSpec {
  strategy: SnapshotStrategy | null;
  uniqueKey: string[];
}

/** The analysis request's part of a snapshot. */
export const snapshotSpec = (config: ModelConfig): SnapshotSpec => ({ strategy: snapshotStrategy(config) ?? null, uniqueKey: listOf(config.unique_key) });

/** The columns a snapshot adds to its query's, in this order. */
export const SNAPSHOT_COLUMNS = ['valid_from', 'valid_to', 'is_current', 'change_hash'] as const;

const listOf = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The strategy a snapshot's config describes, or undefined when it is incomplete (reported by checkSnapshotConfig). */
export function snapshotStrategy(config: ModelConfig): SnapshotStrategy | undefined {
  if (config.strategy === 'timestamp' && config.updated_at) return { kind: 'timestamp', updatedAt: config.updated_at };
  const columns = listOf(config.check_cols);
  if (config.strategy === 'check' && columns.length) return { kind: 'check', columns };
  return undefined;
}

/** Where a config key is written: in the model file (`key=` / `key:`), else in its sidecar's `config:`, else the file's start. */
export function configKeySite(file: ModelFile, key: string): Pick<Diagnostic, 'file' | 'line' | 'column' | 'frame'> {
  const m = new RegExp(`(^|[\\s{,(])['"]?${key}['"]?\\s*[=:]`, 'm').exec(file.text);
  if (m) {
    const offset = m.index + m[1]!.length;
    const before = file.text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return { file: file.file, line, column, frame: codeFrame(file.text, line, column) };
  }
  const meta = file.meta;
  if (meta && meta.file !== file.file && meta.data.config && key in meta.data.config) {
    const pos = meta.position(['config'], key);
    return { file: meta.file, ...pos, frame: codeFrame(meta.text, pos.line, pos.column) };
  }
  return { file: file.file, line: 1, column: 1, frame: codeFrame(file.text, 1, 1) };
}

/**
 * A snapshot file is built as materialized 'snapshot' in its config's layer (silver by default);
 * a model under models/ cannot be a snapshot (ETL408), and `layer` is a snapshot's key (ETL409).
 */
export function snapshotPlacement(file: ModelFile, config: ModelConfig & { materialized: string }, diagnostics: Diagnostic[]): ModelFile {
  if (!file.snapshot) {
    if (config.materialized === 'snapshot') {
      diagnostics.push({
        code: 'ETL408',
        severity: 'error',
        message: `Model ${file.name} is materialized 'snapshot' but is not under snapshots/`,
        ...configKeySite(file, 'materialized'),
        hint: `Move it to snapshots/${file.name}.${file.language === 'sql' ? 'sql' : 'ts'}: snapshots keep history and are never rebuilt from scratch.`,
      });
      config.materialized = 'table';
    }
    if (config.layer !== undefined) {
      diagnostics.push({ code: 'ETL409', severity: 'warning', message: `Model ${file.name} sets 'layer', which only snapshots read; its folder decides its layer`, ...configKeySite(file, 'layer'), hint: 'Remove `layer`, or move the model to the folder of its layer.' });
    }
    return file;
  }
  if (config.materialized !== 'view' && config.materialized !== 'snapshot') {
    diagnostics.push({
      code: 'ETL408',
      severity: 'error',
      message: `Snapshot ${file.name} cannot be materialized '${config.materialized}'`,
      ...configKeySite(file, 'materialized'),
      hint: 'Files under snapshots/ are always built as snapshots: remove `materialized`, or move the file to models/.',
    });
  }
  config.materialized = 'snapshot';
  const layer = config.layer ?? 'silver';
  return layer === file.layer ? file : { ...file, layer };
}
