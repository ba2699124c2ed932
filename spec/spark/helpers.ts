/** Fixture projects for the Spark specs: copied, given their own databases, compiled, fed bronze rows. */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileProject } from '../../compiler/index.js';
import type { Manifest, Plan } from '../../compiler/manifest/types.js';
import { writeParquetFile } from '../../runtime/bronze/parquet-writer.js';
import type { SparkEngine } from '../../runtime/engines/spark/engine.js';
import type { Reporter, RunEvent } from '../../runtime/runner/events.js';
import { resolveManifestLocation } from '../../runtime/plan/locations.js';
import { run, type RunOptions } from '../../runtime/runner/run.js';
import type { NodeResult, RunResults } from '../../runtime/runner/results.js';

export const REPO = resolve(import.meta.dirname, '../..');
const SCRATCH = join(REPO, '.etl', 'spec-spark');

export interface Fixture {
  dir: string;
  db: { bronze: string; silver: string; gold: string };
  compile(): Promise<{ manifest: Manifest; plan: Plan }>;
  /** Lands rows for `source.<name>.<table>` as one Parquet file in the ingest_date partition. */
  land(sourceId: string, ingestDate: string, rows: Record<string, unknown>[], file?: string): Promise<void>;
  build(engine: SparkEngine, opts?: Partial<RunOptions>): Promise<{ results: RunResults; events: RunEvent[] }>;
  test(engine: SparkEngine, opts?: Partial<RunOptions>): Promise<{ results: RunResults; events: RunEvent[] }>;
  editModel(relPath: string, edit: (text: string) => string): void;
}

export function collector(): Reporter & { events: RunEvent[] } {
  const events: RunEvent[] = [];
  return { events, emit: (e) => events.push(e), close() {} };
}

export function fixture(name: string, tag: string): Fixture {
  mkdirSync(SCRATCH, { recursive: true });
  // Copies from earlier runs are stale: their tables lived in that run's metastore.
  for (const old of readdirSync(SCRATCH)) if (old.startsWith(`${tag}-`)) rmSync(join(SCRATCH, old), { recursive: true, force: true });
  const dir = join(SCRATCH, `${tag}-${process.pid}`);
  cpSync(join(import.meta.dirname, 'fixtures', name), dir, { recursive: true });
  // One fixture copy per Spark: copies would share the layer databases of one metastore.
  // (Renaming the databases per copy is the way out once the compiler accepts {{this}} in renamed layers.)
  const db = { bronze: 'bronze', silver: 'silver', gold: 'gold' };
  let manifest: Manifest | undefined;
  const compile = async () => {
    const result = await compileProject({ projectDir: dir });
    if (!result.ok) throw new Error(`fixture ${name} does not compile:\n${JSON.stringify(result.diagnostics, null, 2)}`);
    manifest = result.manifest;
    return { manifest: result.manifest, plan: result.plan };
  };
  const runWith = async (command: 'build' | 'test', engine: SparkEngine, opts: Partial<RunOptions>) => {
    const { manifest: m, plan } = await compile();
    const reporter = collector();
    const results = await run({ command, projectDir: dir, manifest: m, plan, spark: engine, reporter, threads: 2, ...opts });
    return { results, events: reporter.events };
  };
  return {
    dir,
    db,
    compile,
    async land(sourceId, ingestDate, rows, file = 'part-00000.parquet') {
      const m = manifest ?? (await compile()).manifest;
      const source = m.sources[sourceId];
      if (!source) throw new Error(`no source ${sourceId}`);
      const columns = [...source.columns, ...source.bronze.metadataColumns];
      const path = join(resolveManifestLocation(source.bronze.location, dir), `ingest_date=${ingestDate}`, file);
      await writeParquetFile(path, columns, rows);
    },
    build: (engine, opts = {}) => runWith('build', engine, opts),
    test: (engine, opts = {}) => runWith('test', engine, opts),
    editModel(relPath, edit) {
      const p = join(dir, relPath);
      writeFileSync(p, edit(readFileSync(p, 'utf8')));
    },
  };
}

export function byId(results: RunResults): Map<string, NodeResult> {
  return new Map(results.results.map((r) => [r.id, r]));
}

/** Bronze metadata columns for hand-made rows. */
export function meta(extractedAt: string, runId = 'run-1'): Record<string, unknown> {
  return { _run_id: runId, _extracted_at: extractedAt, _source: 'fixture', _cursor_value: null, _is_deleted: false };
}
