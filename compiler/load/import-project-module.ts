/**
 * Evaluates project code (sources/*.ts, models/**.ts, macros/*.ts and whatever they import from
 * the project) fresh on every compile, so a second compile in the same process sees every edit.
 *
 * Why not `import()`: Node's ES module map keeps every module it ever loaded, keyed by URL, with no
 * way to evict one. Cache-busting URLs (`?v=2`) or tsx's `tsImport` namespaces make each compile
 * load new module records that are never freed (and `tsImport` registers one more loader hook per
 * call), so a watch mode compiling thousands of times would grow without bound. Instead each
 * project file is transformed to CommonJS by esbuild (cached by content hash, in a bounded cache)
 * and evaluated in this context with our own `require`: relative imports load project files the
 * same way, `lakehouse-etl` is this copy of the authoring API (one module instance, whatever
 * directory the project is in), anything else (node builtins, npm packages) goes to Node's
 * `require`. Nothing is registered anywhere, so a compile's modules are garbage once it drops
 * them. The same path runs under the CLI (tsx), a plain Node process, and vitest (whose vite
 * loader never sees project files).
 *
 * Within one `withProjectModules()` scope a file is evaluated once and shared by every importer,
 * as in Node; a compile runs in one scope. Outside a scope each call gets its own module graph.
 *
 * Limits: top-level `await` is not supported (CommonJS output; reported as a load error at its
 * position), nor tsconfig `paths` or package `imports` (`#alias`) between project files.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { transformSync, type Loader, type TransformFailure } from 'esbuild';
import * as api from '../api/index.js';
import { ownModule } from '../own-files.js';
import { projectProcess } from '../cache/env-reads.js';

interface ModuleRecord {
  exports: unknown;
}

interface Scope {
  modules: Map<string, ModuleRecord>;
}

interface Transformed {
  hash: string;
  code: string;
  map: string;
}

const scopes = new AsyncLocalStorage<Scope>();
/** Errors whose stack already names positions in the files' own text. */
const positioned = new WeakSet<Error>();
const API_PATH = fileURLToPath(ownModule('../api/index', import.meta.url));
const LOADERS: Record<string, Loader> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };
const EXTENSIONS = [...Object.keys(LOADERS), '.json'];

/**
 * Transformed code by absolute path, least recently used first. Bounded by size, so memory stays
 * flat however many compiles run; an evicted file is simply transformed again when next needed.
 */
const transforms = new Map<string, Transformed>();
let transformBytes = 0;
const MAX_TRANSFORM_BYTES = 64 * 1024 * 1024;

/** Runs `fn` with one module scope: each project file it imports is evaluated once, fresh. */
export function withProjectModules<T>(fn: () => T): T {
  return scopes.run({ modules: new Map() }, fn);
}

/** The files evaluated so far in the current scope (absolute paths): project code a compile read. */
export function projectModuleFiles(): string[] {
  return [...(scopes.getStore()?.modules.keys() ?? [])];
}

/** Evaluates a project file (and the project files it imports) from their current text. */
export async function importProjectModule(absPath: string): Promise<Record<string, unknown>> {
  const scope = scopes.getStore() ?? { modules: new Map() };
  try {
    return namespaceOf(load(path.resolve(absPath), scope).exports);
  } catch (err) {
    throw withOriginalPositions(err);
  }
}

/** What `import * as ns` would give: named exports, and `default`. */
function namespaceOf(exports: unknown): Record<string, unknown> {
  if (exports !== null && typeof exports === 'object' && (exports as { __esModule?: boolean }).__esModule) return { ...(exports as Record<string, unknown>) };
  return { ...(exports !== null && typeof exports === 'object' ? (exports as Record<string, unknown>) : {}), default: exports };
}

function load(abs: string, scope: Scope): ModuleRecord {
  const known = scope.modules.get(abs);
  if (known) return known;
  const record: ModuleRecord = { exports: {} };
  scope.modules.set(abs, record);
  if (abs.endsWith('.json')) {
    record.exports = JSON.parse(readFileSync(abs, 'utf8'));
    return record;
  }
  const { code } = transform(abs);
  // Its own `process`: the environment variables project code reads are inputs of the compile (compiler/cache/env-reads.ts).
  const fn = vm.compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname', 'process'], { filename: abs });
  try {
    fn.call(record.exports, record.exports, requireFrom(abs, scope), record, abs, path.dirname(abs), projectProcess);
  } catch (err) {
    scope.modules.delete(abs);
    throw err;
  }
  return record;
}

function requireFrom(from: string, scope: Scope): ((specifier: string) => unknown) & { resolve: NodeJS.RequireResolve } {
  const nodeRequire = createRequire(from);
  const require = (specifier: string) => {
    if (specifier === 'lakehouse-etl') return api;
    if (specifier === 'process' || specifier === 'node:process') return projectProcess;
    const local = resolveProjectFile(from, specifier);
    if (local === API_PATH) return api;
    if (local && !local.split(path.sep).includes('node_modules')) return load(local, scope).exports;
    return nodeRequire(local ?? specifier);
  };
  return Object.assign(require, { resolve: nodeRequire.resolve });
}

