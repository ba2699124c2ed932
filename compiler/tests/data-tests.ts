/** The tests stage: data tests (generic, freshness, singular) compiled from model metadata and tests/, each with its DataTest operation. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { freshnessSql, genericTestSql, normaliseSeverity, readTestSpec } from './generic-tests.js';
import { testCatalog, testColumnProblems, type TestColumnProblem } from './test-columns.js';
import { analyseSql } from '../analyse/analyse-sql.js';
import type { ModelMetaSource } from '../load/model-files.js';
import type { DataTest, Query } from '../plan/operations.js';
import { queryFromRendered, sliceQuery, trimQuery } from '../plan/query-map.js';
import { parseThreshold } from '../plan/thresholds.js';
import type { LoadedSource } from '../load/sources.js';
import type { LoadedSeed } from '../load/seeds.js';
import { userTestSql, type UserGenericTest } from './user-generic-tests.js';
import type { ArgProblem } from './user-generic-args.js';
import type { ManifestModel, ManifestTest } from '../manifest/types.js';
import { parseSparkQuery } from '../analyse/parse.js';
import { newRenderState, type RenderedModel, type RenderScope } from '../resolve/models.js';
import { compileTemplate, TemplateRenderError, TemplateSyntaxError, templateSyntaxDiagnostic } from '../resolve/template.js';
import { reportRenderProblems } from '../resolve/render-problems.js';

export interface TestsInput {
  models: Map<string, ManifestModel>;
  sources: LoadedSource[];
  rendered: Map<string, RenderedModel>;
  singular: Array<{ name: string; file: string; text: string }>;
  env: Parameters<typeof compileTemplate>[0];
  scope: RenderScope;
  preparedByName: Map<string, { relation: { fqn: string } }>;
  diagnostics: Diagnostic[];
  /**
   * Models whose tests and readers are cascades of an error reported elsewhere (they failed, or a
   * model or source they read did): tests reading them are left out, reported by their cause.
   */
  blocked?: ReadonlySet<string>;
  /** Seeds by name: a relationships test may point at one (`to: country_currency`). */
  seeds?: ReadonlyMap<string, LoadedSeed>;
  /** User-defined generic tests of tests/generic/, by name. */
  userTests?: ReadonlyMap<string, UserGenericTest>;
}

/** Collects the tests of the project and their DataTest operations, ids made unique in order. */
class TestCollector {
  readonly tests: Record<string, ManifestTest> = {};
  readonly operations = new Map<string, DataTest>();
  constructor(private readonly input: TestsInput) {}

  // Thresholds were checked where the test is read; generated SQL maps to the test's own entry.
  add(t: ManifestTest, query: Query): void {
    let id = t.id;
    for (let i = 2; this.tests[id]; i++) id = `${t.id}_${i}`;
    this.tests[id] = { ...t, id, artifact: `target/tests/${id}.sql` };
    const maskColumns = classifiedColumns([...t.dependsOn.models, ...t.dependsOn.sources, t.attachedTo.node], this.input.models, this.input.sources);
    this.operations.set(id, { kind: 'DataTest', query, severity: t.severity, warnIf: parseThreshold(t.warnIf)!, errorIf: parseThreshold(t.errorIf)!, maskColumns });
  }
}

/** Generated SQL attributed to the test's entry in its file. */
const at = (sql: string, file: string, line: number, column: number): Query => ({ sql, files: [file], segments: [[0, 0, line, column, 0]] });

export function compileTests(input: TestsInput): { tests: Record<string, ManifestTest>; operations: Map<string, DataTest> } {
  const out = new TestCollector(input);
  genericTests(input, out);
  freshnessTests(input, out);
  singularTests(input, out);
  return { tests: out.tests, operations: out.operations };
}

