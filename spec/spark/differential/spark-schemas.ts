/**
 * Spark's own answer for the corpus: one PySpark process on the project's local Spark install
 * (spark_schemas.py) creates empty Delta tables of the declared schemas and returns each query's
 * DataFrame schema, types and nullability. One JVM for the whole corpus.
 */
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSparkInstalled, sparkPaths } from '../../../runtime/engines/spark/paths.js';
import type { OutputColumn } from './corpus.js';

export type SparkAnswer = { fields: OutputColumn[] } | { error: string };

export interface SchemaRequest {
  tables: Array<{ relation: string; columns: OutputColumn[] }>;
  queries: Array<{ id: string; sql: string }>;
}

export async function sparkSchemas(request: SchemaRequest, workDir: string, repo: string): Promise<Map<string, SparkAnswer>> {
  const paths = sparkPaths(repo);
  const jars = assertSparkInstalled(paths);
  const file = join(workDir, 'spark-request.json');
  const warehouse = join(workDir, 'spark-warehouse');
  // Tables of an earlier run: Spark's catalog is in memory, so their directories would be in the way.
  rmSync(warehouse, { recursive: true, force: true });
  writeFileSync(file, JSON.stringify({ ...request, jars, warehouse }));
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      join(paths.venv, 'bin', 'python'),
      [join(import.meta.dirname, 'spark_schemas.py'), file],
      {
        cwd: workDir,
        timeout: 420_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, SPARK_HOME: paths.sparkHome, SPARK_LOCAL_IP: '127.0.0.1', PYSPARK_PYTHON: join(paths.venv, 'bin', 'python'), TZ: 'UTC' },
      },
      (err, out, stderr) => (err ? reject(new Error(`spark_schemas.py failed: ${err.message}\n${stderr.slice(-4000)}`)) : resolve(out)),
    );
  });
  const last = stdout.trim().split('\n').pop() ?? '{}';
  return new Map(Object.entries(JSON.parse(last) as Record<string, SparkAnswer>));
}
