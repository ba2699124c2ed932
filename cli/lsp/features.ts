/**
 * What the editor asks at a position of a model file, answered from the session's compiled
 * project: where a ref/source is defined, a column's type and lineage, columns and model names to
 * complete.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CompletionItemKind, MarkupKind, type CompletionItem, type Hover, type Location, type Position } from 'vscode-languageserver/node';
import type { ManifestModel, ManifestSource } from '../../compiler/index.js';
import { findPosition } from '../../compiler/load/sources.js';
import type { CompiledParts } from '../../compiler/session/state.js';
import { callAt, refArgumentAt, wordAt } from './calls.js';
import { fileUri } from './diagnostics.js';

type Column = { name: string; type: string; nullable: boolean; upstream?: Array<{ node: string; column: string }>; sources?: Array<{ node: string; column: string }> };

const modelOf = (c: CompiledParts, file: string) => [...c.resolved.rendered.values()].find((r) => r.file.file === file || r.file.meta?.file === file);
const sourceOf = (c: CompiledParts, source: string, table: string): ManifestSource | undefined => c.sourceById.get(`source.${source}.${table}`)?.manifest;

/** Go to the model file of `ref('x')`, or the declaration of `source('a', 'b')`. */
export function definition(c: CompiledParts, projectDir: string, line: string, pos: Position): Location | undefined {
  const call = callAt(line, pos.character);
  if (!call) return undefined;
  const at = (file: string, p = { line: 1, column: 1 }): Location => ({ uri: fileUri(projectDir, file), range: { start: { line: p.line - 1, character: p.column - 1 }, end: { line: p.line - 1, character: p.column - 1 } } });
  if (call.kind === 'ref') {
    const r = c.resolved.rendered.get(call.name);
    const f = r?.file ?? c.loaded.modelFiles.find((m) => m.name === call.name);
    return f ? at(f.file) : undefined;
  }
  const s = sourceOf(c, call.source, call.table);
  if (!s) return undefined;
  let text = '';
  try {
    text = readFileSync(path.join(projectDir, s.file), 'utf8');
  } catch {
    /* the file start then */
  }
  return at(s.file, findPosition(text, call.table));
}

/** The columns a model reads: each upstream model's and source's, with where they come from. */
function upstreamColumns(c: CompiledParts, file: string): Array<{ from: string; column: Column }> {
  const r = modelOf(c, file);
  if (!r) return [];
  const out: Array<{ from: string; column: Column }> = [];
  for (const ref of r.refs) for (const column of c.models.get(`model.${ref.name}`)?.columns ?? []) out.push({ from: ref.name, column });
  for (const s of r.sources) for (const column of sourceOf(c, s.source, s.table)?.columns ?? []) out.push({ from: `${s.source}.${s.table}`, column });
  return out;
}

const lineage = (col: Column) => {
  const list = (xs: Array<{ node: string; column: string }> | undefined) => (xs?.length ? xs.map((u) => `\`${u.node.replace(/^(model|source)\./, '')}.${u.column}\``).join(', ') : '');
  const up = list(col.upstream);
  const src = list(col.sources);
  return [up ? `from ${up}` : '', src ? `sources: ${src}` : ''].filter(Boolean).join('  \n');
};

const describe = (owner: string, col: Column) => [`**${owner}.${col.name}**: \`${col.type}\`${col.nullable ? '' : ' NOT NULL'}`, lineage(col)].filter(Boolean).join('  \n');

/** A column's type and lineage (in this model, else in what it reads), or a ref'd model's columns. */
export function hover(c: CompiledParts, file: string, line: string, pos: Position): Hover | undefined {
  const call = callAt(line, pos.character);
  const range = (start: number, end: number) => ({ start: { line: pos.line, character: start }, end: { line: pos.line, character: end } });
  if (call?.kind === 'ref') {
    const m = c.models.get(`model.${call.name}`);
    if (!m) return undefined;
    return { contents: { kind: MarkupKind.Markdown, value: modelSummary(m) }, range: range(call.start, call.end) };
  }
  const word = wordAt(line, pos.character);
  if (!word) return undefined;
  const r = modelOf(c, file);
  const own = r && c.models.get(r.id)?.columns.find((x) => x.name.toLowerCase() === word.word.toLowerCase());
  const found = own ? { from: r.file.name, column: own as Column } : upstreamColumns(c, file).find((u) => u.column.name.toLowerCase() === word.word.toLowerCase());
  if (!found) return undefined;
  return { contents: { kind: MarkupKind.Markdown, value: describe(found.from, found.column) }, range: range(word.start, word.end) };
}

function modelSummary(m: ManifestModel): string {
  return [`**${m.name}** (${m.materialized}, ${m.file})`, ...m.columns.map((col) => `- \`${col.name}\`: \`${col.type}\``)].join('\n');
}

/** Model names inside `ref('...`, else the columns the model reads (then its own). */
export function completion(c: CompiledParts, file: string, line: string, pos: Position): CompletionItem[] {
  const typed = refArgumentAt(line, pos.character);
  if (typed !== undefined) {
    return [...c.resolved.rendered.values()]
      .filter((r) => r.file.file !== file && r.file.name.startsWith(typed))
      .map((r) => ({ label: r.file.name, kind: CompletionItemKind.Module, detail: r.file.file }));
  }
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const { from, column } of upstreamColumns(c, file)) {
    if (seen.has(column.name)) continue;
    seen.add(column.name);
    items.push({ label: column.name, kind: CompletionItemKind.Field, detail: `${column.type} (${from})`, documentation: { kind: MarkupKind.Markdown, value: describe(from, column) } });
  }
  return items;
}