/** Tests declared in model sidecars (per column and per model). */
function genericTests(input: TestsInput, out: TestCollector): void {
  const { models, rendered, scope, preparedByName, diagnostics } = input;
  const resolve = (name: string) => preparedByName.get(name)?.relation.fqn ?? input.seeds?.get(name)?.manifest.relation.fqn ?? scope.sources.get(name);
  for (const m of models.values()) {
    const r = rendered.get(m.name)!;
    const meta = r.file.meta;
    if (!meta || !m.relation) continue;
    const specs: Array<{ spec: unknown; column?: string; path: Array<string | number> }> = [];
    for (const [col, c] of Object.entries(meta.data.columns ?? {})) (c?.tests ?? []).forEach((spec, i) => specs.push({ spec, column: col, path: ['columns', col, 'tests', i] }));
    (meta.data.tests ?? []).forEach((spec, i) => specs.push({ spec, path: ['tests', i] }));
    for (const { spec, column, path: p } of specs) {
      const read = readTestSpec(spec);
      const to = read?.test === 'relationships' ? read.args.to : undefined;
      if (typeof to === 'string' && input.blocked?.has(to)) continue; // a cascade of that model's own error
      const fail = (message: string, hint: string) => {
        const pos = meta.position(p);
        diagnostics.push({ code: 'ETL180', severity: 'error', message: `${message} (model ${m.name})`, file: meta.file, ...pos, frame: codeFrame(meta.text, pos.line, pos.column), hint });
      };
      if (!read) {
        fail('A test must be a name or a single-key map', 'e.g. `- not_null` or `- accepted_values: { values: [a, b] }`');
        continue;
      }
      const columnProblems = testColumnProblems({ test: read.test, args: read.args, ...(column ? { column } : {}), model: m, models, sources: input.sources, ...(input.seeds ? { seeds: input.seeds } : {}) });
      for (const cp of columnProblems) diagnostics.push(columnDiagnostic(cp, meta, p));
      if (columnProblems.length) continue;
      const userTest = input.userTests?.get(read.test);
      const reportArg = (ap: ArgProblem) => {
        // `- my_test` (no arguments written): at the entry itself.
        const pos = meta.position(typeof spec === 'string' ? p : [...p, ...ap.path]);
        diagnostics.push({ code: ap.code, severity: 'error', message: `${ap.message} (model ${m.name})`, file: meta.file, ...pos, frame: codeFrame(meta.text, pos.line, pos.column), hint: ap.hint });
      };
      const use = { relation: m.relation.fqn, ...(column ? { column } : {}), args: read.args, modelColumns: m.columns.map((c) => c.name) };
      const sql = userTest ? userTestSql(userTest, use, scope, reportArg) : genericTestSql({ test: read.test, args: read.args, relation: m.relation.fqn, ...(column ? { column } : {}), resolve });
      if (!sql) continue;
      if (!sql.ok) {
        fail(sql.message, sql.hint);
        continue;
      }
      const sev = normaliseSeverity(read.args);
      const bad = [sev.warnIf, sev.errorIf].find((t) => !parseThreshold(t));
      if (bad !== undefined) {
        fail(`Invalid threshold '${bad}'`, "Thresholds look like '>0', '>=10' or '!=0'.");
        continue;
      }
      const extra = sql.extraDeps.map((d) => (models.has(`model.${d}`) ? `model.${d}` : input.seeds?.has(d) ? `seed.${d}` : `source.${d}`));
      const { severity: _s, warn_if: _w, error_if: _e, ...args } = read.args;
      void _s;
      void _w;
      void _e;
      out.add({
        id: `test.${m.name}.${read.test}${column ? `.${column}` : ''}`,
        name: `${read.test}${column ? `_${column}` : ''}`,
        kind: 'generic',
        test: read.test,
        args,
        attachedTo: { node: m.id, ...(column ? { column } : {}) },
        dependsOn: {
          models: [m.id, ...extra.filter((x) => x.startsWith('model.'))].sort(),
          sources: extra.filter((x) => x.startsWith('source.') || x.startsWith('seed.')).sort(),
        },
        ...sev,
        sql: sql.sql,
        file: meta.file,
        artifact: '',
      }, at(sql.sql, meta.file, meta.position(p).line, meta.position(p).column));
    }
  }
}

