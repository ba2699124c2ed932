/**
 * Source declarations are checked by one schema per system (common table keys plus the
 * connector's own): a typo is a diagnostic at the key or value in sources/*.ts with a
 * "did you mean", never silently ignored. And the registry knows every connector folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSources } from '../../compiler/load/sources.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { SYSTEM_NAMES, bronzeMetadataColumns, connectorFor } from '../../connectors/registry.js';
import { projectRoot } from './helpers/jobs.js';

let root: string;
let n = 0;
const bronze = { root: 'data/warehouse/bronze', database: 'bronze' };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'source-decl-'));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** Loads one sources/x.ts with `body` as its text; returns the diagnostics and the loaded ids. */
async function load(body: string): Promise<{ diagnostics: Diagnostic[]; ids: string[] }> {
  const dir = join(root, `p${n++}`);
  await mkdir(join(dir, 'sources'), { recursive: true });
  await writeFile(join(dir, 'sources', 'x.ts'), body);
  const diagnostics: Diagnostic[] = [];
  const loaded = await loadSources(dir, bronze, diagnostics);
  return { diagnostics, ids: loaded.map((l) => l.manifest.id) };
}

const filesSource = (table: string, connection = "{ directory: 'landing' }", system = 'files') => `import { defineSource, t } from 'lakehouse-etl';
export default defineSource({
  name: 'app',
  system: '${system}' as any,
  connection: ${connection},
  tables: {
${table}
    good: { cursor: 'at', columns: { id: t.string(), at: t.timestamp() } },
  },
} as any);
`;

describe('source declarations', () => {
  it("a drift typo ('quarantin') is an error at the value, with a did-you-mean; the other tables still load", async () => {
    const { diagnostics, ids } = await load(filesSource("    events: { drift: 'quarantin', columns: { id: t.string() } },"));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'ETL118', severity: 'error', file: 'sources/x.ts', line: 7, column: 22, hint: "Did you mean 'quarantine'?" });
    expect(diagnostics[0]!.message).toMatch(/^Invalid drift of table app\.events: /);
    expect(diagnostics[0]!.frame).toContain("drift: 'quarantin'");
    expect(ids).toEqual(['source.app.good']);
  });

  it('an unknown key is an error at the key, with a did-you-mean from the keys allowed there', async () => {
    const { diagnostics } = await load(filesSource("    events: { cursr: 'id', columns: { id: t.string() } },"));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'ETL117', line: 7, column: 15, message: "Unknown key 'cursr' in table app.events", hint: "Did you mean 'cursor'?" })]);
    const far = await load(filesSource("    events: { zzzzzz: 1, columns: { id: t.string() } },"));
    expect(far.diagnostics[0]!.hint).toMatch(/^Allowed keys here: description, columns, cursor, .*folder, windowSize\.$/);
  });

  it("an unknown system names the systems (ETL112); a connection missing a key says which", async () => {
    const system = await load(filesSource('', "{ directory: 'landing' }", 'file'));
    expect(system.diagnostics).toEqual([expect.objectContaining({ code: 'ETL112', line: 4, column: 11 })]);
    expect(system.diagnostics[0]!.hint).toBe(`Did you mean 'files'? system must be one of ${SYSTEM_NAMES.join(', ')}.`);
    const missing = await load(filesSource('', '{ dir: 1 }'));
    expect(missing.diagnostics.map((d) => [d.code, d.message, d.line])).toEqual([
      ['ETL118', 'Missing connection.directory of source app', 5],
      ['ETL117', "Unknown key 'dir' in connection of source app", 5],
    ]);
  });

  it('durations, columns and column references keep their codes (ETL116, ETL114, ETL115)', async () => {
    const { diagnostics } = await load(
      filesSource(`    a: { cursor: 'id', freshness: { warnAfter: '2 hours' }, columns: { id: t.string() } },
    b: { columns: { id: 'string' } },
    c: { cursor: 'updatd_at', columns: { updated_at: t.timestamp() } },`),
    );
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['ETL116', 7],
      ['ETL114', 8],
      ['ETL115', 9],
    ]);
    expect(diagnostics[0]!.message).toMatch(/^Invalid freshness\.warnAfter of table app\.a: expected a duration/);
    expect(diagnostics[2]!.hint).toBe("Did you mean 'updated_at'?");
  });

  it('the reference project and the files fixture load clean', async () => {
    for (const dir of [projectRoot, join(import.meta.dirname, 'fixtures', 'files-project')]) {
      const diagnostics: Diagnostic[] = [];
      const loaded = await loadSources(dir, bronze, diagnostics);
      expect(diagnostics, dir).toEqual([]);
      expect(loaded.length).toBeGreaterThan(0);
    }
  });
});

describe('connector registry', () => {
  it('registers every connectors/<system>/ folder that has a definition', async () => {
    const dir = join(projectRoot, 'connectors');
    const folders: string[] = [];
    for (const name of await readdir(dir)) {
      if ((await stat(join(dir, name))).isDirectory() && (await readdir(join(dir, name))).includes('definition.ts')) folders.push(name);
    }
    expect([...SYSTEM_NAMES].sort()).toEqual(folders.sort());
  });

  it('bronze metadata: the common columns, then the system’s own', () => {
    const names = (system: string) => bronzeMetadataColumns(connectorFor(system)!).map((c) => c.name);
    expect(names('snowflake')).toEqual(['_run_id', '_extracted_at', '_source', '_cursor_value', '_is_deleted']);
    expect(names('files')).toEqual([...names('snowflake'), '_file', '_line']);
    expect(names('kafka')).toEqual([...names('snowflake'), '_topic', '_partition', '_offset', '_kafka_timestamp', '_key']);
  });
});
