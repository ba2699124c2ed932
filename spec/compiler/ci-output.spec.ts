/**
 * CI output: `--format github` annotations (paths from the repository root, GitHub's escaping),
 * `--sarif FILE` validated against the official SARIF 2.1.0 schema, and `--junit FILE` from results
 * made by the runner's own steps (materialize, data test, unit test, error) on a compiled plan.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormatsPlugin from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { escapeData, escapeProperty } from '../../cli/output/github-annotations.js';
import { writeJunitReport } from '../../cli/output/junit-report.js';
import type { Plan } from '../../compiler/manifest/types.js';
import type { EngineSession } from '../../runtime/engines/engine.js';
import { materializeModel } from '../../runtime/runner/model-step.js';
import { errorResult } from '../../runtime/runner/node-error.js';
import { runSucceeded, type NodeResult, type RunResults } from '../../runtime/runner/results.js';
import { describeFailures, runDataTest } from '../../runtime/runner/test-step.js';
import { runUnitTest } from '../../runtime/runner/unit-tests.js';
import { fixture, fixturesDir, runEtl } from './helpers.js';

const ERRORS = fixture('ci-output-errors');
const IN_REPO = 'spec/compiler/fixtures/ci-output-errors';
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'etl-ci-output-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('--format github', () => {
  it('prints one workflow command per diagnostic, paths from the repository root, and exits 1 on errors', async () => {
    const r = await runEtl(['compile', '--no-write', '--format', 'github', '--project', ERRORS]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      `::error file=${IN_REPO}/models/silver/bad_column.sql,line=1,col=18,endLine=1,endColumn=22,title=ETL161::Unknown column 'amont' (in model bad_column). Did you mean 'amount'?`,
      `::warning file=${IN_REPO}/models/silver/no_alias.sql,line=1,col=18,endLine=1,endColumn=22,title=ETL169::Expression in the SELECT list has no alias (in model no_alias). Add \`AS name\`: Spark would name it after the expression text, which makes a poor column name.`,
      `::error file=${IN_REPO}/models/silver/orders.sql,line=1,col=1,endLine=1,endColumn=6,title=ETL155::Two models are named 'orders': models/gold/orders.sql and models/silver/orders.sql. Model names must be unique across layers, ignoring case: rename models/silver/orders.sql to models/silver/orders_silver.sql, or merge the two models.%0Anote: ${IN_REPO}/models/gold/orders.sql:1:1: first defined here`,
    ]);
    // No text frames: the summary line only.
    expect(r.stderr.trim()).toBe('2 error(s), 1 warning(s)');
  }, 60_000);

  it('outside git, paths are relative to the project; in a git repository, to its root, with properties escaped', async () => {
    const repo = path.join(tmp, 'repo');
    const project = path.join(repo, 'team,a:50%');
    await mkdir(repo, { recursive: true });
    await cp(ERRORS, project, { recursive: true });
    const outside = await runEtl(['compile', '--no-write', '--format', 'github', '--project', project]);
    expect(outside.code).toBe(1);
    expect(outside.stdout.split('\n')[0]).toMatch(/^::error file=models\/silver\/bad_column\.sql,line=1,col=18,/);

    execFileSync('git', ['init', '-q'], { cwd: repo });
    const inside = await runEtl(['compile', '--no-write', '--format', 'github', '--project', project]);
    expect(inside.code).toBe(1);
    expect(inside.stdout.split('\n')[0]).toMatch(/^::error file=team%2Ca%3A50%25\/models\/silver\/bad_column\.sql,line=1,col=18,endLine=1,endColumn=22,title=ETL161::/);
  }, 60_000);

  it('with --json, stdout stays one JSON document ({ok: false}) and the annotations go to stderr', async () => {
    const r = await runEtl(['compile', '--no-write', '--json', '--format', 'github', '--project', ERRORS]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; diagnostics: Array<{ code: string }> };
    expect(out.ok).toBe(false);
    expect(out.diagnostics.map((d) => d.code).sort()).toEqual(['ETL155', 'ETL161', 'ETL169']);
    expect(r.stderr).toContain(`::error file=${IN_REPO}/models/silver/bad_column.sql,line=1,col=18,`);
  }, 60_000);

  it('escapes as GitHub documents: % CR LF in messages, and also : , in properties', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('dir:a,b%\n')).toBe('dir%3Aa%2Cb%25%0A');
  });
});

interface SarifRun {
  tool: { driver: { name: string; version: string; rules: Array<{ id: string; shortDescription: { text: string }; help: { text: string }; defaultConfiguration: { level: string } }> } };
  originalUriBaseIds: Record<string, { uri: string }>;
  results: Array<{
    ruleId: string;
    ruleIndex: number;
    level: string;
    message: { text: string };
    locations?: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> } }>;
    relatedLocations?: Array<{ message: { text: string }; physicalLocation: { artifactLocation: { uri: string } } }>;
  }>;
}

async function sarifValidator() {
  const schema = JSON.parse(await readFile(path.join(fixturesDir, 'ci-output-schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
  // CommonJS packages: their classes are on `.default` under NodeNext. unicodeRegExp off: one
  // pattern of the published schema (a language code) has a stray `]` that only /u rejects.
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormatsPlugin.default(ajv);
  return ajv.compile(schema);
}

describe('--sarif FILE', () => {
  it('writes SARIF 2.1.0 that the official schema accepts: a rule per code, results located in the repository', async () => {
    const file = path.join(tmp, 'out', 'etl.sarif');
    const r = await runEtl(['compile', '--no-write', '--sarif', file, '--project', ERRORS]);
    expect(r.code).toBe(1);
    const log = JSON.parse(await readFile(file, 'utf8')) as { version: string; runs: SarifRun[] };
    const validate = await sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    // The validator has teeth: a level SARIF does not define is rejected.
    const broken = structuredClone(log);
    (broken.runs[0]!.results[0] as { level: string }).level = 'fatal';
    expect(validate(broken)).toBe(false);

    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver).toMatchObject({ name: 'lakehouse-etl', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(run.tool.driver.rules.map((x) => [x.id, x.defaultConfiguration.level])).toEqual([
      ['ETL155', 'error'],
      ['ETL161', 'error'],
      ['ETL169', 'warning'],
    ]);
    expect(run.tool.driver.rules[1]!.help.text).toContain("unknown table or column");
    expect(run.tool.driver.rules[1]!.help.text).toContain("Did you mean 'amount'?");
    expect(run.originalUriBaseIds['%SRCROOT%']!.uri).toMatch(/^file:\/\/\/.*\/$/);

    const byRule = new Map(run.results.map((x) => [x.ruleId, x]));
    const unknown = byRule.get('ETL161')!;
    expect(unknown.level).toBe('error');
    expect(run.tool.driver.rules[unknown.ruleIndex]!.id).toBe('ETL161');
    expect(unknown.message.text).toBe("Unknown column 'amont' (in model bad_column)\nhint: Did you mean 'amount'?");
    expect(unknown.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: `${IN_REPO}/models/silver/bad_column.sql`, uriBaseId: '%SRCROOT%' },
      region: { startLine: 1, startColumn: 18, endLine: 1, endColumn: 23 },
    });
    expect(byRule.get('ETL169')!.level).toBe('warning');
    expect(byRule.get('ETL155')!.relatedLocations).toEqual([
      expect.objectContaining({ message: { text: 'first defined here' }, physicalLocation: expect.objectContaining({ artifactLocation: { uri: `${IN_REPO}/models/gold/orders.sql`, uriBaseId: '%SRCROOT%' } }) }),
    ]);
  }, 60_000);

  it('a compile with warnings only writes its warnings and exits 0', async () => {
    const file = path.join(tmp, 'warnings.sarif');
    const r = await runEtl(['compile', '--no-write', '--sarif', file, '--project', fixture('warnings-only')]);
    expect(r.code).toBe(0);
    const log = JSON.parse(await readFile(file, 'utf8')) as { runs: SarifRun[] };
    expect((await sarifValidator())(log)).toBe(true);
    expect(log.runs[0]!.results.map((x) => [x.ruleId, x.level]).sort()).toEqual([
      ['ETL122', 'warning'],
      ['ETL169', 'warning'],
    ]);
  }, 60_000);
});

/** An engine session that answers as a scripted Spark would; everything else is the runner's. */
function scriptedSession(script: { failingRows: Record<string, Array<Record<string, unknown>>>; brokenTest: string; unitMismatch: string }): EngineSession & { current?: string } {
  const session: EngineSession & { current?: string } = {
    tableState: async () => ({ exists: false }) as Awaited<ReturnType<EngineSession['tableState']>>,
    execute: async () => undefined,
    rowsWritten: async () => 4,
    runDataTest: async () => {
      if (session.current === script.brokenTest) throw new Error('[TABLE_OR_VIEW_NOT_FOUND] The table or view `silver`.`checked_orders` cannot be found.\u001b[0m');
      const rows = script.failingRows[session.current!] ?? [];
      return { failures: rows.length, sample: rows };
    },
    runUnitTest: async () => {
      const bad = session.current === script.unitMismatch;
      return {
        compared: ['order_id', 'customer_id', 'amount', 'status'],
        missing: bad ? [{ order_id: 'A', customer_id: 'C1', amount: 11, status: 'paid' }] : [],
        unexpected: bad ? [{ order_id: 'A', customer_id: 'C1', amount: 10.5, status: 'paid' }] : [],
      };
    },
    close: async () => undefined,
  };
  return session;
}

