/**
 * Root causes first. A model that fails (template, config, render) or is disabled, and a source
 * declaration that fails to load, still answer `ref`/`source` while rendering (a placeholder
 * relation), so their dependants are not told "Unknown model ... did you mean" about a model that
 * exists. The graph phase then leaves every model downstream of a failure out of the analysis and
 * folds them into one line per cause (ETL147); a ref to a disabled model is ETL146 at the ref, with
 * where the model is disabled. Everything here is data: names, files and positions.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import type { ModelFile } from '../load/model-files.js';
import { findPosition, type FailedSource } from '../load/sources.js';
import type { RenderedModel } from '../resolve/models.js';

/** A model that cannot be read by others: it failed (reported where it failed) or is disabled. */
export interface UnavailableModel {
  name: string;
  file: string;
  kind: 'failed' | 'disabled';
  /** For a disabled model: where `enabled: false` is written. */
  disabledAt?: SourcePosition;
}

export type { FailedSource };

/** The sources `source` answers while rendering: the declared ones, and a placeholder for each that failed to load. */
export class SourceScope extends Map<string, string> {
  private readonly failed: FailedSource[];
  constructor(relations: Map<string, string>, failed: FailedSource[]) {
    super(relations);
    this.failed = failed;
  }
  override get(key: string): string | undefined {
    const own = super.get(key);
    if (own !== undefined || !this.failed) return own;
    const [source, table] = key.split('.');
    return this.failed.some((f) => f.source === source && (f.table === undefined || f.table === table)) ? `__unavailable_${source}_${table}__` : undefined;
  }
}

/**
 * Models that did not come through preparation: failed when preparing them reported an error in
 * their files, else disabled (config `enabled: false`), located where that is written.
 */
export function unavailableModels(files: ModelFile[], preparedNames: Set<string>, prepareDiagnostics: Diagnostic[], projectDir: string): Map<string, UnavailableModel> {
  const out = new Map<string, UnavailableModel>();
  const failedFiles = new Set(prepareDiagnostics.filter((d) => d.severity === 'error' && d.file).map((d) => d.file!));
  for (const f of files) {
    if (preparedNames.has(f.name)) continue;
    const failed = failedFiles.has(f.file) || (f.meta !== undefined && failedFiles.has(f.meta.file));
    out.set(f.name, failed ? { name: f.name, file: f.file, kind: 'failed' } : { name: f.name, file: f.file, kind: 'disabled', disabledAt: whereDisabled(f, projectDir) });
  }
  return out;
}

/** Where `enabled: false` is written for a model: its own config, its sidecar, else project.yaml's defaults. */
function whereDisabled(f: ModelFile, projectDir: string): SourcePosition {
  const own = f.language === 'sql' ? /enabled\s*=\s*false/.exec(f.text) : /enabled\s*:\s*false/.exec(f.text);
  if (own) return { file: f.file, ...findPosition(f.text, own[0]) };
  if (f.meta?.data.config?.enabled === false) return { file: f.meta.file, ...f.meta.position(['config', 'enabled']) };
  let text = '';
  try {
    text = readFileSync(path.join(projectDir, 'project.yaml'), 'utf8');
  } catch {
    /* no position then */
  }
  const at = /enabled\s*:\s*false/.exec(text);
  return { file: 'project.yaml', ...(at ? findPosition(text, at[0]) : { line: 1, column: 1 }) };
}

/** Why a rendered model is left out of the analysis: the failed model or source it reads, at the read. */
interface Cause {
  /** `model.x` or `source.s.t`: what failed (the root of the chain). */
  root: string;
  rootFile: string;
  /** Where the failed source is declared (a model's fold line is at its file's start). */
  at?: { line: number; column: number };
}

export interface CascadeInput {
  rendered: Map<string, RenderedModel>;
  unavailable: Map<string, UnavailableModel>;
  failedSources: FailedSource[];
}

/**
 * Models to leave out of the analysis (everything downstream of a failure), with ETL146 for refs to
 * disabled models and one ETL147 line per root cause naming the models not analysed.
 */
