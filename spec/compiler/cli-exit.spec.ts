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