/** A relative or absolute import of a project file, resolved the way TypeScript projects write them. */
function resolveProjectFile(from: string, specifier: string): string | undefined {
  let base: string;
  if (specifier.startsWith('file:')) base = fileURLToPath(specifier);
  else if (specifier.startsWith('.') || path.isAbsolute(specifier)) base = path.resolve(path.dirname(from), specifier);
  else return undefined;
  const ext = path.extname(base);
  const candidates: string[] = [];
  // `./common.js` names `./common.ts` in a TypeScript ES module project.
  if (/^\.[mc]?js$/.test(ext)) candidates.push(base.slice(0, -ext.length) + ext.replace('js', 'ts'));
  candidates.push(base);
  if (!EXTENSIONS.includes(ext)) candidates.push(...EXTENSIONS.map((e) => base + e));
  candidates.push(...['index.ts', 'index.js'].map((i) => path.join(base, i)));
  return candidates.find(isFile);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function transform(abs: string): Transformed {
  const text = readFileSync(abs, 'utf8');
  const hash = createHash('sha1').update(text).digest('hex');
  const cached = transforms.get(abs);
  if (cached) {
    transforms.delete(abs);
    transformBytes -= cached.code.length + cached.map.length;
    if (cached.hash === hash) return remember(abs, cached);
  }
  const url = pathToFileURL(abs).href;
  try {
    const out = transformSync(text, {
      loader: LOADERS[path.extname(abs)] ?? 'ts',
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcefile: abs,
      sourcemap: 'external',
      // `import()` becomes a require() through our resolver; import.meta keeps its meaning.
      supported: { 'dynamic-import': false },
      define: {
        'import.meta.url': JSON.stringify(url),
        'import.meta.filename': JSON.stringify(abs),
        'import.meta.dirname': JSON.stringify(path.dirname(abs)),
      },
    });
    return remember(abs, { hash, code: out.code, map: out.map });
  } catch (err) {
    throw syntaxError(err, abs);
  }
}

function remember(abs: string, t: Transformed): Transformed {
  transforms.set(abs, t);
  transformBytes += t.code.length + t.map.length;
  for (const [key, old] of transforms) {
    if (transformBytes <= MAX_TRANSFORM_BYTES || key === abs) break;
    transforms.delete(key);
    transformBytes -= old.code.length + old.map.length;
  }
  return t;
}

/** esbuild's first error, as a SyntaxError whose stack names `file:line:col` like Node's own. */
function syntaxError(err: unknown, abs: string): Error {
  const first = (err as Partial<TransformFailure>).errors?.[0];
  if (!first) return err as Error;
  const e = new SyntaxError(first.text);
  const at = first.location ? `${first.location.file || abs}:${first.location.line}:${first.location.column + 1}` : abs;
  e.stack = `SyntaxError: ${first.text}\n    at ${at}`;
  positioned.add(e);
  return e;
}

/** Parsed source maps of transformed files, by the transform they belong to. */
const parsedMaps = new WeakMap<Transformed, SourceMap>();

function sourceMapOf(abs: string): SourceMap | undefined {
  const t = transforms.get(abs);
  if (!t) return undefined;
  let map = parsedMaps.get(t);
  if (!map) parsedMaps.set(t, (map = new SourceMap(JSON.parse(t.map))));
  return map;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where the running code was called from in the project file `relative` (a path relative to the
 * project, e.g. `models/gold/fct_orders.ts`): the innermost stack frame in that file, mapped back to
 * the file's own text (1-based). How `ref('x')` in a TypeScript model knows the line and column of
 * its call. Undefined when the file is not on the stack.
 */
export function callSiteIn(relative: string): { line: number; column: number } | undefined {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  Error.captureStackTrace(holder, callSiteIn);
  Error.stackTraceLimit = limit;
  const at = new RegExp(`((?:file://)?/[^\\s():]*?/${escapeRegExp(relative.split('/').join(path.sep))}):(\\d+):(\\d+)`).exec(holder.stack ?? '');
  if (!at) return undefined;
  const abs = at[1]!.startsWith('file:') ? fileURLToPath(at[1]!) : at[1]!;
  const entry = sourceMapOf(abs)?.findEntry(Number(at[2]) - 1, Number(at[3]) - 1) as { originalLine?: number; originalColumn?: number } | undefined;
  return entry && entry.originalLine !== undefined ? { line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 } : undefined;
}

/**
 * Rewrites `file:line:col` in an error's stack from the transformed code to the file's own text
 * (also for errors thrown later, when project code runs: a macro helper called while rendering).
 */
export function withOriginalPositions(err: unknown): unknown {
  if (!(err instanceof Error) || typeof err.stack !== 'string' || positioned.has(err)) return err;
  const maps = new Map<string, SourceMap | null>();
  const mapFor = (file: string) => {
    if (!maps.has(file)) {
      const t = transforms.get(file);
      maps.set(file, t ? new SourceMap(JSON.parse(t.map)) : null);
    }
    return maps.get(file);
  };
  err.stack = err.stack.replace(/((?:file:\/\/)?\/[^\s():]+):(\d+):(\d+)/g, (whole, file: string, line: string, col: string) => {
    const abs = file.startsWith('file:') ? fileURLToPath(file) : file;
    const entry = mapFor(abs)?.findEntry(Number(line) - 1, Number(col) - 1) as { originalLine?: number; originalColumn?: number } | undefined;
    return entry && entry.originalLine !== undefined ? `${file}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}` : whole;
  });
  return err;
}
