/** `etl compile` exit codes: 1 with project errors, 0 with only warnings, 2 for a bad flag. */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runEtl } from './helpers.js';

describe.concurrent('etl compile exit codes', () => {
  it('1 with errors (all printed together), 0 with only warnings, 2 for a usage error', async () => {
    const [errors, warnings, usage] = await Promise.all([
      runEtl(['compile', '--no-write', '--project', fixture('many-errors')]),
      runEtl(['compile', '--no-write', '--project', fixture('warnings-only')]),
      runEtl(['compile', '--no-such-flag', '--project', fixture('warnings-only')]),
    ]);
    expect(errors.code).toBe(1);
    for (const where of [
      'models/silver/a_unknown_ref.sql:1:22 error ETL140',
      'models/silver/b_unknown_column.sql:1:18 error ETL161',
      'models/silver/c_unknown_var.sql:1:58 error ETL142',
      'models/silver/d_bad_config.sql:1:10 error ETL153',
      'models/silver/e_template.sql:1:40 error ETL130',
      'models/silver/f_type.sql:1:25 error ETL170',
    ]) {
      expect(errors.stderr).toContain(where);
    }
    expect(errors.stderr).toContain('6 error(s), 0 warning(s)');

    expect(warnings.code).toBe(0);
    expect(warnings.stderr).toContain('models/silver/orders_upper.sql:1:18 warning ETL169');
    expect(warnings.stderr).toContain('0 error(s), 2 warning(s)');

    expect(usage.code).toBe(2);
  }, 60_000);

  // `--project DIR` compiles a project kept in its own repository, where 'lakehouse-etl' is not the
  // enclosing package and there is no package.json: project files are evaluated by
  // compiler/load/import-project-module.ts as ES modules wherever they are.
  it('a project outside the repository, without a package.json, compiles (exit 0)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'etl-outside-'));
    try {
      await cp(fixture('materializations'), dir, { recursive: true });
      const r = await runEtl(['compile', '--no-write', '--project', dir]);
      expect(r.stderr).not.toMatch(/\b(error|warning) ETL\d+/);
      expect(r.code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/**
 * Every command, with and without --json: 1 on project errors, 2 on usage errors, 0 otherwise
 * (warnings only included). With --json, stdout is one JSON document even when the command fails.
 */
describe.concurrent('exit codes of every command', () => {
  const broken = fixture('many-errors');
  const clean = fixture('warnings-only');
  const missing = path.join(os.tmpdir(), 'etl-no-such-dir-for-exit-codes');
  // [args, exit code]: each case runs with and without --json.
  const cases: Array<[string[], 0 | 1 | 2]> = [
    [['compile', '--no-write', '--project', broken], 1],
    [['ls', '--project', broken], 1],
    [['lineage', 'a_unknown_ref', '--project', broken], 1],
    [['show', 'a_unknown_ref', '--project', broken], 1],
    [['debug', '--project', broken], 1],
    [['docs', 'generate', '--project', broken], 1],
    [['ingest', '--project', broken], 1],
    [['build', '--project', broken], 1],
    [['test', '--project', broken], 1],
    [['env', 'drop', 'pr_1', '--project', broken], 1],

    [['compile', '--no-write', '--no-such-flag', '--project', clean], 2],
    [['compile', '--no-write', '--format', 'xml', '--project', clean], 2],
    [['ls', '--select', 'no_such_model', '--project', clean], 2],
    [['lineage', 'no_such_model', '--project', clean], 2],
    [['show', 'no_such_model', '--project', clean], 2],
    [['debug', '--no-such-flag'], 2],
    [['docs', 'generate', '--project', clean, '--out', '.'], 2],
    [['ingest', '--plan', missing], 2],
    [['build', '--plan', missing], 2],
    [['test', '--plan', missing], 2],
    [['diff', '--project', clean], 2],
    [['env', 'drop', 'Not-A-Name', '--project', clean], 2],
    [['clean', '--project', missing], 2],
    [['init', clean], 2],
    [['spark', 'status', '--no-such-flag'], 2],
    [['no-such-command'], 2],

    [['compile', '--no-write', '--project', clean], 0],
    [['ls', '--project', clean], 0],
    [['lineage', 'orders_upper', '--project', clean], 0],
    [['spark', 'status', '--project', missing], 0],
    [['spark', 'stop', '--project', missing], 0],
  ];
  // build and test take --json as their own flag (JSON lines); the others print one JSON document.
  const jsonDocument = (args: string[]) => !['build', 'test', 'no-such-command'].includes(args[0]!);

  for (const [args, code] of cases) {
    it(`etl ${args.map((a) => (a.startsWith('/') ? path.basename(a) : a)).join(' ')}: ${code}, with --json too`, async () => {
      const [plain, json] = await Promise.all([runEtl(args, 120_000), runEtl([...args, '--json'], 120_000)]);
      expect(plain.code, plain.stderr).toBe(code);
      expect(json.code, json.stderr).toBe(code);
      if (jsonDocument(args)) {
        const doc = JSON.parse(json.stdout) as { ok?: boolean; error?: { exit: number } };
        if (code === 2) expect(doc.error?.exit).toBe(2);
        if (code === 1) expect(doc.ok === false || doc.error?.exit === 1).toBe(true);
      }
    }, 180_000);
  }

  it('--json with compile errors prints {ok: false} and every diagnostic (it used to exit 0)', async () => {
    const r = await runEtl(['compile', '--no-write', '--json', '--project', broken]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { ok: boolean; diagnostics: Array<{ code: string; file: string; line: number; column: number }> };
    expect(doc.ok).toBe(false);
    expect(doc.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`).sort()).toEqual([
      'models/silver/a_unknown_ref.sql:1:22 ETL140',
      'models/silver/b_unknown_column.sql:1:18 ETL161',
      'models/silver/c_unknown_var.sql:1:58 ETL142',
      'models/silver/d_bad_config.sql:1:10 ETL153',
      'models/silver/e_template.sql:1:40 ETL130',
      'models/silver/f_type.sql:1:25 ETL170',
    ]);
  }, 60_000);

  it('init into a new directory and clean of a project exit 0', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'etl-exit-init-'));
    try {
      const init = await runEtl(['init', path.join(dir, 'p'), '--json']);
      expect(init.code, init.stderr).toBe(0);
      const cleaned = await runEtl(['clean', '--project', path.join(dir, 'p')]);
      expect(cleaned.code, cleaned.stderr).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