export function cascadeExclusions(input: CascadeInput, diagnostics: Diagnostic[]): Set<string> {
  const { rendered, unavailable, failedSources } = input;
  const causes = new Map<string, Cause>();
  const sourceFailed = (source: string, table: string) => failedSources.find((f) => f.source === source && (f.table === undefined || f.table === table));
  // Direct causes: a ref to a failed or disabled model, a read of a failed source.
  for (const r of rendered.values()) {
    for (const ref of r.refs) {
      const u = unavailable.get(ref.name);
      if (!u || causes.has(r.file.name)) continue;
      if (u.kind === 'disabled') {
        diagnostics.push(disabledRef(r, ref, u));
        causes.set(r.file.name, { root: r.id, rootFile: r.file.file });
      } else causes.set(r.file.name, { root: `model.${u.name}`, rootFile: u.file });
    }
    for (const s of r.sources) {
      const f = sourceFailed(s.source, s.table);
      if (f && !causes.has(r.file.name)) causes.set(r.file.name, { root: `source.${s.source}${f.table ? `.${f.table}` : ''}`, rootFile: f.file, at: { line: f.line, column: f.column } });
    }
  }
  // Then everything downstream, with the root of its first failed parent.
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of rendered.values()) {
      if (causes.has(r.file.name)) continue;
      const parent = r.refs.find((x) => causes.has(x.name));
      if (parent) {
        causes.set(r.file.name, causes.get(parent.name)!);
        changed = true;
      }
    }
  }
  foldedLines(causes, rendered, diagnostics);
  return new Set([...causes.keys()]);
}

function disabledRef(r: RenderedModel, ref: { name: string; line: number; column: number }, u: UnavailableModel): Diagnostic {
  const at = u.disabledAt!;
  return {
    code: 'ETL146',
    severity: 'error',
    message: `Model '${u.name}' is disabled (enabled: false in ${at.file}:${at.line}), so ${r.file.name} cannot read it`,
    file: r.file.file,
    line: ref.line,
    column: ref.column,
    frame: codeFrame(r.file.text, ref.line, ref.column),
    hint: `Enable ${u.name} (remove enabled: false) or stop reading it from ${r.file.name}.`,
    related: [{ ...at, message: `${u.name} is disabled here` }],
  };
}

/** ETL147: one line per root cause, at the cause's file, naming the models left out. */
function foldedLines(causes: Map<string, Cause>, rendered: Map<string, RenderedModel>, diagnostics: Diagnostic[]): void {
  const byRoot = new Map<string, { cause: Cause; models: string[] }>();
  for (const [name, cause] of causes) {
    // A model reported itself (ETL146) is its own root: not listed as a dependant of itself.
    if (cause.root === `model.${name}`) continue;
    const entry = byRoot.get(cause.root) ?? byRoot.set(cause.root, { cause, models: [] }).get(cause.root)!;
    entry.models.push(name);
  }
  for (const [root, { cause, models }] of [...byRoot].sort(([a], [b]) => a.localeCompare(b))) {
    models.sort();
    const what = root.startsWith('source.') ? `source ${root.slice(7)}` : `model ${root.slice(6)}`;
    diagnostics.push({
      code: 'ETL147',
      severity: 'warning',
      message: `${models.length} model${models.length === 1 ? '' : 's'} not analysed because ${what} failed: ${models.join(', ')}`,
      ...(cause.rootFile ? { file: cause.rootFile, ...(cause.at ?? { line: 1, column: 1 }) } : {}),
      hint: `Fix the error${cause.rootFile ? ` in ${cause.rootFile}` : ''} first: the models reading it are analysed once it compiles.`,
      related: models.map((m) => {
        const r = rendered.get(m)!;
        const read = r.refs.find((x) => causes.has(x.name) || `model.${x.name}` === root) ?? r.sources[0];
        return { file: r.file.file, line: read?.line ?? 1, column: read?.column ?? 1, message: `${m} is not analysed` };
      }),
    });
  }
}
