/**
 * Resolves model files into rendered models: merged config, relation names, refs and sources,
 * and the rendered SELECT (full-refresh form, plus the incremental form for incremental models).
 */
import path from 'node:path';
import type Handlebars from 'handlebars';
import { MODEL_BRAND, type DefinedModel, type ModelContext, type Relation } from '../api/models.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { checkModelConfig, folderDefaults, keyPosition, normaliseInlineConfig } from '../config/model-config-check.js';
import { modelMetaSchema } from '../config/model-config.js';
import { callSiteIn, importProjectModule } from '../load/import-project-module.js';
import type { ModelConfigInput, ProjectConfig } from '../load/project-config.js';
import type { ModelFile, ModelMetaSource } from '../load/model-files.js';
import { findPosition, positionFromStack } from '../load/sources.js';
import type { LayerName, LayerSettings } from '../manifest/types.js';
import { didYouMean, varValue as ownVar, type RenderState } from './environment.js';
import { reportRenderProblems } from './render-problems.js';
import { compileTemplate, templateSyntaxDiagnostic, TemplateRenderError, TemplateSyntaxError, type CompiledTemplate, type RenderedText } from './template.js';
import { typeScriptSqlMapper } from './ts-sql-positions.js';
import { isRawVar } from '../config/vars.js';
import { renderVar } from '../security/sql-vars.js';
import type { DeferredRelation } from '../compile-types.js';
import { environmentDatabase } from '../environments/environment.js';
import { snapshotPlacement } from '../config/snapshot-config.js';

export interface ModelRelation {
  database: string;
  table: string;
  fqn: string;
  location: string;
}

export interface PreparedModel {
  file: ModelFile;
  id: string;
  config: ModelConfigInput & { materialized: NonNullable<ModelConfigInput['materialized']> };
  relation: ModelRelation;
  template?: CompiledTemplate;
  tsModel?: DefinedModel;
  /** Where `sql:` is in a TypeScript model: problems in its SQL point here. */
  sqlPosition?: { line: number; column: number };
  /** Read from the deployment given with --defer (its relation is there), not built. */
  deferred?: boolean;
}

/** Where models go: an environment's databases and roots, and the models deferred to another deployment. */
export interface ModelPlacement {
  environment?: string | undefined;
  defer?: Record<string, DeferredRelation> | undefined;
}

/**
 * A model's table and location. In an environment an explicit `database` gets the environment's
 * suffix and an explicit `location` is not used: it names production's files.
 */
function modelRelation(file: ModelFile, config: PreparedModel['config'], layer: LayerSettings, environment: string | undefined): ModelRelation {
  const table = config.alias ?? file.name;
  const database = config.database === undefined ? layer.database : environment ? environmentDatabase(config.database, environment) : config.database;
  return {
    database,
    table,
    fqn: config.materialized === 'ephemeral' ? ephemeralCteName(file.name) : `${database}.${table}`,
    location: (environment ? undefined : config.location) ?? `${layer.root}/${table}`,
  };
}

export interface RenderedModel extends PreparedModel {
  refs: RenderState['refs'];
  /** Refs that name seeds (compiler/resolve/seed-refs.ts): read like sources, not models. */
  seeds?: RenderState['refs'];
  sources: RenderState['sources'];
  full: RenderedText;
  incremental?: RenderedText;
}

const EPHEMERAL_PREFIX = '__ephemeral_';
export const ephemeralCteName = (name: string) => `${EPHEMERAL_PREFIX}${name}`;

/** A model file read far enough to know its own config: a compiled template or an evaluated TS module. */
interface ModelSource {
  file: ModelFile;
  inline: ModelConfigInput;
  template?: CompiledTemplate;
  tsModel?: DefinedModel;
  sqlPosition?: { line: number; column: number };
}

function readSqlModel(file: ModelFile, env: typeof Handlebars, diagnostics: Diagnostic[]): ModelSource | undefined {
  let template: CompiledTemplate;
  try {
    template = compileTemplate(env, file.text);
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err;
    diagnostics.push(templateSyntaxDiagnostic(err, file.file, file.text));
    return undefined;
  }
  let inline: ModelConfigInput = {};
  let ok = true;
  for (const call of template.configCalls) {
    const site = { model: file.name, file: file.file, text: file.text, at: (key: string) => keyPosition(file.text, call, key, '=') };
    const checked = checkModelConfig(normaliseInlineConfig(call.hash), site, diagnostics);
    if (checked) inline = { ...inline, ...checked };
    else ok = false;
  }
  return ok ? { file, inline, template } : undefined;
}

