/**
 * `tsc` rejects a wrong column in a TypeScript model. `etl compile` writes .etl/types/project.d.ts,
 * which augments module 'lakehouse-etl' with the project's models and source tables; the `ref` and
 * `source` handles of defineModel are typed by it.
 *
 * The fixture lives in a dot-directory (fixtures/.ts-model) on purpose: the repository's root
 * tsconfig includes spec/**, and TypeScript's wildcards skip dot-directories. Otherwise the root
 * `npm run typecheck` would check the fixture's model against the reference project's typings.
 * 'lakehouse-etl' resolves in the fixture through the package self-reference (the repository's
 * package.json names the package and maps "exports" to compiler/api/index.ts), so the fixture's
 * tsconfig needs no `paths`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, repoRoot, run, runEtl } from './helpers.js';

const dir = fixture('.ts-model');
const tsc = (project: string) => run(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '--noEmit', '--pretty', 'false', '-p', project], repoRoot);

describe('typed TypeScript models', () => {
  it('etl compile writes typings; tsc accepts a correct column and rejects a wrong one by name', async () => {
    const compiled = await runEtl(['compile', '--project', dir]);
    expect(compiled.stderr).not.toMatch(/\b(error|warning) ETL\d+/);
    expect(compiled.code).toBe(0);
    const typings = await readFile(path.join(dir, '.etl/types/project.d.ts'), 'utf8');
    expect(typings).toContain("declare module 'lakehouse-etl' {");
    expect(typings).toContain('"stg_orders": {\n      "order_id": string;\n      "customer_id": string;\n      "amount": string | null;');

    // The same model with one wrong column, and with a wrong model name, in .etl/ (git-ignored).
    const good = await readFile(path.join(dir, 'models/gold/customer_totals.ts'), 'utf8');
    expect(good).toContain('${o.c.amount}');
    await mkdir(path.join(dir, '.etl/type-errors'), { recursive: true });
    await writeFile(path.join(dir, '.etl/type-errors/bad_column.ts'), good.replace('${o.c.amount}', '${o.c.amout}'));
    await writeFile(path.join(dir, '.etl/type-errors/bad_ref.ts'), good.replace("ref('stg_orders')", "ref('stg_ordrs')"));
    // With the generated typings, and (control) without them.
    await writeFile(path.join(dir, '.etl/tsconfig.with-types.json'), JSON.stringify({ extends: '../tsconfig.json', include: ['../sources', '../models', 'types', 'type-errors'] }));
    await writeFile(path.join(dir, '.etl/tsconfig.no-types.json'), JSON.stringify({ extends: '../tsconfig.json', include: ['../sources', '../models', 'type-errors'] }));

    const [fixtureOnly, withTypes, noTypes] = await Promise.all([
      tsc(path.join(dir, 'tsconfig.json')),
      tsc(path.join(dir, '.etl/tsconfig.with-types.json')),
      tsc(path.join(dir, '.etl/tsconfig.no-types.json')),
    ]);

    // The fixture as committed (correct columns) type-checks.
    expect(fixtureOnly.stdout + fixtureOnly.stderr).toBe('');
    expect(fixtureOnly.code).toBe(0);

    // The wrong column and the wrong model name are rejected, each at its place; nothing else is.
    expect(withTypes.code).not.toBe(0);
    const errors = withTypes.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
    expect(errors.every((l) => l.includes('.etl/type-errors/')), errors.join('\n')).toBe(true);
    const badColumn = errors.filter((l) => l.includes('bad_column.ts'));
    expect(badColumn).toHaveLength(1);
    expect(badColumn[0]).toMatch(/bad_column\.ts\(14,\d+\): error TS(2339|2551): Property 'amout' does not exist on type/);
    const badRef = errors.find((l) => l.includes('bad_ref.ts') && l.includes('TS2345'))!;
    expect(badRef).toMatch(/bad_ref\.ts\(8,\d+\): error TS2345: Argument of type '"stg_ordrs"' is not assignable to parameter of type 'keyof ProjectModels'/);

    // Without the generated typings every name is accepted: the rejection comes from them.
    expect(noTypes.stdout + noTypes.stderr).toBe('');
    expect(noTypes.code).toBe(0);
  }, 60_000);

  it('the fixture stays hidden from the root tsconfig (a dot-directory)', () => {
    expect(path.basename(dir).startsWith('.')).toBe(true);
    expect(existsSync(path.join(dir, 'models/gold/customer_totals.ts'))).toBe(true);
  });
});
