/**
 * An incremental compile session: the project compiled once and kept in memory; each change to a
 * model file (or its sidecar) re-renders and re-analyses that model and re-checks the models reading
 * it, and anything else (sources, project.yaml, macros, tests/, files added or removed, a change of
 * what a model reads) compiles the project again. Its diagnostics are those compileProject reports
 * for the same files. `etl dev` and `etl lsp` are built on it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CompileOptions } from '../compile-types.js';
import { causesFirst } from '../compile.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { withoutBom } from '../load/text-file.js';
import { editModel } from './edit-model.js';
import { fullCompile } from './full.js';
import { PHASES, type CompiledParts, type SessionState } from './state.js';

export interface SessionUpdate {
  /** How the change was applied: in place, by a full compile, or not at all (no text changed). */
  kind: 'incremental' | 'full' | 'unchanged';
  /** Models analysed again (incremental updates). */
  reanalysed: string[];
  ms: number;
  /** Milliseconds per step of an incremental update (render, analyse, lineage, tests, diagnostics). */
  timings: Record<string, number>;
  diagnostics: Diagnostic[];
}

export class CompileSession {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly overlays = new Map<string, string>();

  private constructor(private state: SessionState) {}

  static async open(options: CompileOptions): Promise<CompileSession> {
    return new CompileSession(await fullCompile(options));
  }

  get projectDir(): string {
    return this.state.projectDir;
  }

  /** The compiled parts (models, rendered templates, graph), absent when project.yaml or the target failed. */
  get compiled(): CompiledParts | undefined {
    return this.state.compiled;
  }

  /** Every diagnostic, root causes first (as compileProject orders them). */
  get diagnostics(): Diagnostic[] {
    if (!this.state.compiled) return [...this.state.phases.load];
    const all: Diagnostic[] = [];
    const ends: number[] = [];
    for (const p of PHASES) {
      all.push(...this.state.phases[p]);
      ends.push(all.length);
    }
    return causesFirst(all, ends.slice(0, -1));
  }

  /** Unsaved text of a file (an editor's buffer), read instead of the disk; undefined drops it. */
  setOverlay(file: string, text: string | undefined): void {
    if (text === undefined) this.overlays.delete(file);
    else this.overlays.set(file, text);
  }

  /** Applies changes to these project-relative files; updates run one at a time, in call order. */
  update(files: string[]): Promise<SessionUpdate> {
    const next = this.queue.then(() => this.apply(files));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async apply(files: string[]): Promise<SessionUpdate> {
    const started = performance.now();
    const timings: Record<string, number> = {};
    let last = started;
    const mark = (step: string) => {
      const now = performance.now();
      timings[step] = (timings[step] ?? 0) + Math.round((now - last) * 10) / 10;
      last = now;
    };
    const done = (kind: SessionUpdate['kind'], reanalysed: string[] = []): SessionUpdate => {
      const diagnostics = this.diagnostics;
      mark('diagnostics');
      return { kind, reanalysed, ms: performance.now() - started, timings, diagnostics };
    };
    const names = this.modelsOf(files);
    if (names) {
      const changed = names.filter((n) => this.textChanged(n));
      mark('read');
      if (changed.length === 0) return done('unchanged');
      const reanalysed: string[] = [];
      let inPlace = true;
      for (const name of changed) {
        const ids = await editModel(this.state, name, this.overlays, mark).catch(() => false as const);
        if (ids === false) {
          inPlace = false;
          break;
        }
        reanalysed.push(...ids);
      }
      if (inPlace) return done('incremental', [...new Set(reanalysed)]);
    }
    this.state = await fullCompile(this.state.options);
    return done('full');
  }

  /** The models these files belong to (model file or sidecar), or undefined when one is anything else. */
  private modelsOf(files: string[]): string[] | undefined {
    const byFile = this.state.compiled?.modelByFile;
    if (!byFile) return undefined;
    const names = files.map((f) => byFile.get(f));
    return names.every((n): n is string => n !== undefined) ? [...new Set(names)] : undefined;
  }

  private textChanged(name: string): boolean {
    const f = this.state.compiled!.resolved.rendered.get(name)!.file;
    const read = (file: string) => {
      try {
        return this.overlays.get(file) ?? withoutBom(readFileSync(path.join(this.state.projectDir, file), 'utf8'));
      } catch {
        return undefined;
      }
    };
    return read(f.file) !== f.text || (f.meta !== undefined && read(f.meta.file) !== f.meta.text);
  }
}
