/**
 * Runs one ingestion job in its own process so the crash spec can SIGKILL it at any point.
 * argv: <job.json> <runId>. Prints "started" once connected work begins, then progress lines.
 */
import { readFile } from 'node:fs/promises';
import { LocalObjectStore } from '../../../runtime/bronze/object-store.js';
import { runJob } from '../../../runtime/ingest/run-ingestion.js';
import { parseJobSpec } from '../../../runtime/ingest/read-jobs.js';

const [jobFile, runId] = process.argv.slice(2) as [string, string];
const job = parseJobSpec(await readFile(jobFile, 'utf8'), jobFile);
process.stdout.write('started\n');
const result = await runJob({
  job,
  store: new LocalObjectStore(job.bronze.location),
  runId,
  startedAt: new Date(process.env.CRASH_STARTED_AT ?? '2024-03-02T00:00:00Z'),
  env: process.env,
  progress: (e) => process.stdout.write(`${e.phase} ${e.rows ?? ''}\n`),
});
process.stdout.write(`done ${result.rows}\n`);
process.exit(0);
