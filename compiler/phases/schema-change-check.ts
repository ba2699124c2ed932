/**
 * The compile-time `on_schema_change` check: each incremental model's columns against its table's
 * last known schema (target/table_schemas.json, recorded by the last build), reported before anything
 * runs. `fail` is an error at the first new column's select item (or at the config when columns were
 * only removed or retyped); `append_new_columns` and `sync_all_columns` warn with what the next build
 * will change; `ignore` warns that the table keeps its columns. The run re-checks against the catalog.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { withoutBom } from '../load/text-file.js';
import type { ManifestModel } from '../manifest/types.js';
import { columnChanges, describeChanges, hasChanges, planSchemaChange } from '../plan/schema-change.js';
import { readTableSchemas } from '../plan/schema-change-state.js';
import type { RenderedModel } from '../resolve/models.js';

interface Located {
  file: string;
  line: number;
  column: number;
  frame: string;
}

function at(file: string, text: string, offset: number): Located {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { file, line, column, frame: codeFrame(text, line, column) };
}

/** A select item naming `column` in the model file: `... AS column` first, else the name alone. */
function columnSite(r: RenderedModel, column: string): Located | undefined {
  const name = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const text = r.file.text;
  const aliased = new RegExp(`\\bas\\s+\`?(${name})\\b`, 'i').exec(text);
  if (aliased) return at(r.file.file, text, aliased.index + aliased[0].length - column.length);
  const bare = new RegExp(`(?<![\\w.])${name}\\b`, 'i').exec(text.replace(/\{\{config[^}]*\}\}/g, (m) => ' '.repeat(m.length)));
  return bare ? at(r.file.file, text, bare.index) : undefined;
}

/** Where `on_schema_change` is written: the model file, its sidecar, or project.yaml's defaults; else the model file's start. */
function configSite(r: RenderedModel, projectDir: string): Located {
  const candidates: Array<{ file: string; text: () => string }> = [
    { file: r.file.file, text: () => r.file.text },
    ...(r.file.meta ? [{ file: r.file.meta.file, text: () => r.file.meta!.text }] : []),
    { file: 'project.yaml', text: () => withoutBom(readFileSync(path.join(projectDir, 'project.yaml'), 'utf8')) },
  ];
  for (const c of candidates) {
    let text: string;
    try {
      text = c.text();
    } catch {
      continue;
    }
    const i = text.indexOf('on_schema_change');
    if (i >= 0) return at(c.file, text, i);
  }
  return at(r.file.file, r.file.text, 0);
}

export function checkSchemaChanges(projectDir: string, models: Map<string, ManifestModel>, rendered: Map<string, RenderedModel>, diagnostics: Diagnostic[]): void {
  const state = readTableSchemas(projectDir);
  for (const m of models.values()) {
    const r = rendered.get(m.name);
    if (!r) continue;
    if (m.config.on_schema_change && m.materialized !== 'incremental') {
      diagnostics.push({ code: 'ETL435', severity: 'warning', message: `on_schema_change applies to incremental models; ${m.name} is ${m.materialized}`, ...configSite(r, projectDir), hint: 'A table or view is rebuilt with its new columns on every build: drop on_schema_change.' });
      continue;
    }
    const last = state?.tables[m.id];
    if (m.materialized !== 'incremental' || !last || !m.relation || last.relation !== m.relation.fqn) continue;
    const changes = columnChanges(last.columns, m.columns.map((c) => ({ name: c.name, type: c.type })));
    if (!hasChanges(changes)) continue;
    const mode = m.config.on_schema_change ?? 'ignore';
    const plan = planSchemaChange(mode, changes);
    const list = describeChanges(changes).join(', ');
    const firstNew = changes.added[0] ?? changes.retyped[0];
    const site = (firstNew && columnSite(r, firstNew.name)) || configSite(r, projectDir);
    const table = m.relation.fqn;
    if (mode === 'fail') {
      diagnostics.push({ code: 'ETL430', severity: 'error', message: `${m.name}'s columns differ from its table ${table} (${list}) and on_schema_change is fail`, ...site, hint: 'Set on_schema_change to append_new_columns or sync_all_columns, or rebuild the table with --full-refresh.' });
    } else if (plan.refused) {
      diagnostics.push({ code: 'ETL434', severity: 'error', message: `${m.name}: ${plan.refused}`, ...site, hint: 'CAST the column back to its type, or rebuild the table with --full-refresh.' });
    } else if (mode === 'append_new_columns') {
      const ignored = [...changes.removed.map((c) => c.name), ...changes.retyped.map((c) => c.name)];
      diagnostics.push({ code: 'ETL431', severity: 'warning', message: `The next build of ${m.name} adds ${plan.add.length ? plan.add.map((c) => `${c.name} ${c.type}`).join(', ') : 'no column'} to ${table} (on_schema_change: append_new_columns)${ignored.length ? `; kept as they are: ${ignored.join(', ')}` : ''}`, ...site, hint: 'Rows written before keep NULL in the new columns.' });
    } else if (mode === 'sync_all_columns') {
      diagnostics.push({ code: 'ETL432', severity: 'warning', message: `The next build of ${m.name} changes ${table} to match the model (on_schema_change: sync_all_columns): ${list}`, ...site, hint: 'Dropped columns lose their values (Delta keeps them in earlier versions: etl restore).' });
    } else {
      diagnostics.push({ code: 'ETL433', severity: 'warning', message: `${m.name}'s columns differ from its table ${table} (${list}); on_schema_change is ignore, so the table keeps its columns`, ...site, hint: 'Set on_schema_change: append_new_columns or sync_all_columns to change the table, or build with --full-refresh.' });
    }
  }
}
