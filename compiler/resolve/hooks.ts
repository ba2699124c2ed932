/**
 * Hooks: `pre_hook` / `post_hook` of a model (its `{{config}}`, sidecar YAML, TypeScript model or a
 * folder's `defaults:`), and `on_run_start` / `on_run_end` of project.yaml. Each is a Handlebars
 * template rendered like model SQL (`{{this}}` is the model's table; vars, refs and macros work), into
 * a Query whose position map points at the hook's text in the file that declares it, so a Spark error
 * in a hook is reported at its file:line:col. The plan runs them as `Hook` operations.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Handlebars from 'handlebars';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { withoutBom } from '../load/text-file.js';
import type { Query, Segment } from '../plan/operations.js';
import { compileTemplate, TemplateSyntaxError, type RenderedText } from './template.js';
import { newRenderState, type RenderScope, type RenderedModel } from './models.js';

export interface ModelHooks {
  pre: Query[];
  post: Query[];
}

export interface RunHooks {
  start: Query[];
  end: Query[];
}

/** A file that may declare a hook, read when first needed. */
interface HookFile {
  file: string;
  text: () => string | undefined;
}

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Where each line of `hook` starts in `text` (1-based), searching forward; the first line anchors the rest. */
function lineStarts(hook: string, text: string): Array<{ line: number; column: number }> | undefined {
  const lines = hook.split('\n');
  const first = text.indexOf(lines[0]!);
  if (first < 0) return undefined;
  const posOf = (offset: number) => {
    const before = text.slice(0, offset);
    return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
  };
  const out = [posOf(first)];
  let cursor = first + lines[0]!.length;
  for (const l of lines.slice(1)) {
    const found = l.trim() === '' ? -1 : text.indexOf(l, cursor);
    const offset = found >= 0 ? found : cursor;
    out.push(found >= 0 ? posOf(offset) : { line: out[out.length - 1]!.line + 1, column: 1 });
    cursor = offset + l.length;
  }
  return out;
}

/** The rendered hook's segments, split at each new line of verbatim text and mapped into the declaring file. */
function mappedSegments(rendered: RenderedText, starts: Array<{ line: number; column: number }>): Segment[] {
  const map = (line: number, column: number) => {
    const s = starts[line - 1] ?? starts[starts.length - 1]!;
    return { line: s.line, column: s.column + column - 1 };
  };
  const raw = rendered.segments?.() ?? [{ at: 0, line: 1, column: 1, verbatim: true }];
  const out: Segment[] = [];
  raw.forEach((s, i) => {
    const end = raw[i + 1]?.at ?? rendered.text.length;
    const p = map(s.line, s.column);
    out.push([s.at, 0, p.line, p.column, s.verbatim ? 1 : 0]);
    if (!s.verbatim) return;
    let line = s.line;
    for (let at = rendered.text.indexOf('\n', s.at); at >= 0 && at < end - 1; at = rendered.text.indexOf('\n', at + 1)) {
      const q = map(++line, 1);
      out.push([at + 1, 0, q.line, q.column, 1]);
    }
  });
  return out.length ? out : [[0, 0, starts[0]!.line, starts[0]!.column, 0]];
}

interface HookSite {
  env: typeof Handlebars;
  scope: RenderScope;
  diagnostics: Diagnostic[];
  /** Files that may declare the hook, most specific first. */
  files: HookFile[];
  /** `database.table` for `{{this}}`; empty for run hooks. */
  self: string;
  what: string;
}

