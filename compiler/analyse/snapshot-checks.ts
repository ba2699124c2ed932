/**
 * Checks of a snapshot's config against the columns its query produces, located at the config key
 * (in the snapshot file, or its sidecar's `config:`):
 * ETL400 no unique_key · ETL401 unknown or missing strategy · ETL402 updated_at / check_cols missing
 * for the strategy · ETL403 updated_at not selected · ETL404 updated_at not a timestamp or date ·
 * ETL405 a check column not selected · ETL406 snapshot keys on a model that is not a snapshot
 * (ignored) · ETL407 the query selects a history column itself · ETL408/409 placement
 * (compiler/config/snapshot-config.ts).
 */
import { formatType } from '../api/columns.js';
import { configKeySite, SNAPSHOT_COLUMNS, snapshotStrategy, snapshotStrategyNameSchema } from '../config/snapshot-config.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import type { ManifestModel } from '../manifest/types.js';
import type { RenderedModel } from '../resolve/models.js';
import type { AnalysedColumn } from './analyser.js';

const SNAPSHOT_KEYS = ['strategy', 'updated_at', 'check_cols', 'invalidate_hard_deletes'] as const;

const listOf = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The snapshot's config as the manifest keeps it (unique_key is kept with the other keys). */
export function snapshotManifestConfig(r: RenderedModel): Partial<ManifestModel['config']> {
  if (r.config.materialized !== 'snapshot') return {};
  const strategy = snapshotStrategy(r.config);
  if (!strategy) return {};
  return {
    strategy: strategy.kind,
    ...(strategy.kind === 'timestamp' ? { updated_at: strategy.updatedAt } : { check_cols: strategy.columns }),
    invalidate_hard_deletes: r.config.invalidate_hard_deletes ?? false,
  };
}

/** Where a selected column's name is first written in the file (outside `{{...}}`), if it is. */
function columnSite(text: string, name: string): Pick<Diagnostic, 'line' | 'column' | 'frame'> | undefined {
  const re = new RegExp(`\\b${name}\\b`, 'gi');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const open = text.lastIndexOf('{{', m.index);
    if (open >= 0 && text.indexOf('}}', open) > m.index) continue;
    const before = text.slice(0, m.index);
    const line = before.split('\n').length;
    const column = m.index - before.lastIndexOf('\n');
    return { line, column, frame: codeFrame(text, line, column) };
  }
  return undefined;
}

/** `columns` are the analysed ones, the history columns included (compiler/analyse/snapshot-columns.ts). */
export function checkSnapshot(r: RenderedModel, columns: AnalysedColumn[], diagnostics: Diagnostic[]): void {
  const { file, config } = r;
  const at = (key: string) => configKeySite(file, key);
  if (config.materialized !== 'snapshot') {
    for (const key of SNAPSHOT_KEYS.filter((k) => config[k] !== undefined)) {
      diagnostics.push({ code: 'ETL406', severity: 'warning', message: `Model ${file.name} sets '${key}', which only snapshots read: it is ignored`, ...at(key), hint: 'Snapshots live in snapshots/; for an incremental model use incremental_strategy.' });
    }
    return;
  }
  const own = columns.slice(0, Math.max(0, columns.length - SNAPSHOT_COLUMNS.length));
  const selected = own.map((c) => c.name).join(', ');
  const find = (name: string) => own.find((c) => c.name.toLowerCase() === name.toLowerCase());
  const error = (code: string, key: string, message: string, hint: string) => diagnostics.push({ code, severity: 'error', message, ...at(key), hint });
  if (listOf(config.unique_key).length === 0) {
    error('ETL400', config.strategy !== undefined ? 'strategy' : 'config', `Snapshot ${file.name} has no unique_key`, 'Set unique_key to the column(s) identifying a row, e.g. unique_key=\'account_id\': history is kept per key.');
  }
  const strategy = snapshotStrategyNameSchema.safeParse(config.strategy);
  if (!strategy.success) {
    const wrong = config.strategy === undefined ? 'has no strategy' : `has an unknown strategy '${config.strategy}'`;
    error('ETL401', config.strategy === undefined ? 'config' : 'strategy', `Snapshot ${file.name} ${wrong}`, "Use strategy='timestamp' with updated_at, or strategy='check' with check_cols.");
  } else if (strategy.data === 'timestamp') {
    if (!config.updated_at) error('ETL402', 'strategy', `Snapshot ${file.name} uses the timestamp strategy but sets no updated_at`, `Set updated_at to the column that changes with each row's version. Columns: ${selected}.`);
    else {
      const c = find(config.updated_at);
      if (!c) error('ETL403', 'updated_at', `updated_at column '${config.updated_at}' is not selected by snapshot ${file.name}`, `Columns: ${selected}.`);
      else if (c.type.kind !== 'timestamp' && c.type.kind !== 'date' && c.type.kind !== 'unknown') {
        error('ETL404', 'updated_at', `updated_at column '${c.name}' of snapshot ${file.name} is ${formatType(c.type)}, not a timestamp or date`, `CAST it in the query (CAST(${c.name} AS TIMESTAMP)), or use strategy='check'.`);
      }
    }
  } else {
    const cols = listOf(config.check_cols);
    if (cols.length === 0) error('ETL402', 'strategy', `Snapshot ${file.name} uses the check strategy but sets no check_cols`, `Set check_cols to the columns whose change makes a new version. Columns: ${selected}.`);
    for (const col of cols.filter((x) => !find(x))) error('ETL405', 'check_cols', `check_cols column '${col}' is not selected by snapshot ${file.name}`, `Columns: ${selected}.`);
  }
  for (const name of SNAPSHOT_COLUMNS) {
    if (find(name)) {
      const site = columnSite(file.text, name) ?? at('config');
      diagnostics.push({ code: 'ETL407', severity: 'error', message: `Snapshot ${file.name} selects '${name}', a column the snapshot adds itself`, file: file.file, ...site, hint: `Rename it in the query: ${SNAPSHOT_COLUMNS.join(', ')} are the snapshot's history columns.` });
    }
  }
}