/** A test's column problem at its place in the test entry (inside an expression: at the character). */
function columnDiagnostic(cp: TestColumnProblem, meta: ModelMetaSource, entry: Array<string | number>): Diagnostic {
  const pos = meta.position([...entry, ...cp.path]);
  const offsetOf = (line: number) => {
    let at = 0;
    for (let l = 1; l < line; l++) at = meta.text.indexOf('\n', at) + 1;
    return at;
  };
  const quoted = /["']/.test(meta.text[offsetOf(pos.line) + pos.column - 1] ?? '');
  const at = cp.within ? { line: pos.line + cp.within.line, column: (cp.within.line === 0 ? pos.column + (quoted ? 1 : 0) : 1) + cp.within.column } : pos;
  return { code: cp.code, severity: 'error', message: cp.message, file: meta.file, ...at, frame: codeFrame(meta.text, at.line, at.column), hint: cp.hint };
}

/** Source freshness, a warn and an error test per declared threshold. */
function freshnessTests(input: TestsInput, out: TestCollector): void {
  for (const s of input.sources) {
    const f = s.manifest.freshness;
    if (!f) continue;
    for (const [severity, after] of [
      ['warn', f.warnAfterSeconds],
      ['error', f.errorAfterSeconds],
    ] as const) {
      if (!after) continue;
      out.add({
        id: `test.${s.manifest.sourceName}.${s.manifest.table}.freshness_${severity}`,
        name: `freshness_${severity}`,
        kind: 'generic',
        test: 'freshness',
        args: { loaded_at_column: f.loadedAtColumn, after_seconds: after },
        attachedTo: { node: s.manifest.id },
        dependsOn: { models: [], sources: [s.manifest.id] },
        severity,
        warnIf: '>0',
        errorIf: '>0',
        sql: freshnessSql(s.manifest.bronze.relation, f.loadedAtColumn, after),
        file: s.manifest.file,
        artifact: '',
      }, at(freshnessSql(s.manifest.bronze.relation, f.loadedAtColumn, after), s.manifest.file, 1, 1));
    }
  }
}

/** Singular tests: templates under tests/, each a SELECT returning failing rows. */
function singularTests(input: TestsInput, collector: TestCollector): void {
  const { singular, env, scope, diagnostics } = input;
  let catalog: ReturnType<typeof testCatalog> | undefined;
  for (const t of singular) {
    let template;
    try {
      template = compileTemplate(env, t.text);
    } catch (err) {
      if (err instanceof TemplateSyntaxError) diagnostics.push(templateSyntaxDiagnostic(err, t.file, t.text));
      continue;
    }
    const state = newRenderState('', scope, false);
    let out;
    try {
      out = template.render({}, { state });
    } catch (err) {
      if (!(err instanceof TemplateRenderError)) throw err;
      if (err.macro) reportRenderProblems([{ code: 'ETL130', message: err.message, hint: 'Check the helper or partial name.', line: err.line, column: err.column, macro: err.macro }], t, diagnostics);
      else diagnostics.push(templateSyntaxDiagnostic(err, t.file, t.text));
      continue;
    }
    // Problems inside a macro go to the macro file, with this test's call as related.
    if (reportRenderProblems(state.problems, t, diagnostics) > 0) continue;
    // Reads a model or source that failed (the scope answers a placeholder): a cascade of that error.
    const loadedSource = (x: { source: string; table: string }) => input.sources.some((s) => s.manifest.sourceName === x.source && s.manifest.table === x.table);
    if (state.refs.some((x) => input.blocked?.has(x.name)) || !state.sources.every(loadedSource)) continue;
    const parsed = parseSparkQuery(out.text);
    if (!parsed.ok) {
      const pos = out.toTemplate(parsed.line, parsed.column);
      diagnostics.push({ code: 'ETL164', severity: 'error', message: `SQL syntax error in test: ${parsed.message}`, file: t.file, ...pos, frame: codeFrame(t.text, pos.line, pos.column), hint: 'A singular test is a SELECT returning the failing rows.' });
      continue;
    }
    // Analysed like a model: unknown columns (and other errors) in its SELECT, at their place in the file.
    catalog ??= testCatalog(input.models, input.sources);
    // A model that failed its own analysis has no columns to check against: reported there.
    const analysable = state.refs.every((x) => input.models.has(`model.${x.name}`));
    const declared = [...state.refs.map((x) => input.preparedByName.get(x.name)?.relation.fqn), ...state.sources.map((x) => scope.sources.get(`${x.source}.${x.table}`))];
    const analysed = !analysable ? { problems: [] } : analyseSql({ id: `test.singular.${t.name}`, full: out.text, declared: declared.filter((x): x is string => x !== undefined).map((x) => x.toLowerCase()) }, catalog);
    const errors = analysed.problems.filter((p) => p.severity === 'error');
    for (const p of errors) {
      const pos = out.toTemplate(p.line, p.column);
      diagnostics.push({ code: p.code, severity: 'error', message: `${p.message} (in test ${t.name})`, file: t.file, ...pos, frame: codeFrame(t.text, pos.line, pos.column), ...(p.hint ? { hint: p.hint } : {}) });
    }
    if (errors.length) continue;
    // A ref to a seed waits for the seed's node, as a generic test's does (seeds sit with the sources).
    const isSeed = (name: string) => !input.models.has(`model.${name}`) && input.seeds?.has(name) === true;
    const modelDeps = [...new Set(state.refs.filter((x) => !isSeed(x.name)).map((x) => `model.${x.name}`))].sort();
    const sourceDeps = [...new Set([...state.sources.map((x) => `source.${x.source}.${x.table}`), ...state.refs.filter((x) => isSeed(x.name)).map((x) => `seed.${x.name}`)])].sort();
    const sev = normaliseSeverity(state.config as Record<string, unknown>);
    const badThreshold = [sev.warnIf, sev.errorIf].find((x) => !parseThreshold(x));
    if (badThreshold !== undefined) {
      diagnostics.push({ code: 'ETL180', severity: 'error', message: `Invalid threshold '${badThreshold}' in test ${t.name}`, file: t.file, line: 1, column: 1, frame: codeFrame(t.text, 1, 1), hint: "Thresholds look like '>0', '>=10' or '!=0'." });
      continue;
    }
    let query = trimQuery(queryFromRendered(out, t.file));
    if (query.sql.endsWith(';')) query = trimQuery(sliceQuery(query, 0, query.sql.length - 1));
    // Attached to the last model it reads (in id order), so it runs once that model is built.
    const attached = modelDeps[modelDeps.length - 1] ?? sourceDeps[0] ?? '';
    collector.add({
      id: `test.singular.${t.name}`,
      name: t.name,
      kind: 'singular',
      args: {},
      attachedTo: { node: attached },
      dependsOn: { models: modelDeps, sources: sourceDeps },
      ...sev,
      sql: query.sql,
      file: t.file,
      artifact: '',
    }, query);
  }
}

/**
 * Names of the classified (PII, sensitive, restricted) columns of what a test reads: their values
 * are masked in failing-row samples, which land in target/ and CI logs.
 */
function classifiedColumns(nodes: string[], models: Map<string, ManifestModel>, sources: LoadedSource[]): string[] {
  const out = new Set<string>();
  for (const id of new Set(nodes)) {
    const columns = models.get(id)?.columns ?? sources.find((s) => s.manifest.id === id)?.manifest.columns ?? [];
    for (const c of columns) if (c.classification.length) out.add(c.name.toLowerCase());
  }
  return [...out].sort();
}