/** The results of `etl build` on the ci-output-run plan, node by node through the runner's steps. */
async function buildResults(plan: Plan, projectDir: string): Promise<RunResults> {
  const EXPRESSION = 'test.checked_orders.expression.amount';
  const session = scriptedSession({
    failingRows: {
      [EXPRESSION]: [{ order_id: 'C', amount: '1500.00', note: 'a <b> & "c" \u001b[31m' }],
      'test.checked_orders.not_null.customer_id': [{ order_id: 'B', customer_id: null }],
    },
    brokenTest: 'test.checked_orders.unique.order_id',
    unitMismatch: 'unit_test.checked_orders.wrong_expectation',
  });
  const results: NodeResult[] = [];
  for (const node of Object.values(plan.nodes)) {
    const t0 = Date.now();
    const base = { id: node.id, kind: node.kind, name: node.name, startedAt: new Date(t0).toISOString() };
    session.current = node.id;
    if (node.kind === 'source') results.push({ ...base, status: 'success', durationMs: 12 });
    else if (node.kind === 'model' && node.id === 'model.customer_totals') {
      // What run.ts records for a node whose blocking parent test failed.
      results.push({ id: node.id, kind: 'model', name: node.name, status: 'skipped', durationMs: 0, message: `skipped: upstream ${EXPRESSION} failed` });
    } else if (node.kind === 'model') {
      const outcome = await materializeModel(session, node, { fullRefresh: false });
      results.push({ ...base, status: 'success', durationMs: 1500, mode: outcome.mode, ...(outcome.rows !== undefined ? { rows: outcome.rows } : {}) });
    } else if (node.kind === 'test') {
      try {
        const r = await runDataTest(session, node, projectDir);
        results.push({ ...base, status: r.outcome, durationMs: 250, failures: r.failures, ...(r.artifact ? { artifact: r.artifact } : {}), ...(r.outcome !== 'pass' ? { message: describeFailures(node, r) } : {}) });
      } catch (e) {
        results.push(errorResult(e, node.id, node.kind, node.name, t0, node.file, projectDir));
      }
    } else results.push(await runUnitTest(session, node, projectDir));
  }
  return { command: 'build', generatedAt: new Date().toISOString(), elapsedMs: 4321, args: {}, success: runSucceeded(results), results };
}