function renderHook(hook: string, site: HookSite): Query | undefined {
  const declared = site.files.map((f) => ({ file: f.file, text: f.text() })).find((f) => f.text !== undefined && f.text.includes(hook.split('\n')[0]!));
  const file = declared?.file ?? site.files[0]!.file;
  const starts = (declared && lineStarts(hook, declared.text!)) ?? [{ line: 1, column: 1 }];
  const report = (code: string, message: string, line: number, column: number, hint: string) => {
    const s = starts[line - 1] ?? starts[0]!;
    const pos = { line: s.line, column: s.column + column - 1 };
    site.diagnostics.push({ code, severity: 'error', message, file, ...pos, ...(declared?.text ? { frame: codeFrame(declared.text, pos.line, pos.column) } : {}), hint });
  };
  let rendered: RenderedText;
  const state = newRenderState(site.self, site.scope, false);
  try {
    rendered = compileTemplate(site.env, hook).render({ toString: () => state.self }, { state });
  } catch (err) {
    const e = err as Error & { line?: number; column?: number };
    report('ETL436', `Invalid ${site.what}: ${e.message.split('\n')[0]}`, e.line ?? 1, e.column ?? 1, 'Hooks are Handlebars templates like model SQL: {{this}}, {{var "name"}}, {{ref "model"}}, macros.');
    if (!(err instanceof TemplateSyntaxError) && !(e.line && e.column)) throw err;
    return undefined;
  }
  for (const p of state.problems) report('ETL437', `In ${site.what}: ${p.message}`, p.line, p.column, p.hint);
  if (state.problems.length) return undefined;
  const sql = rendered.text.trim().replace(/;\s*$/, '');
  if (!sql) return undefined;
  const lead = rendered.text.length - rendered.text.trimStart().length;
  const segments = mappedSegments({ ...rendered, text: rendered.text }, starts)
    .map<Segment>((s) => [Math.max(0, s[0] - lead), s[1], s[2], s[3], s[4]])
    .filter((s, i, all) => s[0] < sql.length && (i === all.length - 1 || all[i + 1]![0] > s[0]));
  return { sql, files: [file], segments: segments.length ? segments : [[0, 0, starts[0]!.line, starts[0]!.column, 0]] };
}

const fileOf = (projectDir: string, file: string): HookFile => {
  let text: string | undefined | null = null;
  return {
    file,
    text: () => {
      if (text === null) {
        try {
          text = withoutBom(readFileSync(path.join(projectDir, file), 'utf8'));
        } catch {
          text = undefined;
        }
      }
      return text;
    },
  };
};

/** The pre and post hooks of each model, rendered; models without hooks are left out. */
export function compileModelHooks(projectDir: string, rendered: Map<string, RenderedModel>, env: typeof Handlebars, scope: RenderScope, diagnostics: Diagnostic[]): Map<string, ModelHooks> {
  const out = new Map<string, ModelHooks>();
  const projectYaml = fileOf(projectDir, 'project.yaml');
  for (const r of rendered.values()) {
    const pre = asList(r.config.pre_hook);
    const post = asList(r.config.post_hook);
    if (!pre.length && !post.length) continue;
    const files: HookFile[] = [{ file: r.file.file, text: () => r.file.text }, ...(r.file.meta ? [{ file: r.file.meta.file, text: () => r.file.meta!.text }] : []), projectYaml];
    const self = `${r.relation.database}.${r.relation.table}`;
    const each = (hooks: string[], what: string) => hooks.flatMap((h, i) => renderHook(h, { env, scope, diagnostics, files, self, what: `${what} ${i + 1} of ${r.file.name}` }) ?? []);
    out.set(r.id, { pre: each(pre, 'pre_hook'), post: each(post, 'post_hook') });
  }
  return out;
}

/** project.yaml's `on_run_start` and `on_run_end`, rendered (no `{{this}}`). */
export function compileRunHooks(projectDir: string, config: { on_run_start?: string | string[] | undefined; on_run_end?: string | string[] | undefined }, env: typeof Handlebars, scope: RenderScope, diagnostics: Diagnostic[]): RunHooks {
  const files = [fileOf(projectDir, 'project.yaml')];
  const each = (hooks: string[], what: string) => hooks.flatMap((h, i) => renderHook(h, { env, scope, diagnostics, files, self: '', what: `${what} ${i + 1}` }) ?? []);
  return { start: each(asList(config.on_run_start), 'on_run_start'), end: each(asList(config.on_run_end), 'on_run_end') };
}
