/**
 * Wall time of spec files, each alone in its own vitest run (as `npx vitest run FILE` does), with the
 * machine's load beside each figure. Per file it prints the whole run's wall time (vitest start, the
 * shared Spark's start for a Spark spec, the file), the file's own time as vitest reports it, and the
 * sum of its tests' times (without beforeAll: what the file costs in CI once the run's shared Spark
 * is up). Nothing is asserted.
 *
 *   node --import tsx bench/spec-times.ts spec/governance/erasure.spark.spec.ts [more files] [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const REPO = resolve(import.meta.dirname, '..');

const VitestJsonSchema = z.object({
  success: z.boolean(),
  testResults: z.array(
    z.object({
      name: z.string(),
      startTime: z.number(),
      endTime: z.number(),
      status: z.string(),
      assertionResults: z.array(z.object({ title: z.string(), status: z.string(), duration: z.number().nullable().optional() })),
    }),
  ),
});

interface Timing {
  file: string;
  ok: boolean;
  wallS: number;
  fileS: number;
  testsS: number;
  loadBefore: number[];
  loadAfter: number[];
}

const load = () => loadavg().map((l) => Math.round(l * 100) / 100);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

function timeFile(file: string): Timing {
  const out = mkdtempSync(join(tmpdir(), 'etl-spec-times-'));
  const report = join(out, 'report.json');
  const loadBefore = load();
  const started = Date.now();
  const child = spawnSync('npx', ['vitest', 'run', file, '--reporter=json', `--outputFile=${report}`], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const wallS = seconds(Date.now() - started);
  const loadAfter = load();
  try {
    const parsed = VitestJsonSchema.parse(JSON.parse(readFileSync(report, 'utf8')));
    const results = parsed.testResults;
    const fileS = seconds(results.reduce((s, r) => s + (r.endTime - r.startTime), 0));
    const testsS = seconds(results.flatMap((r) => r.assertionResults).reduce((s, a) => s + (a.duration ?? 0), 0));
    return { file, ok: parsed.success && child.status === 0, wallS, fileS, testsS, loadBefore, loadAfter };
  } catch {
    process.stderr.write(child.stderr.slice(-2000));
    return { file, ok: false, wallS, fileS: NaN, testsS: NaN, loadBefore, loadAfter };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function main(): void {
  const files: string[] = [];
  let runs = 1;
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--runs') runs = Number(args[++i]);
    else files.push(args[i]!);
  }
  if (!files.length) throw new Error('usage: bench/spec-times.ts SPEC_FILE... [--runs N]');
  console.log('file | run | ok | wall s | file s | tests s | load 1/5/15 before | load after');
  for (const file of files) {
    for (let run = 1; run <= runs; run++) {
      const t = timeFile(file);
      console.log(`${t.file} | ${run} | ${t.ok ? 'pass' : 'FAIL'} | ${t.wallS} | ${t.fileS} | ${t.testsS} | ${t.loadBefore.join(' ')} | ${t.loadAfter.join(' ')}`);
    }
  }
}

main();
