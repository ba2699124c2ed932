/**
 * Edit-loop benchmark: `etl dev --json` on generated projects (1,000 and 10,000 models by default),
 * timing each save to the diagnostics line it prints. Edits: a comment in a leaf gold model, an
 * unknown column in it (and the fix), a comment in the silver model most read, a new column in
 * it (its readers re-checked). Prints per edit the time from writing the file to the JSON line
 * arriving (what a user waits for), the time `etl dev` measured from the change event, and how many
 * models were re-analysed, with os.loadavg(). Nothing here asserts on time.
 *
 *   node --import tsx bench/dev-bench.ts [--models 1000,10000] [--repeat 3] [--dir DIR]
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { generateProject } from './generate-project.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (flag: string, fallback: string) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const sizes = arg('--models', '1000,10000').split(',').map(Number);
const repeat = Number(arg('--repeat', '3'));
const baseDir = path.resolve(arg('--dir', path.join(ROOT, 'bench/out')));
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

interface DevLine {
  event: string;
  kind?: string;
  ms: number;
  reanalysed?: string[];
  errors: number;
  timings?: Record<string, number>;
}

/** Model files by name, and how many models read each (from the `{{ref "x"}}` calls). */
function survey(dir: string): { files: Map<string, string>; readers: Map<string, number> } {
  const files = new Map<string, string>();
  const readers = new Map<string, number>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.sql')) files.set(e.name.slice(0, -4), path.relative(dir, p));
    }
  };
  walk(path.join(dir, 'models'));
  for (const f of files.values()) for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/\{\{ref "([^"]+)"\}\}/g)) readers.set(m[1]!, (readers.get(m[1]!) ?? 0) + 1);
  return { files, readers };
}

async function benchSize(models: number): Promise<void> {
  const dir = path.join(baseDir, `dev-${models}`);
  if (!existsSync(path.join(dir, 'project.yaml'))) generateProject({ models, outDir: dir });
  const { files, readers } = survey(dir);
  const leaf = [...files].filter(([n, f]) => f.includes('/gold/') && !readers.has(n)).map(([, f]) => f).sort()[0]!;
  const hub = [...files].filter(([, f]) => f.includes('/silver/')).sort(([a], [b]) => (readers.get(b) ?? 0) - (readers.get(a) ?? 0))[0]!;
  const started = performance.now();
  const dev = spawn(process.execPath, [path.join(ROOT, 'bin/etl.js'), 'dev', '--project', dir, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: DevLine[] = [];
  let wake: (() => void) | undefined;
  createInterface({ input: dev.stdout }).on('line', (l) => {
    if (!l.startsWith('{')) return;
    const { diagnostics: _d, ...rest } = JSON.parse(l) as DevLine & { diagnostics: unknown };
    lines.push(rest);
    wake?.();
  });
  const next = async (n: number) => {
    while (lines.length <= n) await new Promise<void>((r) => (wake = r));
    return lines[n]!;
  };
  const ready = await next(0);
  console.log(`\n${models} models: etl dev ready in ${((performance.now() - started) / 1000).toFixed(1)} s (compile ${ready.ms} ms), load ${load()}`);
  console.log(`  leaf: ${leaf}\n  hub:  ${hub[1]} (read by ${readers.get(hub[0]) ?? 0} models)`);
  const edits: Array<{ what: string; file: string; change: (t: string) => string }> = [
    { what: 'comment in a leaf model', file: leaf, change: (t) => `${t}\n-- edited` },
    { what: 'unknown column in a leaf model', file: leaf, change: (t) => t.replace(/SELECT\n/, 'SELECT\n  no_such_column,\n') },
    { what: 'comment in the most-read silver model', file: hub[1], change: (t) => `${t}\n-- edited` },
    { what: 'new column in the most-read silver model', file: hub[1], change: (t) => t.replace(/\n {2}_extracted_at\nFROM latest/, '\n  _extracted_at,\n  1 AS bench_extra\nFROM latest') },
  ];
  console.log('  edit                                          save->diagnostics   etl dev measured          re-analysed   errors');
  for (const e of edits) {
    const original = readFileSync(path.join(dir, e.file), 'utf8');
    const waits: number[] = [];
    let last: DevLine | undefined;
    for (let i = 0; i < repeat * 2; i++) {
      // Even rounds apply the edit, odd rounds undo it: every round is a real change.
      const text = i % 2 === 0 ? e.change(original) : original;
      const n = lines.length;
      const t0 = performance.now();
      writeFileSync(path.join(dir, e.file), text);
      const line = await next(n);
      if (i % 2 === 0) {
        waits.push(performance.now() - t0);
        last = line;
      }
    }
    waits.sort((a, b) => a - b);
    const median = waits[Math.floor(waits.length / 2)]!;
    console.log(`  ${e.what.padEnd(46)}${`${median.toFixed(0)} ms (max ${waits[waits.length - 1]!.toFixed(0)})`.padEnd(20)}${`${last!.ms} ms ${last!.kind}`.padEnd(26)}${String(last!.reanalysed?.length ?? 0).padEnd(14)}${last!.errors}`);
    console.log(`    steps of that update (ms): ${Object.entries(last!.timings ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  console.log(`  load after: ${load()}`);
  dev.kill('SIGTERM');
}

console.log(`etl dev edit loop; ${os.cpus().length} CPUs, load ${load()}`);
for (const n of sizes) await benchSize(n);