async function readTsModel(file: ModelFile, projectDir: string, diagnostics: Diagnostic[]): Promise<ModelSource | undefined> {
  const abs = path.join(projectDir, file.file);
  let tsModel: DefinedModel | undefined;
  try {
    const mod = await importProjectModule(abs);
    tsModel = Object.values(mod).find((v): v is DefinedModel => typeof v === 'object' && v !== null && MODEL_BRAND in v);
  } catch (err) {
    const pos = positionFromStack(err, abs);
    diagnostics.push({
      code: 'ETL150',
      severity: 'error',
      message: `Cannot load TypeScript model: ${(err as Error).message.split('\n')[0]}`,
      file: file.file,
      ...pos,
      frame: codeFrame(file.text, pos.line, pos.column),
      hint: 'Fix the error; `npx tsc --noEmit` reports type errors with positions.',
    });
    return undefined;
  }
  if (!tsModel) {
    diagnostics.push({
      code: 'ETL151',
      severity: 'error',
      message: `${file.file} does not export a model made with defineModel()`,
      file: file.file,
      line: 1,
      column: 1,
      hint: 'export default defineModel({ sql: ({ ref }) => `select ...` })',
    });
    return undefined;
  }
  const configPos = findPosition(file.text, 'config');
  const site = { model: file.name, file: file.file, text: file.text, at: (key: string) => keyPosition(file.text, configPos, key, ':') };
  const inline = checkModelConfig(tsModel.config ?? {}, site, diagnostics);
  const tsMeta = typeScriptMeta(file, tsModel, diagnostics);
  if (tsMeta) file = { ...file, meta: file.meta ? withModelMeta(file.meta, tsMeta, diagnostics) : tsMeta };
  if (tsModel.name && tsModel.name !== file.name) {
    const pos = findPosition(file.text, 'name');
    diagnostics.push({
      code: 'ETL152',
      severity: 'error',
      message: `Model name '${tsModel.name}' differs from its file name '${file.name}'`,
      file: file.file,
      ...pos,
      frame: codeFrame(file.text, pos.line, pos.column),
      hint: 'Model names come from file names; rename the file or drop `name`.',
    });
  }
  return inline ? { file, inline, tsModel, sqlPosition: findPosition(file.text, 'sql') } : undefined;
}

/**
 * A sidecar's metadata merged with the TypeScript model's own. As in dbt, where a model's in-file
 * config() overrides its YAML properties (and as `mergedConfig` below does), the model file's
 * description and owner win and tags add up. Columns and tests keep the file they were written in,
 * for the positions of their diagnostics: they come from whichever declares them; when both do, the
 * sidecar's are used and ETL124 says the model file's are ignored.
 */
function withModelMeta(sidecar: ModelMetaSource, ts: ModelMetaSource, diagnostics: Diagnostic[]): ModelMetaSource {
  const declaresChecks = (m: ModelMetaSource) => m.data.columns !== undefined || m.data.tests !== undefined;
  if (declaresChecks(ts) && declaresChecks(sidecar)) {
    const key = ts.data.columns !== undefined ? 'columns' : 'tests';
    const pos = ts.position([key], key);
    diagnostics.push({
      code: 'ETL124',
      severity: 'warning',
      message: `${ts.file} and its sidecar ${sidecar.file} both declare columns or tests; the sidecar's are used and the model file's \`${key}\` is ignored`,
      file: ts.file,
      ...pos,
      frame: codeFrame(ts.text, pos.line, pos.column),
      hint: `Declare columns and tests in one place: the model file or ${sidecar.file}.`,
    });
  }
  const base = declaresChecks(sidecar) || !declaresChecks(ts) ? sidecar : ts;
  const tags = [...new Set([...(sidecar.data.tags ?? []), ...(ts.data.tags ?? [])])];
  const data: ModelMetaSource['data'] = {
    ...sidecar.data,
    description: ts.data.description ?? sidecar.data.description,
    owner: ts.data.owner ?? sidecar.data.owner,
    tags: tags.length ? tags : undefined,
    // Columns and tests only from `base`, whose positions they carry.
    columns: base.data.columns,
    tests: base.data.tests,
  };
  const defined = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
  return { ...base, data: defined };
}

/** Config in precedence order: folder defaults, sidecar YAML, the model's own; tags add up. */
function mergedConfig(project: ProjectConfig, source: ModelSource): PreparedModel['config'] {
  const { file, inline } = source;
  const yamlConfig = file.meta?.data.config ?? {};
  const defaults = folderDefaults(project.defaults, file.file);
  const tags = [...new Set([...(defaults.tags ?? []), ...(file.meta?.data.tags ?? []), ...(yamlConfig.tags ?? []), ...(inline.tags ?? [])])].sort();
  // Each part was validated where it is written, so the merge is valid by construction.
  return { materialized: 'view', ...defaults, ...yamlConfig, ...inline, tags };
}

