/**
 * Operations locally: `etl ingest --dev-sources` (a local Snowflake stand-in) writes one
 * metric point per measure and source table to .etl/metrics/metrics.jsonl; a build's freshness
 * points come from the bronze commit times; `etl status` prints each gold model's freshness
 * against the SLA (infra.sla_minutes, default 120) and exits 1 when one is late.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject, writeArtifacts } from '../../compiler/index.js';
import type { Manifest } from '../../compiler/manifest/types.js';
import { FRESHNESS_METRICS, INGEST_METRICS } from '../../runtime/aws/metric-names.js';
import type { IngestRunRecord } from '../../runtime/ingest/run-ingestion.js';
import { startFreshness } from '../../runtime/metrics/build-freshness.js';
import { metricsFile, readMetrics } from '../../runtime/metrics/jsonl-sink.js';
import { opsContext, readOpsManifest } from '../../runtime/metrics/ops-context.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
let dir: string;
let planDir: string;
let manifest: Manifest;

// A copy of the fixture inside the repository (its `lakehouse-etl` imports resolve; .etl/ is gitignored).
beforeAll(async () => {
  mkdirSync(join(ROOT, '.etl', 'tmp'), { recursive: true });
  dir = mkdtempSync(join(ROOT, '.etl', 'tmp', 'ops-'));
  cpSync(join(import.meta.dirname, 'fixtures', 'freshness'), dir, { recursive: true });
  const compiled = await compileProject({ projectDir: dir });
  expect(compiled.diagnostics).toEqual([]);
  manifest = compiled.manifest;
  planDir = await writeArtifacts(compiled, dir);
}, 120_000);

afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function etl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = execFile('node', [join(ROOT, 'bin', 'etl.js'), ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 120_000 }, (_e, stdout, stderr) =>
      res({ code: child.exitCode ?? -1, stdout, stderr }),
    );
  });
}

/** Bytes of the data files of a bronze table (everything outside its _etl/ bookkeeping). */
async function dataBytes(location: string): Promise<number> {
  const files = (await readdir(location, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  return files.map((f) => join(f.parentPath, f.name)).filter((p) => !p.slice(location.length).startsWith('/_etl/')).reduce((n, p) => n + statSync(p).size, 0);
}

describe('metrics and SLA (local)', () => {
  it('an ingestion from the dev sources writes its metric lines; etl status shows freshness against the SLA', async () => {
    const opsManifest = await readOpsManifest(planDir);
    const ops = await opsContext(opsManifest!, { projectDir: dir });
    // A local target: the metrics file only, no CloudWatch, no KMS key.
    expect(ops).toEqual({ project: 'ops_fixture', sinks: [expect.objectContaining({ file: join(dir, '.etl', 'metrics', 'metrics.jsonl') })] });
    const ingest = await etl(['ingest', '--dev-sources', '--rows', '150', '--plan', planDir, '--project', dir]);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stderr).toContain(`metrics: 12 points to ${join(dir, '.etl', 'metrics', 'metrics.jsonl')}`);
    const record = JSON.parse(readFileSync(join(dir, 'target', 'ingest', 'last_run.json'), 'utf8')) as IngestRunRecord;
    expect(record.jobs.map((j) => [j.jobId, j.status])).toEqual([
      ['source.shop.customers', 'success'],
      ['source.shop.orders', 'success'],
    ]);
    expect(record.jobs.every((j) => j.rows > 0)).toBe(true);

    const { points, badLines } = await readMetrics(metricsFile(dir));
    expect(badLines).toEqual([]);
    for (const job of record.jobs) {
      const source = job.jobId.replace(/^source\./, '');
      const mine = Object.fromEntries(points.filter((p) => p.dimensions.Source === source).map((p) => [p.metric, p]));
      expect(Object.keys(mine).sort()).toEqual(Object.values(INGEST_METRICS).map((m) => m.name).sort());
      expect(mine.IngestRecords).toMatchObject({ value: job.rows, unit: 'Count', runId: record.runId, dimensions: { Project: 'ops_fixture', Source: source } });
      expect(mine.IngestBytes!.value).toBe(await dataBytes(job.location));
      expect(mine.IngestBytes!.value).toBeGreaterThan(0);
      expect([mine.IngestErrors!.value, mine.IngestQuarantinedRecords!.value]).toEqual([0, 0]);
      expect(mine.IngestDuration!.value).toBe(Math.round(job.seconds * 1000));
      expect(mine.SourceApiLatency!.value).toBeGreaterThan(0);
    }

    // customers was last extracted 3 hours ago: its state records that commit time.
    const customers = record.jobs.find((j) => j.jobId === 'source.shop.customers')!;
    const statePath = join(customers.location, '_etl', 'state.json');
    const threeHoursAgo = new Date(Date.now() - 3 * 3600_000).toISOString();
    writeFileSync(statePath, JSON.stringify({ ...JSON.parse(readFileSync(statePath, 'utf8')), committedAt: threeHoursAgo }));

    // A build of two of the three gold models (what `etl build` does around the run).
    const recorder = await startFreshness(manifest, { projectDir: dir, sinks: ops.sinks });
    const sent = await recorder.finish(['model.stg_orders', 'model.daily_revenue', 'model.revenue_by_country'], 'build-1');
    expect(sent).toEqual([{ sink: join(dir, '.etl', 'metrics', 'metrics.jsonl'), points: 2 }]);
    const fresh = (await readMetrics(metricsFile(dir))).points.filter((p) => p.metric === FRESHNESS_METRICS.freshness.name);
    expect(fresh.map((p) => [p.dimensions.Model, p.runId])).toEqual([
      ['model.daily_revenue', 'build-1'],
      ['model.revenue_by_country', 'build-1'],
    ]);
    expect(fresh[1]!.extractedAt).toBe(threeHoursAgo);
    expect(fresh[1]!.value).toBeGreaterThanOrEqual(180);

    // Default SLA (2 h): revenue_by_country is late, country_list was never built: exit 1 as dbt source freshness.
    const late = await etl(['status', '--plan', planDir, '--project', dir]);
    expect(late.code).toBe(1);
    const rows = Object.fromEntries(late.stdout.split('\n').filter((l) => l.startsWith('gold.')).map((l) => [l.split(/\s+/)[0], l.split(/\s+/)[1]]));
    expect(rows).toEqual({ 'gold.country_list': 'UNKNOWN', 'gold.daily_revenue': 'OK', 'gold.revenue_by_country': 'LATE' });
    expect(late.stdout).toContain('against the SLA of 120 minutes');
    expect(late.stdout).toContain('1 ok, 1 late, 1 unknown');

    // infra.sla_minutes in project.yaml: 4 hours, so nothing is late; --json gives the report.
    writeFileSync(join(dir, 'project.yaml'), `${readFileSync(join(dir, 'project.yaml'), 'utf8')}\ninfra:\n  sla_minutes: 240\n`);
    const ok = await etl(['status', '--plan', planDir, '--project', dir, '--json']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report.slaMinutes).toBe(240);
    expect(report.models.map((m: { relation: string; state: string; sources: string[] }) => [m.relation, m.state, m.sources])).toEqual([
      ['gold.country_list', 'unknown', ['source.shop.customers']],
      ['gold.daily_revenue', 'ok', ['source.shop.orders']],
      ['gold.revenue_by_country', 'ok', ['source.shop.customers', 'source.shop.orders']],
    ]);
    expect(report.models[2].extractedAt).toBe(threeHoursAgo);
  }, 240_000);
});
