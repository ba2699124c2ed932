/**
 * Compile benchmark: generates a synthetic project once, compiles it in-process several times
 * (`compileProject` + `writeArtifacts`), replays the compile stages one by one to split the time by
 * phase, and times the cold CLI end to end once.
 *
 *   npm run bench -- [--models 10000] [--runs 3] [--seed 42] [--dir DIR] [--no-cli] [--no-phases]
 *   npm run bench -- --dbt [--sizes 1000,10000]   # side by side with dbt-core (scripts/setup-dbt-bench.sh)
 *
 * Wall times on a shared machine vary with its load: CPU time (user + sys, all threads of this
 * process) is printed next to them. Nothing here asserts on time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { CatalogEntry } from '../compiler/analyse/analyser.js';
import { compileProject, writeArtifacts } from '../compiler/index.js';
import type { RenderScope } from '../compiler/resolve/models.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Args {
  models: number;
  runs: number;
  seed: number;
  dir?: string;
  cli: boolean;
  phases: boolean;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dir = get('--dir');
  return {
    models: Number(get('--models') ?? 10000),
    runs: Number(get('--runs') ?? 3),
    seed: Number(get('--seed') ?? 42),
    ...(dir ? { dir: path.resolve(dir) } : {}),
    cli: !argv.includes('--no-cli'),
    phases: !argv.includes('--no-phases'),
    keep: argv.includes('--keep') || dir !== undefined,
  };
}

const MB = (bytes: number) => bytes / 1024 / 1024;
const fmt = (n: number, digits = 0) => n.toFixed(digits);

/** Peak RSS while `fn` runs: sampled every 5 ms (only between synchronous stretches) and at the end. */
async function withRssSampler<T>(fn: () => Promise<T>): Promise<{ value: T; peakRss: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakRss: peak };
  } finally {
    clearInterval(timer);
  }
}