type Xml = Record<string, unknown> & { name: string };
const asArray = new Set(['testsuite', 'testcase']);

describe('--junit FILE', () => {
  it('writes the results as JUnit XML: models, sources and a suite per model, failures with count and sample, XML-escaped', async () => {
    const projectDir = path.join(tmp, 'run-project');
    await cp(fixture('ci-output-run'), projectDir, { recursive: true });
    const { plan, ok } = await compileProject({ projectDir });
    expect(ok).toBe(true);
    const run = await buildResults(plan, projectDir);
    const file = path.join(tmp, 'reports', 'junit.xml');
    writeJunitReport(file, run, plan, projectDir);

    const xml = await readFile(file, 'utf8');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).toContain('a &lt;b&gt; &amp;');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, isArray: (n) => asArray.has(n) }).parse(xml) as { testsuites: Xml & { testsuite: Array<Xml & { testcase: Xml[] }> } };
    const root = doc.testsuites;
    expect(root).toMatchObject({ name: 'etl build', tests: '8', failures: '2', errors: '1', skipped: '1', time: '4.321' });
    expect(root.testsuite.map((s) => [s.name, s.tests, s.failures, s.errors, s.skipped])).toEqual([
      ['sources', '1', '0', '0', '0'],
      ['models', '2', '0', '0', '1'],
      ['model.checked_orders', '5', '2', '1', '0'],
    ]);
    const cases = new Map(root.testsuite.flatMap((s) => s.testcase.map((c) => [c.name, c] as const)));
    expect(cases.get('model.checked_orders')).toEqual({ name: 'model.checked_orders', classname: 'models', time: '1.500', file: 'models/silver/checked_orders.sql' });
    expect(cases.get('model.customer_totals')).toMatchObject({ classname: 'models', skipped: { message: 'skipped: upstream test.checked_orders.expression.amount failed' } });

    const expression = cases.get('test.checked_orders.expression.amount') as Xml & { failure: Record<string, string> };
    expect(expression).toMatchObject({ classname: 'model.checked_orders', time: '0.250', file: 'models/silver/checked_orders.yml' });
    expect(expression.failure.message).toMatch(/^1 failing row \(severity error, /);
    expect(expression.failure['#text']).toContain('sample (1 of 1 failing rows):\n{"order_id":"C","amount":"1500.00","note":"a <b> & \\"c\\" \\u001b[31m"}');

    const notNull = cases.get('test.checked_orders.not_null.customer_id')!;
    expect(notNull).not.toHaveProperty('failure');
    expect(notNull['system-out']).toMatch(/^WARN: 1 failing row \(severity warn/);
    const broken = cases.get('test.checked_orders.unique.order_id') as Xml & { error: Record<string, string> };
    // Control characters XML 1.0 cannot carry are written as \xNN.
    expect(broken.error.message).toBe('[TABLE_OR_VIEW_NOT_FOUND] The table or view `silver`.`checked_orders` cannot be found.\\x1b[0m');
    expect(broken.error['#text']).toBe('models/silver/checked_orders.yml: [TABLE_OR_VIEW_NOT_FOUND] The table or view `silver`.`checked_orders` cannot be found.\\x1b[0m');

    expect(cases.get('unit_test.checked_orders.passes_rows_through')).toEqual({ name: 'unit_test.checked_orders.passes_rows_through', classname: 'model.checked_orders', time: expect.stringMatching(/^\d+\.\d{3}$/), file: 'models/silver/checked_orders.yml' });
    const unit = cases.get('unit_test.checked_orders.wrong_expectation') as Xml & { failure: Record<string, string> };
    expect(unit.failure.message).toBe('1 expected row missing, 1 unexpected row (compared: order_id, customer_id, amount, status)');
    expect(unit.failure['#text']).toContain('- { order_id: "A", customer_id: "C1", amount: 11, status: "paid" }');
  }, 60_000);
});