export async function prepareModels(
  files: ModelFile[],
  project: ProjectConfig,
  layers: Record<LayerName, LayerSettings>,
  env: typeof Handlebars,
  diagnostics: Diagnostic[],
  projectDir: string,
  placement: ModelPlacement = {},
): Promise<PreparedModel[]> {
  const out: PreparedModel[] = [];
  for (const modelFile of files) {
    const source = modelFile.language === 'sql' ? readSqlModel(modelFile, env, diagnostics) : await readTsModel(modelFile, projectDir, diagnostics);
    if (!source) continue;
    const { template, tsModel, sqlPosition } = source;
    const config = mergedConfig(project, source);
    const file = snapshotPlacement(source.file, config, diagnostics);
    if (config.enabled === false) continue;
    const id = `model.${file.name}`;
    const deferredTo = config.materialized === 'ephemeral' ? undefined : placement.defer?.[id];
    const relation = deferredTo ?? modelRelation(file, config, layers[file.layer], placement.environment);
    out.push({
      file,
      id,
      config,
      relation,
      ...(deferredTo ? { deferred: true } : {}),
      ...(template ? { template } : {}),
      ...(tsModel ? { tsModel } : {}),
      ...(sqlPosition ? { sqlPosition } : {}),
    });
  }
  return out;
}

/**
 * Metadata declared in a TypeScript model (description, owner, tags, columns with tests). Positions
 * point at the key's first mention in the file, the closest a TypeScript object literal allows.
 */
function typeScriptMeta(file: ModelFile, model: DefinedModel, diagnostics: Diagnostic[]): ModelMetaSource | undefined {
  const { description, owner, tags, columns, tests } = model;
  const raw = Object.fromEntries(Object.entries({ description, owner, tags, columns, tests }).filter(([, v]) => v !== undefined));
  if (Object.keys(raw).length === 0) return undefined;
  const position = (p: ReadonlyArray<string | number>, key?: string) => {
    const needle = key ?? [...p].reverse().find((x): x is string => typeof x === 'string') ?? 'columns';
    return findPosition(file.text, needle);
  };
  const parsed = modelMetaSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const pos = position(issue.path.filter((x): x is string | number => typeof x !== 'symbol'));
      diagnostics.push({
        code: 'ETL121',
        severity: 'error',
        message: `Invalid model metadata of ${file.name} at '${issue.path.join('.')}': ${issue.message}`,
        file: file.file,
        ...pos,
        frame: codeFrame(file.text, pos.line, pos.column),
        hint: 'See the model metadata reference in README.md.',
      });
    }
    return undefined;
  }
  return { file: file.file, text: file.text, data: parsed.data, position };
}

export interface RenderScope {
  models: Map<string, { relation: { fqn: string } }>;
  sources: Map<string, string>;
  vars: Record<string, unknown>;
  /** Computed once: copying 10,000 names per render would make rendering quadratic. */
  modelNames: string[];
  sourceNames: string[];
}

/** Fresh render state for one template (a model, or a singular test when `self` is empty). */
export function newRenderState(self: string, scope: RenderScope, isIncremental: boolean): RenderState {
  return {
    isIncremental,
    self,
    resolveRef: (name) => scope.models.get(name)?.relation.fqn,
    resolveSource: (source, table) => scope.sources.get(`${source}.${table}`),
    vars: scope.vars,
    refs: [],
    sources: [],
    config: {},
    problems: [],
    knownModels: scope.modelNames,
    knownSources: scope.sourceNames,
  };
}

/** A Relation handle for TypeScript models: interpolates as its table; `.c.col` is the column name. */
function relationHandle(fqn: string, alias?: string): Relation<Record<string, unknown>> {
  const c = new Proxy({}, { get: (_t, prop) => (typeof prop === 'string' ? (alias ? `${alias}.${prop}` : prop) : undefined) });
  return {
    c: c as Relation<Record<string, unknown>>['c'],
    as: (a: string) => relationHandle(fqn, a),
    toString: () => (alias ? `${fqn} ${alias}` : fqn),
  };
}