/** A full GC between runs, so each run starts from the same heap. */
function gcFunction(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

/** A plain-text table: first and (with `noteLast`) last columns left-aligned, numbers right-aligned. */
function table(headers: string[], rows: string[][], noteLast = false): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const left = (i: number) => i === 0 || (noteLast && i === headers.length - 1);
  const line = (cells: string[]) => cells.map((c, i) => (left(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function generate(args: Args, dir: string): void {
  const t0 = performance.now();
  // In a child process, so this process's maxRSS reflects compiling only.
  const res = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/generate-project.ts'), '--models', String(args.models), '--seed', String(args.seed), '--out', dir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`generate-project failed:\n${res.stderr}`);
  process.stdout.write(`${res.stdout.trim()}\n  (generation ${fmt(performance.now() - t0)} ms)\n\n`);
}

interface RunResult {
  compileMs: number;
  writeMs: number;
  cpuMs: number;
  compileCpuMs: number;
  peakRss: number;
  heapUsed: number;
  maxRss: number;
  errors: number;
  warnings: number;
  models: number;
  tests: number;
  /** compileProject's own phase timings (wall ms), when it reports them. */
  timings: Record<string, number>;
  cacheHits?: number;
  label: string;
}

async function runOnce(dir: string, cache: boolean): Promise<RunResult> {
  const cpu0 = process.cpuUsage();
  let compileMs = 0;
  let writeMs = 0;
  let heapUsed = 0;
  let compileCpuMs = 0;
  const { value: result, peakRss } = await withRssSampler(async () => {
    const t0 = performance.now();
    // `cache` is compileProject's analysis cache (.etl/cache): off, every model is parsed and analysed.
    const r = await compileProject({ projectDir: dir, cache } as Parameters<typeof compileProject>[0]);
    const t1 = performance.now();
    const c = process.cpuUsage(cpu0);
    compileCpuMs = (c.user + c.system) / 1000;
    heapUsed = process.memoryUsage().heapUsed;
    await writeArtifacts(r, dir);
    const t2 = performance.now();
    compileMs = t1 - t0;
    writeMs = t2 - t1;
    return r;
  });
  const cpu = process.cpuUsage(cpu0);
  return {
    compileMs,
    writeMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    compileCpuMs,
    peakRss,
    heapUsed,
    maxRss: process.resourceUsage().maxRSS * 1024,
    errors: result.diagnostics.filter((d) => d.severity === 'error').length,
    warnings: result.diagnostics.filter((d) => d.severity !== 'error').length,
    models: Object.keys(result.manifest.models).length,
    tests: Object.keys(result.manifest.tests).length,
    timings: (result as { timings?: Record<string, number> }).timings ?? {},
    ...((result as { cacheHits?: number }).cacheHits !== undefined ? { cacheHits: (result as { cacheHits?: number }).cacheHits } : {}),
    label: '',
  };
}

/**
 * Replays the compile stages one at a time with the compiler's own functions, to split the time
 * by phase. Mirrors compileProject (compiler/compile.ts) loosely: if those internals change, the
 * replay reports that it is unavailable rather than failing the benchmark.
 */
async function phaseReplay(dir: string): Promise<Array<[string, number, number, string]>> {
  const [{ loadProjectConfig, layerRoots }, { loadSources }, files, { createEnvironment }, models, parse, analyser, graph, sqlTypes] = await Promise.all([
    import('../compiler/load/project-config.js'),
    import('../compiler/load/sources.js'),
    import('../compiler/load/model-files.js'),
    import('../compiler/resolve/environment.js'),
    import('../compiler/resolve/models.js'),
    import('../compiler/analyse/parse.js'),
    import('../compiler/analyse/analyser.js'),
    import('../compiler/plan/graph.js'),
    import('../compiler/analyse/sql-types.js'),
  ]);
  await parse.initParser();
  const diagnostics: Parameters<typeof loadSources>[2] = [];
  const out: Array<[string, number, number, string]> = [];
  const time = async <T>(label: string, note: string, fn: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const v = await fn();
    const c = process.cpuUsage(c0);
    out.push([label, performance.now() - t0, (c.user + c.system) / 1000, note]);
    return v;
  };
  const loaded = await time('load project.yaml', '', () => loadProjectConfig(dir, diagnostics));
  if (!loaded) throw new Error('project.yaml did not load');
  const { config } = loaded;
  const target = config.targets[config.default_target]!;
  const roots = layerRoots(dir, config, target);
  const layers = Object.fromEntries((['bronze', 'silver', 'gold'] as const).map((l) => [l, { root: roots[l], database: config.layers[l].database }])) as Parameters<typeof models.prepareModels>[2];
  const sources = await time('load sources (import .ts)', 'warm: modules cached', () => loadSources(dir, layers.bronze, diagnostics));
  const modelFiles = await time('load models (read + YAML + zod)', '', () => files.loadModelFiles(dir, diagnostics));
  const env = await time('macros + Handlebars env', '', async () => createEnvironment(await files.loadMacroFiles(dir), diagnostics));
  const prepared = await time('prepare (Handlebars compile, config)', '', () => models.prepareModels(modelFiles, config, layers, env, diagnostics, dir));
  const modelsByName = new Map(prepared.map((m) => [m.file.name, m]));
  const sourceRelations = new Map(sources.map((s) => [`${s.manifest.sourceName}.${s.manifest.table}`, s.manifest.bronze.relation]));
  const scope = {
    models: modelsByName,
    sources: sourceRelations,
    vars: config.vars as Record<string, unknown>,
    modelNames: [...modelsByName.keys()],
    sourceNames: [...sourceRelations.keys()],
  } as RenderScope;
  const rendered = await time('render (full + incremental)', '', () => prepared.map((m) => models.renderModel(m, scope, diagnostics)).filter((r) => r !== undefined));
  const texts = rendered.flatMap((r) => (r.incremental && r.incremental.text !== r.full.text ? [r.full.text, r.incremental.text] : [r.full.text]));
  const parsed = new Map<string, unknown>();
  await time('parse (sqlparser WASM)', `${texts.length} parses, ${fmt(texts.reduce((s, t) => s + t.length, 0) / texts.length)} chars avg`, () => {
    for (const r of rendered) {
      const p = parse.parseSpark(r.full.text);
      if (p.ok) parsed.set(r.id, p.statements[0]);
      if (r.incremental && r.incremental.text !== r.full.text) parse.parseSpark(r.incremental.text);
    }
  });
  const g = { parents: new Map(rendered.map((r) => [r.id, [...new Set(r.refs.map((x) => `model.${x.name}`))].sort()])) };
  const order = await time('graph (stages)', '', () => graph.stages(g).flat());
  const byId = new Map(rendered.map((r) => [r.id, r]));
  await time('analyse (columns, types, lineage)', '', () => {
    type Entry = CatalogEntry;
    const catalog = new Map<string, Entry>();
    const base = (node: string, name: string, type: ReturnType<typeof sqlTypes.parseTypeName>, nullable: boolean, classes: string[]) => ({
      name,
      type: type ?? sqlTypes.T.unknown,
      nullable,
      refs: new Set([analyser.refKey(node, name)]),
      classes: new Set(classes),
    });
    for (const s of sources) {
      const m = s.manifest;
      catalog.set(m.bronze.relation.toLowerCase(), {
        node: m.id,
        columns: [
          ...m.columns.map((c) => base(m.id, c.name, s.types.get(c.name), c.nullable, c.classification)),
          ...m.bronze.metadataColumns.map((c) => base(m.id, c.name, sqlTypes.parseTypeName(c.type), c.nullable, [])),
          ...m.bronze.partitionBy.map((p) => base(m.id, p, sqlTypes.T.date, false, [])),
        ],
      } as Entry);
    }
    for (const id of order) {
      const r = byId.get(id);
      const stmt = parsed.get(id);
      if (!r || !stmt) continue;
      const a = new analyser.QueryAnalyser(catalog).analyse(stmt);
      catalog.set(r.relation.fqn.toLowerCase(), { node: r.id, columns: a.columns.map((c) => ({ ...c, refs: new Set([analyser.refKey(r.id, c.name)]) })) } as Entry);
    }
  });
  return out;
}

/** The CLI, cold, in a child process: wall time and, through /usr/bin/time when present, CPU and max RSS. */
function coldCli(dir: string, cache: boolean): { wallMs: number; cpuMs?: number; maxRss?: number; status: number | null; tail: string } {
  const bin = path.join(ROOT, 'bin/etl.js');
  const gnuTime = existsSync('/usr/bin/time');
  const cmd = gnuTime ? '/usr/bin/time' : process.execPath;
  const argv = gnuTime ? ['-f', '__TIME__ %e %U %S %M', process.execPath, bin, 'compile', '--project', dir] : [bin, 'compile', '--project', dir];
  const t0 = performance.now();
  const env = { ...process.env };
  if (cache) delete env.ETL_NO_CACHE;
  else env.ETL_NO_CACHE = '1';
  const res = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env });
  const wallMs = performance.now() - t0;
  const m = /__TIME__ ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(res.stderr ?? '');
  const tail = `${res.stdout ?? ''}`.trim().split('\n').slice(-1)[0] ?? '';
  return { wallMs, ...(m ? { cpuMs: (Number(m[2]) + Number(m[3])) * 1000, maxRss: Number(m[4]) * 1024 } : {}), status: res.status, tail };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--dbt')) {
    // Side by side with dbt-core: `--dbt [--sizes 1000,10000]` (bench/compile-side-by-side.ts).
    const sizes = (argv[argv.indexOf('--sizes') + 1] ?? '').split(',').map(Number).filter((n) => n > 0);
    const { sideBySide } = await import('./compile-side-by-side.js');
    await sideBySide(ROOT, argv.includes('--sizes') && sizes.length ? sizes : [1000, 10000], Number(argv.includes('--seed') ? argv[argv.indexOf('--seed') + 1] : 42));
    return;
  }
  const args = parseArgs(argv);
  const dir = args.dir ?? mkdtempSync(path.join(tmpdir(), `etl-bench-${args.models}-`));
  if (!args.dir || !existsSync(path.join(dir, 'project.yaml'))) generate(args, dir);
  else process.stdout.write(`Reusing the project in ${dir}\n\n`);
  const gc = gcFunction();
  const rows: string[][] = [];
  const results: RunResult[] = [];
  const run = async (label: string, cache: boolean) => {
    gc?.();
    const r = { ...(await runOnce(dir, cache)), label };
    results.push(r);
    rows.push([
      label,
      r.cacheHits !== undefined ? String(r.cacheHits) : '-',
      fmt(r.compileMs),
      fmt(r.writeMs),
      fmt(r.compileMs + r.writeMs),
      fmt(r.compileCpuMs),
      fmt(r.cpuMs - r.compileCpuMs),
      fmt(r.cpuMs),
      fmt(r.models / (r.compileMs / 1000)),
      fmt(r.models / ((r.compileMs + r.writeMs) / 1000)),
      fmt(MB(r.peakRss)),
      fmt(MB(r.heapUsed)),
      fmt(MB(r.maxRss)),
    ]);
  };
  // Analysis cache off: every model parsed and analysed (run 1 also pays module loading and JIT warm-up).
  for (let i = 0; i < args.runs; i++) await run(`${i + 1}${i === 0 ? ' cold' : ''}, no cache`, false);
  // Analysis cache on: first run fills .etl/cache, the next reuses it (an unchanged project).
  rmSync(path.join(dir, '.etl', 'cache'), { recursive: true, force: true });
  await run('cache fill', true);
  await run('cache warm', true);
  const last = results[results.length - 1]!;
  const noCache = results.filter((r) => r.label.endsWith('no cache'));
  process.stdout.write(
    `In-process: ${last.models} models, ${last.tests} tests, ${last.errors} errors, ${last.warnings} warnings\n` +
      `${table(['run', 'cache hits', 'compile ms', 'write ms', 'total ms', 'compile cpu', 'write cpu', 'total cpu', 'models/s', 'models/s w/ write', 'peak rss MB', 'heap MB', 'maxRSS MB'], rows)}\n` +
      '  compile = compileProject; write = writeArtifacts (wall ms); cpu = user+sys ms of this process, all threads;\n' +
      '  peak rss sampled every 5 ms (the compile is mostly synchronous, so samples fall between stages);\n' +
      '  heap = heapUsed right after compileProject; maxRSS = process.resourceUsage().maxRSS, the peak of the whole process so far.\n\n',
  );
  const phaseNames = [...new Set(results.flatMap((r) => Object.keys(r.timings)))];
  if (phaseNames.length) {
    const phaseRows = phaseNames.map((p) => [p, ...results.map((r) => (r.timings[p] !== undefined ? fmt(r.timings[p]!) : '-'))]);
    phaseRows.push(['writeArtifacts', ...results.map((r) => fmt(r.writeMs))]);
    process.stdout.write(`compileProject phase timings (wall ms, as compileProject reports them):\n${table(['phase', ...results.map((r) => r.label)], phaseRows)}\n\n`);
  }
  if (args.phases) {
    try {
      gc?.();
      const phases = await phaseReplay(dir);
      const warm = noCache.length > 1 ? noCache.slice(1) : noCache;
      const refWall = warm.reduce((s, r) => s + r.compileMs, 0) / warm.length;
      const refCpu = warm.reduce((s, r) => s + r.compileCpuMs, 0) / warm.length;
      const sumCpu = phases.reduce((s, [, , cpu]) => s + cpu, 0);
      const pct = (cpu: number) => `${fmt((100 * cpu) / sumCpu, 1)}%`;
      const phaseRows = phases.map(([label, ms, cpu, note]) => [label, fmt(ms), fmt(cpu), pct(cpu), note]);
      phaseRows.push(['sum of the phases above', fmt(phases.reduce((s, [, ms]) => s + ms, 0)), fmt(sumCpu), '100%', '']);
      process.stdout.write(
        `Phases (warm replay of the compile stages one at a time; 'of phases' is the share of their CPU time):\n${table(['phase', 'wall ms', 'cpu ms', 'of phases', 'note'], phaseRows, true)}\n` +
          `  For reference, warm compileProject without cache: ${fmt(refWall)} ms wall, ${fmt(refCpu)} ms cpu; what it does beyond the phases above\n` +
          '  (manifest models, column sources, tests, Spark SQL, plan) is roughly the difference.\n\n',
      );
    } catch (err) {
      process.stdout.write(`Phase replay unavailable: ${(err as Error).message}\n\n`);
    }
  }
  if (args.cli) {
    const cliRows: string[][] = [];
    const tails: string[] = [];
    for (const [label, cache] of [
      ['etl compile, no cache', false],
      ['etl compile, warm cache', true],
    ] as const) {
      const c = coldCli(dir, cache);
      cliRows.push([label, fmt(c.wallMs), c.cpuMs !== undefined ? fmt(c.cpuMs) : '-', c.maxRss !== undefined ? fmt(MB(c.maxRss)) : '-', String(c.status)]);
      tails.push(`  ${label}: ${c.tail}`);
    }
    process.stdout.write(`Cold CLI (node bin/etl.js compile --project DIR, child process; cache via ETL_NO_CACHE):\n${table(['', 'wall ms', 'cpu ms', 'max rss MB', 'exit'], cliRows)}\n${tails.join('\n')}\n\n`);
  }
  if (!args.keep) rmSync(dir, { recursive: true, force: true });
  else process.stdout.write(`Project kept in ${dir}\n`);
}

await main();
