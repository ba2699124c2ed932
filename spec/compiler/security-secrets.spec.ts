/**
 * Secrets at compile time (issue 11, item 3): a literal secret in sources/*.ts used to compile and
 * land in target/manifest.json and target/ingestion/*.json. Each case compiles a fixture copied to a
 * temp dir (and, for the artifact scan, writes it with writeArtifacts and runs the real CLI).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject, writeArtifacts } from '../../compiler/index.js';
import { CredentialInArtifactError } from '../../compiler/security/artifact-scan.js';
import { runEtl } from './helpers.js';
import { ORDERS_TABLE, projectCopy, shopSource } from './security-fixture.js';

const brief = (ds: Array<{ code: string; file?: string; line?: number; column?: number; message: string }>) => ds.map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`);

describe('secrets in source declarations', () => {
  it('a literal password is ETL193 at the value, with an env() hint, and nothing else is reported for it', async () => {
    const dir = projectCopy('unknown-var', {
      'sources/shop.ts': shopSource("{ kind: 'password', username: env('SF_USER'), password: 'hunter2' }", ORDERS_TABLE),
      'models/silver/recent_orders.sql': null,
    });
    const r = await compileProject({ projectDir: dir });
    expect(brief(r.diagnostics)).toEqual(['ETL193 sources/shop.ts:11:67 connection.auth.password of source shop is a secret written as a literal: secrets must come from the environment']);
    expect(r.diagnostics[0]!.hint).toBe("Write password: env('SHOP_PASSWORD') and set SHOP_PASSWORD where etl ingest runs. A literal would be copied into target/ (and uploaded on EMR builds); if it was committed, rotate it.");
    expect(r.diagnostics[0]!.frame).toContain("password: 'hunter2' },\n     |                                                                   ^");
    expect(JSON.stringify(r.manifest)).not.toContain('hunter2');
  });

  it('a URL with user:password@ in any setting is ETL194, masked in the message', async () => {
    const dir = projectCopy('unknown-var', {
      'sources/shop.ts': shopSource("{ kind: 'password', username: env('SF_USER'), password: env('SF_PASSWORD') }", ORDERS_TABLE, "\n    role: 'https://etl:hunter2@acme.example.com',"),
      'models/silver/recent_orders.sql': null,
    });
    const r = await compileProject({ projectDir: dir });
    expect(brief(r.diagnostics)).toEqual(['ETL194 sources/shop.ts:11:11 connection.role of source shop holds a credential (a URL with user:password@: https://etl:***@)']);
    expect(r.diagnostics[0]!.message).not.toContain('hunter2');
  });
});

describe('the artifact scan before target/ is written', () => {
  const withCredentialInSql = () =>
    projectCopy('unknown-var', {
      'models/silver/recent_orders.sql': 'SELECT order_id\nFROM {{source "shop" "orders"}}\n-- copied from https://admin:hunter2@db.example.com/orders\n',
    });

  it('writeArtifacts throws ETL195 naming the artifact and the model line, and writes nothing', async () => {
    const dir = withCredentialInSql();
    const r = await compileProject({ projectDir: dir });
    expect(r.ok).toBe(true);
    const err = await writeArtifacts(r, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialInArtifactError);
    const e = err as CredentialInArtifactError;
    expect(e.code).toBe('ETL195');
    expect(brief(e.diagnostics)).toEqual([
      'ETL195 models/silver/recent_orders.sql:3:16 a URL with user:password@ (https://admin:***@) in target/manifest.json at models.model.recent_orders.compiledSql',
    ]);
    expect(e.diagnostics[0]!.frame).toContain('> 3 | -- copied from https://admin:***@db.example.com/orders');
    expect(e.message).not.toContain('hunter2');
    expect(existsSync(path.join(dir, 'target'))).toBe(false);
  });

  it('etl compile prints the finding without a stack and exits 1; a clean project is written', async () => {
    const dir = withCredentialInSql();
    const run = await runEtl(['compile', '--project', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nothing was written to target/');
    expect(run.stderr).toContain('models/silver/recent_orders.sql:3:16');
    expect(run.stderr).toContain('Code: ETL195');
    expect(run.stderr).not.toMatch(/hunter2|\n\s+at /);
    expect(existsSync(path.join(dir, 'target'))).toBe(false);

    const clean = projectCopy('unknown-var', { 'models/silver/recent_orders.sql': 'SELECT order_id FROM {{source "shop" "orders"}}\n' });
    expect((await runEtl(['compile', '--project', clean])).code).toBe(0);
    expect(readFileSync(path.join(clean, 'target/manifest.json'), 'utf8')).toContain('"env":"SF_PASSWORD"');
  });
});
