/**
 * The models and columns each exposure reads, checked against the analysed models: an unknown model
 * is a diagnostic at its name in the exposure file, an unknown column at its string, each with a
 * "did you mean". What passes becomes the manifest's `exposures` record.
 */
import { didYouMean } from '../config/suggest.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import type { ManifestExposure, ManifestModel } from '../manifest/types.js';
import type { Position } from './declaration-positions.js';
import type { ExposureSite, LoadedExposure } from './exposures.js';

export function manifestExposures(loaded: LoadedExposure[], models: Iterable<ManifestModel>, diagnostics: Diagnostic[]): Record<string, ManifestExposure> {
  const byName = new Map<string, ManifestModel>();
  for (const m of models) byName.set(m.name, m);
  const out: Record<string, ManifestExposure> = {};
  const seen = new Map<string, ExposureSite>();
  for (const { declaration: d, site } of [...loaded].sort((a, b) => a.declaration.name.localeCompare(b.declaration.name))) {
    const id = `exposure.${d.name}`;
    const first = seen.get(id);
    if (first) {
      const pos = site.keys.positionOf(['name'], 'value');
      diagnostics.push({ ...at(site, pos), code: 'ETL215', severity: 'error', message: `Exposure ${d.name} is declared twice (also in ${first.file})`, hint: 'Give each exposure a unique name.' });
      continue;
    }
    seen.set(id, site);
    const depends: ManifestExposure['depends'] = [];
    d.depends.forEach((dep, i) => {
      const model = byName.get(dep.ref);
      if (!model) {
        const pos = site.keys.positionOf(['depends', i, 'ref'], 'value');
        const hint = didYouMean(dep.ref, byName.keys()) || 'Name a model of the project (its file name without the extension).';
        diagnostics.push({ ...at(site, pos), code: 'ETL213', severity: 'error', message: `Exposure ${d.name} reads unknown model '${dep.ref}'`, hint });
        return;
      }
      const names = model.columns.map((c) => c.name);
      const columns = dep.columns ?? [];
      let from = offsetOf(site.text, site.keys.positionOf(['depends', i, 'columns'], 'value'));
      for (const column of columns) {
        const found = stringLiteralAt(site.text, column, from);
        if (found) from = found.end;
        if (names.includes(column)) continue;
        const pos = found ? positionAt(site.text, found.start) : site.keys.positionOf(['depends', i, 'columns'], 'value');
        const hint = didYouMean(column, names) || `Columns of ${model.name}: ${names.join(', ')}.`;
        diagnostics.push({ ...at(site, pos), code: 'ETL214', severity: 'error', message: `Exposure ${d.name} reads unknown column '${column}' of ${model.name}`, hint });
      }
      depends.push({ model: model.id, columns: [...columns] });
    });
    out[id] = {
      id,
      name: d.name,
      type: d.type,
      tool: d.tool,
      owner: { ...d.owner },
      ...(d.url ? { url: d.url } : {}),
      ...(d.description ? { description: d.description } : {}),
      depends,
      file: site.file,
    };
  }
  return out;
}

function at(site: ExposureSite, pos: Position) {
  return { file: site.file, ...pos, frame: codeFrame(site.text, pos.line, pos.column) };
}

function offsetOf(text: string, pos: Position): number {
  let offset = 0;
  for (let line = 1; line < pos.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset + pos.column - 1;
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** The next `'value'` or `"value"` literal from `from` (column lists are plain string arrays). */
function stringLiteralAt(text: string, value: string, from: number): { start: number; end: number } | undefined {
  const hits = [`'${value}'`, `"${value}"`].map((s) => ({ s, at: text.indexOf(s, from) })).filter((h) => h.at >= 0);
  if (!hits.length) return undefined;
  const first = hits.reduce((a, b) => (b.at < a.at ? b : a));
  return { start: first.at, end: first.at + first.s.length };
}