function renderTs(model: PreparedModel, state: RenderState): RenderedText {
  const pos = model.sqlPosition ?? { line: 1, column: 1 };
  // Where ref() or source() was called in the model file (from the stack), else `sql:`.
  const here = () => callSiteIn(model.file.file) ?? pos;
  const varValue = (name: string, fallback: unknown): unknown => {
    const own = ownVar(state.vars, name);
    if (own) return own.value;
    if (fallback !== undefined) return fallback;
    state.problems.push({ code: 'ETL142', message: `Unknown var '${name}'`, hint: didYouMean(name, Object.keys(state.vars)) || 'Define it under vars: in project.yaml.', ...pos });
    return undefined;
  };
  const ctx: ModelContext = {
    ref: ((name: string) => {
      const at = here();
      state.refs.push({ name, ...at });
      const fqn = state.resolveRef(name);
      if (fqn === undefined) {
        state.problems.push({ code: 'ETL140', message: `Unknown model '${name}' in ref`, hint: didYouMean(name, state.knownModels) || 'Check the model name.', ...at });
      }
      return relationHandle(fqn ?? `__unknown_ref_${name}__`);
    }) as ModelContext['ref'],
    source: ((source: string, table: string) => {
      const at = here();
      state.sources.push({ source, table, ...at });
      const fqn = state.resolveSource(source, table);
      if (fqn === undefined) {
        state.problems.push({ code: 'ETL141', message: `Unknown source table '${source}.${table}'`, hint: didYouMean(`${source}.${table}`, state.knownSources) || 'Declare it in sources/.', ...at });
      }
      return relationHandle(fqn ?? `__unknown_source_${source}_${table}__`);
    }) as ModelContext['source'],
    var: (name: string, fallback?: unknown) => {
      const value = varValue(name, fallback);
      if (value === undefined) return '__unknown_var__';
      const rendered = renderVar(name, value, 'sql');
      if ('text' in rendered) return rendered.text;
      state.problems.push({ code: 'ETL192', message: rendered.problem, hint: 'ctx.var() renders a SQL literal; ctx.varValue() gives the value itself, for logic.', ...pos });
      return 'NULL';
    },
    varValue: (name: string, fallback?: unknown) => {
      const value = varValue(name, fallback);
      return isRawVar(value) ? value.value : (value ?? null);
    },
    isIncremental: state.isIncremental,
    this: state.self,
  };
  let text = '';
  try {
    text = String(model.tsModel!.sql(ctx));
  } catch (err) {
    state.problems.push({ code: 'ETL154', message: `The model's sql() threw: ${(err as Error).message}`, hint: 'sql() must return the SELECT as a string.', ...pos });
  }
  // Built on first use: only diagnostics need it.
  let mapper: ReturnType<typeof typeScriptSqlMapper> | null = null;
  return {
    text,
    toTemplate: (line, column) => {
      if (mapper === null) mapper = typeScriptSqlMapper(model.file.text, Math.max(0, model.file.text.indexOf('sql')), text);
      return mapper?.(line, column) ?? pos;
    },
  };
}

export function renderModel(model: PreparedModel, scope: RenderScope, diagnostics: Diagnostic[]): RenderedModel | undefined {
  const render = (isIncremental: boolean) => {
    const state = newRenderState(`${model.relation.database}.${model.relation.table}`, scope, isIncremental);
    let text: RenderedText = { text: '', toTemplate: () => ({ line: 1, column: 1 }) };
    try {
      text = model.template ? model.template.render({ toString: () => state.self }, { state }) : renderTs(model, state);
    } catch (err) {
      if (!(err instanceof TemplateRenderError)) throw err;
      state.problems.push({ code: 'ETL130', message: err.message, hint: 'macros/ defines partials (.hbs) and helpers (.ts); built-ins are ref, source, var, config, is_incremental, quote_list, if, unless, each, with.', line: err.line, column: err.column, ...(err.macro ? { macro: err.macro } : {}) });
    }
    // A trailing `;` is harmless in a query but not inside MERGE ... USING (...) or a CTE.
    const trimmed = text.text.replace(/;\s*$/, '');
    if (trimmed !== text.text) text = { ...text, text: trimmed };
    return { state, text };
  };
  const full = render(false);
  const incremental = model.config.materialized === 'incremental' ? render(true) : undefined;
  // A problem inside a macro is reported once, in the macro file, with this model's call as related.
  const problems = reportRenderProblems([...full.state.problems, ...(incremental?.state.problems ?? [])], model.file, diagnostics);
  if (problems > 0) return undefined;
  const dedupe = <T>(items: T[], key: (t: T) => string) => [...new Map(items.map((i) => [key(i), i])).values()];
  return {
    ...model,
    refs: dedupe([...full.state.refs, ...(incremental?.state.refs ?? [])], (r) => r.name),
    sources: dedupe([...full.state.sources, ...(incremental?.state.sources ?? [])], (s) => `${s.source}.${s.table}`),
    full: full.text,
    ...(incremental ? { incremental: incremental.text } : {}),
  };
}
