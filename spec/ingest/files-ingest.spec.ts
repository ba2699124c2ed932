/**
 * The fourth source system, `files` (connectors/files/: a folder of JSON-lines files per table),
 * end to end through the real CLI: `etl ingest` compiles a small project, writes the job spec and
 * runs it as emitted; bronze gets the same Parquet files, metadata columns, state and quarantine
 * as every other system. A second run lands only new lines; an unreadable line is quarantined
 * once, never dropped; `--plan` runs a compiled target/ with no project sources; a malformed or
 * outdated job spec is refused naming its file, without a stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestRunRecord } from '../../runtime/ingest/run-ingestion.js';
import { projectRoot } from './helpers/jobs.js';
import { readBronzeRows, readQuarantine } from './helpers/read-bronze.js';

let dir: string;
const fixture = join(import.meta.dirname, 'fixtures', 'files-project');

function etl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = execFile(process.execPath, [join(projectRoot, 'bin', 'etl.js'), ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20, timeout: 180_000 }, (_e, stdout, stderr) =>
      // oclif wraps long error lines behind ' ›   ': unwrapped, a message reads as one line.
      res({ code: child.exitCode ?? -1, stdout, stderr: stderr.replace(/\s*\n ›\s+/g, ' ') }),
    );
  });
}

async function ingest(args: string[] = []): Promise<IngestRunRecord> {
  const { code, stdout, stderr } = await etl(['ingest', '--project', dir, '--json', ...args]);
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout) as IngestRunRecord;
}

const line = (record: Record<string, unknown>) => `${JSON.stringify(record)}\n`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'files-ingest-'));
  await cp(fixture, dir, { recursive: true });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('files: JSON lines -> bronze through etl ingest', () => {
  let location: string;

  it('compiles, writes the job spec, and lands every line with its declared types and metadata', async () => {
    const record = await ingest();
    expect(record.status).toBe('success');
    const [job] = record.jobs;
    expect(job).toMatchObject({ jobId: 'source.app.events', status: 'success', rows: 3, quarantined: 0, relation: 'bronze.app_events' });
    location = job!.location;

    const spec = JSON.parse(await readFile(join(dir, 'target', 'ingestion', 'source.app.events.json'), 'utf8'));
    expect(spec).toMatchObject({ jobVersion: 2, system: 'files', extract: { kind: 'files', folder: 'landing/events', extensions: ['.jsonl', '.ndjson'] } });

    const rows = await readBronzeRows(location);
    expect(rows.map((r) => r.event_id).sort()).toEqual(['e1', 'e2', 'e3']);
    const e1 = rows.find((r) => r.event_id === 'e1')!;
    expect(e1).toMatchObject({ user_email: 'Ann@Example.com', amount: 12.5, tags: ['a', 'b'], _file: 'part-0001.jsonl', _line: 1n, _source: 'source.app.events', _is_deleted: false });
    expect(e1._cursor_value).toBe('2024-03-01T10:00:00.000000Z');
    expect(e1.__file.startsWith('ingest_date=2024-03-01/')).toBe(true);
    const e3 = rows.find((r) => r.event_id === 'e3')!;
    expect(e3).toMatchObject({ user_email: null, tags: null, _line: 3n });
    expect(e3.__file.startsWith('ingest_date=2024-03-02/')).toBe(true);
  }, 240_000);

  it('a second run lands only the new lines; unreadable and invalid lines are quarantined once, not dropped', async () => {
    const now = new Date().toISOString();
    await appendFile(join(dir, 'landing', 'events', 'part-0001.jsonl'), line({ event_id: 'e4', amount: '1.00', updated_at: now }) + '{"event_id": "e5", oops\n');
    await writeFile(join(dir, 'landing', 'events', 'part-0002.jsonl'), line({ event_id: 'e6', amount: 'not a number', updated_at: now }) + line({ event_id: 'e7', updated_at: 'yesterday' }));

    const second = await ingest();
    expect(second.jobs[0]).toMatchObject({ status: 'success', rows: 1, quarantined: 3 });
    const rows = await readBronzeRows(location);
    expect(rows.map((r) => r.event_id).sort()).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(rows.find((r) => r.event_id === 'e4')).toMatchObject({ _file: 'part-0001.jsonl', _line: 4n });

    const quarantined = await readQuarantine(location);
    const reasons = quarantined.map((q) => q.reason);
    expect(reasons).toHaveLength(3);
    expect(reasons.filter((r) => r.startsWith('unreadable line: not JSON'))).toHaveLength(1);
    expect(reasons.filter((r) => r.startsWith('unreadable line: cursor updated_at is missing or not a timestamp'))).toHaveLength(1);
    expect(reasons.filter((r) => r.startsWith('schema: amount'))).toHaveLength(1);
    expect(quarantined.find((q) => q.reason.includes('not JSON'))).toMatchObject({ origin: { file: 'part-0001.jsonl', line: 5 }, record: '{"event_id": "e5", oops' });

    const third = await ingest();
    expect(third.jobs[0]).toMatchObject({ status: 'success', rows: 0, quarantined: 0 });
    expect(await readQuarantine(location)).toHaveLength(3);
  }, 240_000);

  it('--plan runs a compiled target/ as it is, with no project sources', async () => {
    const plan = join(dir, '..', `${dir.split('/').pop()}-plan`);
    await cp(join(dir, 'target'), plan, { recursive: true });
    await rename(join(dir, 'sources'), join(dir, 'sources-away'));
    try {
      await appendFile(join(dir, 'landing', 'events', 'part-0002.jsonl'), line({ event_id: 'e8', updated_at: new Date().toISOString() }));
      const record = await ingest(['--plan', plan]);
      expect(record.jobs[0]).toMatchObject({ jobId: 'source.app.events', status: 'success', rows: 1 });
      expect((await readBronzeRows(location)).map((r) => r.event_id)).toContain('e8');
    } finally {
      await rename(join(dir, 'sources-away'), join(dir, 'sources'));
      await rm(plan, { recursive: true, force: true });
    }
  }, 240_000);

  it('refuses a malformed or outdated job spec, naming the file, without a stack trace', async () => {
    const plan = await mkdtemp(join(tmpdir(), 'files-bad-plan-'));
    try {
      await mkdir(join(plan, 'ingestion'));
      const spec = JSON.parse(await readFile(join(dir, 'target', 'ingestion', 'source.app.events.json'), 'utf8'));
      await writeFile(join(plan, 'ingestion', 'source.app.events.json'), JSON.stringify({ ...spec, jobVersion: 1 }));
      const old = await etl(['ingest', '--project', dir, '--plan', plan]);
      expect(old.code).toBe(2);
      expect(old.stderr).toMatch(/INGEST_JOB_VERSION: .*source\.app\.events\.json is an ingestion job spec of version 1; this etl reads version 2/);
      expect(old.stderr).toMatch(/hint: compile the project again/);
      expect(old.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);

      await writeFile(join(plan, 'ingestion', 'source.app.events.json'), JSON.stringify({ ...spec, extract: { ...spec.extract, folder: 42 } }));
      const bad = await etl(['ingest', '--project', dir, '--plan', plan]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/INGEST_JOB_SPEC: .*source\.app\.events\.json is not a valid ingestion job spec: extract\.folder: /);
    } finally {
      await rm(plan, { recursive: true, force: true });
    }
  }, 240_000);
});
