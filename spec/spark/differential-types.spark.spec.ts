/**
 * Differential types: every query of spec/spark/fixtures/type-corpus/corpus/*.sql is compiled as a
 * model of the fixture project and run through Spark 3.5 itself (the local install, empty Delta
 * tables of the declared schemas); every output column's type and nullability must be Spark's.
 * Prints the agreement; fails on a disagreement not in known-gaps.ts and on a stale entry there.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compare, summary, type Agreement } from './differential/compare.js';
import { compileCorpus, loadCorpus, sourceTables, type CompiledQuery } from './differential/corpus.js';
import { KNOWN_GAPS } from './differential/known-gaps.js';
import { sparkSchemas } from './differential/spark-schemas.js';
import { REPO } from './helpers.js';

const WORK = join(REPO, '.etl', 'spec-spark', 'type-corpus');
let compiled: CompiledQuery[];
let agreement: Agreement;

beforeAll(async () => {
  execFileSync('bash', [join(REPO, 'scripts', 'setup-spark.sh')], { stdio: 'inherit' });
  const queries = loadCorpus();
  const project = join(WORK, 'project');
  const result = await compileCorpus(queries, project);
  compiled = result.compiled;
  mkdirSync(WORK, { recursive: true });
  const spark = await sparkSchemas({ tables: sourceTables(result.manifest), queries: compiled.map((c) => ({ id: c.query.id, sql: c.sql })) }, WORK, REPO);
  agreement = compare(compiled, spark);
  writeFileSync(join(WORK, 'report.json'), JSON.stringify({ agreement, compiled, spark: Object.fromEntries(spark) }, null, 2));
  console.log(`differential types (report: ${join(WORK, 'report.json')})\n${summary(agreement)}`);
});

describe('output types and nullability against Spark 3.5', () => {
  it('the corpus has at least 200 queries, all valid Spark', () => {
    expect(compiled.length).toBeGreaterThanOrEqual(200);
    expect(agreement.sparkRejects).toEqual([]);
  });

  it('every column agrees with Spark, known gaps aside, and no known gap has started to agree', () => {
    const unexpected = agreement.disagreements.filter((d) => !(d.key in KNOWN_GAPS));
    const seen = new Set(agreement.disagreements.map((d) => d.key));
    const stale = Object.keys(KNOWN_GAPS).filter((k) => !seen.has(k));
    expect(unexpected.map((d) => `${d.key} (${d.where}): ${d.what}`)).toEqual([]);
    expect(stale).toEqual([]);
  });
});
