/**
 * Reads the ingestion job specs a compile wrote (`target/ingestion/*.json`) and validates each on
 * read: the common shape and version (connectors/job-spec.ts), then the `extract` part against its
 * connector's schema. A malformed spec, or one from another version, is refused naming its file.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { INGESTION_JOB_VERSION, jobSpecSchema } from '../../connectors/job-spec.js';
import { connectorFor, SYSTEM_NAMES } from '../../connectors/registry.js';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { IngestError } from '../bronze/errors.js';

/** The folder of job specs in `dir`: a compiled target (`<dir>/ingestion/`), or that folder itself. */
export async function jobSpecFolder(dir: string): Promise<string> {
  const nested = path.join(dir, 'ingestion');
  if (await isDirectory(nested)) return nested;
  if (await isDirectory(dir)) return dir;
  throw new IngestError(`${dir} is not a folder`, {
    code: 'INGEST_PLAN',
    hint: 'pass --plan the target/ folder `etl compile` wrote (or its ingestion/ folder)',
  });
}

/** Every job spec of `dir` (see jobSpecFolder), sorted by id. */
export async function readJobSpecs(dir: string): Promise<IngestionJobSpec[]> {
  const folder = await jobSpecFolder(dir);
  const names = (await readdir(folder)).filter((n) => n.endsWith('.json')).sort();
  if (names.length === 0) {
    throw new IngestError(`${folder} holds no ingestion job specs`, {
      code: 'INGEST_PLAN',
      hint: 'run `etl compile` first (it writes target/ingestion/<source id>.json), or declare sources in sources/*.ts',
    });
  }
  const jobs = await Promise.all(names.map(async (n) => parseJobSpec(await readFile(path.join(folder, n), 'utf8'), path.join(folder, n))));
  return jobs.sort((a, b) => a.id.localeCompare(b.id));
}

/** One job spec from its JSON text; `file` names it in errors. */
export function parseJobSpec(text: string, file: string): IngestionJobSpec {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw invalid(file, `it is not JSON (${(err as Error).message})`);
  }
  const version = (data as { jobVersion?: unknown } | null)?.jobVersion;
  if (version !== INGESTION_JOB_VERSION) {
    throw new IngestError(`${file} is an ingestion job spec of version ${JSON.stringify(version ?? null)}; this etl reads version ${INGESTION_JOB_VERSION}`, {
      code: 'INGEST_JOB_VERSION',
      where: file,
      hint: 'compile the project again with this version of etl (`etl compile`), then run etl ingest',
    });
  }
  const common = jobSpecSchema.safeParse(data);
  if (!common.success) throw invalid(file, describeIssues(common.error.issues));
  const connector = connectorFor(common.data.system);
  if (!connector) {
    throw new IngestError(`${file}: unknown source system '${common.data.system}'`, {
      code: 'INGEST_JOB_SPEC',
      where: file,
      hint: `this etl knows ${SYSTEM_NAMES.join(', ')}; compile with the same version of etl that runs the jobs`,
    });
  }
  const extract = connector.extract.safeParse(common.data.extract);
  if (!extract.success) throw invalid(file, describeIssues(extract.error.issues, 'extract'));
  // The connector's schema validated `extract` for this system; the union type says which one.
  return { ...common.data, extract: extract.data } as IngestionJobSpec;
}

function invalid(file: string, what: string): IngestError {
  return new IngestError(`${file} is not a valid ingestion job spec: ${what}`, {
    code: 'INGEST_JOB_SPEC',
    where: file,
    hint: 'job specs are written by `etl compile`; compile again rather than editing them by hand',
  });
}

function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>, prefix?: string): string {
  return issues
    .slice(0, 5)
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
