/**
 * Unit tests as operations: the model's SELECT rendered again with each given input's ref/source
 * pointing at a temporary view of its rows, so the runner never rewrites SQL text.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { inlineEphemerals } from '../emit/ephemerals.js';
import type { LoadedSource } from '../load/sources.js';
import type { ManifestColumn, ManifestModel, ManifestUnitTest } from '../manifest/types.js';
import { renderModel, type RenderedModel, type RenderScope } from '../resolve/models.js';
import type { ColumnType, Query, UnitTest } from '../plan/operations.js';
import type { RenderedModel as Rendered } from '../resolve/models.js';
import { queryFromRendered, trimQuery } from '../plan/query-map.js';

export interface UnitTestInput {
  unitTests: Record<string, ManifestUnitTest>;
  models: Map<string, ManifestModel>;
  rendered: Map<string, RenderedModel>;
  scope: RenderScope;
  sourceById: Map<string, LoadedSource>;
  diagnostics: Diagnostic[];
}

export interface UnitTestOperation {
  id: string;
  name: string;
  file: string;
  model: string;
  test: UnitTest;
}

const typed = (columns: ManifestColumn[]): ColumnType[] => columns.map((c) => ({ name: c.name, type: c.type }));

function inputColumns(input: string, ctx: UnitTestInput): ColumnType[] {
  const model = ctx.models.get(input);
  if (model) return typed(model.columns);
  const s = ctx.sourceById.get(input)!.manifest;
  return [...typed(s.columns), ...typed(s.bronze.metadataColumns), ...s.bronze.partitionBy.map((name) => ({ name, type: 'date' }))];
}

export function compileUnitTestOperations(ctx: UnitTestInput): UnitTestOperation[] {
  const out: UnitTestOperation[] = [];
  for (const ut of Object.values(ctx.unitTests)) {
    const model = ctx.models.get(ut.model);
    const r = model && ctx.rendered.get(model.name);
    if (!model || !r) continue;
    const prefix = `etl_ut_${ut.id.replace(/\W+/g, '_')}`.slice(0, 100);
    const inputs = ut.given.map((g, i) => ({ view: `${prefix}_in${i}`, input: g.input, columns: inputColumns(g.input, ctx), rows: g.rows }));
    const models = new Map(ctx.scope.models);
    const sources = new Map(ctx.scope.sources);
    for (const i of inputs) {
      if (i.input.startsWith('model.')) models.set(i.input.slice(6), { relation: { fqn: i.view } });
      else sources.set(i.input.slice(7), i.view);
    }
    const scope: RenderScope = { ...ctx.scope, models, sources };
    const query = renderWithInputs(model, r, scope, ctx);
    const missing = inputsRead(model, ctx).filter((d) => !ut.given.some((g) => g.input === d));
    if (!query || missing.length) {
      if (missing.length) {
        ctx.diagnostics.push({
          code: 'ETL182',
          severity: 'error',
          message: `Unit test '${ut.name}' of ${model.name} gives no rows for ${missing.map((m) => m.replace(/^(model|source)\./, '')).join(', ')}, which the model reads`,
          ...unitTestPosition(r, ut.name),
          hint: 'A unit test must not read the warehouse: add a `given` entry (rows may be empty) for each input.',
        });
      }
      continue;
    }
    out.push({ id: ut.id, name: ut.name, file: ut.file, model: ut.model, test: { kind: 'UnitTest', inputs, query, expect: ut.expect } });
  }
  return out;
}

/** The models and sources a model reads, through its ephemeral parents (inlined, so their inputs are its own). */
function inputsRead(model: ManifestModel, ctx: UnitTestInput, seen = new Set<string>()): string[] {
  const out = new Set<string>(model.dependsOn.sources);
  for (const p of model.dependsOn.models) {
    const parent = ctx.models.get(p);
    if (parent?.materialized !== 'ephemeral') out.add(p);
    else if (!seen.has(p)) {
      seen.add(p);
      for (const d of inputsRead(parent, ctx, seen)) out.add(d);
    }
  }
  return [...out].sort();
}

/** Where the unit test is declared in the model's sidecar, with a frame. */
function unitTestPosition(r: RenderedModel, name: string): { file: string; line: number; column: number; frame: string } {
  const meta = r.file.meta!;
  const index = Math.max(0, (meta.data.unit_tests ?? []).findIndex((u) => u.name === name));
  const pos = meta.position(['unit_tests', index, 'name']);
  return { file: meta.file, ...pos, frame: codeFrame(meta.text, pos.line, pos.column) };
}

/** The model's query under `scope`, ephemeral parents rendered under it too and inlined. */
function renderWithInputs(model: ManifestModel, r: RenderedModel, scope: RenderScope, ctx: UnitTestInput): Query | undefined {
  const problems: Diagnostic[] = [];
  const self = renderModel(r, scope, problems);
  if (!self) return undefined;
  const ctes: Array<{ name: string; query: Query }> = [];
  const seen = new Set<string>();
  const collect = (m: ManifestModel) => {
    for (const p of m.dependsOn.models) {
      const pm = ctx.models.get(p);
      if (pm?.materialized !== 'ephemeral' || seen.has(p)) continue;
      seen.add(p);
      collect(pm);
      const pr = ctx.rendered.get(pm.name);
      const again = pr && renderModel(pr, scope, problems);
      if (again) ctes.push({ name: String(ctx.scope.models.get(pm.name)?.relation.fqn ?? pm.name), query: queryFromRendered(again.full, again.file.file) });
    }
  };
  collect(model);
  return inlineEphemerals(trimQuery(queryFromRendered(self.full, self.file.file)), ctes);
}

/** Unit tests declared in sidecars, their inputs checked against what the model reads. */
export function compileUnitTests(
  models: Map<string, ManifestModel>,
  rendered: Map<string, Rendered>,
  sourceById: Map<string, LoadedSource>,
  diagnostics: Diagnostic[],
): Record<string, ManifestUnitTest> {
  const out: Record<string, ManifestUnitTest> = {};
  for (const m of models.values()) {
    const meta = rendered.get(m.name)?.file.meta;
    for (const [i, ut] of (meta?.data.unit_tests ?? []).entries()) {
      const given: ManifestUnitTest['given'] = [];
      for (const [j, g] of ut.given.entries()) {
        const input = models.has(`model.${g.input}`) ? `model.${g.input}` : sourceById.has(`source.${g.input}`) ? `source.${g.input}` : undefined;
        if (!input || (!m.dependsOn.models.includes(input) && !m.dependsOn.sources.includes(input))) {
          const pos = meta!.position(['unit_tests', i, 'given', j, 'input']);
          diagnostics.push({
            code: 'ETL181',
            severity: 'error',
            message: `Unit test '${ut.name}' gives rows for '${g.input}', which ${m.name} does not read`,
            file: meta!.file,
            ...pos,
            frame: codeFrame(meta!.text, pos.line, pos.column),
            hint: `Inputs of ${m.name}: ${[...m.dependsOn.models.map((x) => x.slice(6)), ...m.dependsOn.sources.map((x) => x.slice(7))].join(', ')}.`,
          });
          continue;
        }
        given.push({ input, rows: g.rows });
      }
      const id = `unit_test.${m.name}.${ut.name}`;
      out[id] = { id, name: ut.name, model: m.id, file: meta!.file, given, expect: ut.expect };
    }
  }
  return out;
}
