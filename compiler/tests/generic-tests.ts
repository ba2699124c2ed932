/** Generic data tests compiled to Spark SQL that returns the failing rows. */
import type { Severity, TestArgs } from '../api/models.js';
import { sqlLiteral } from '../resolve/environment.js';

export const EMAIL_PATTERN = '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$';

export interface GenericTestInput {
  test: string;
  args: TestArgs;
  relation: string;
  column?: string;
  /** Resolves `relationships.to` (a model name or source.table) to a relation. */
  resolve(name: string): string | undefined;
}

export type TestSql = { ok: true; sql: string; extraDeps: string[] } | { ok: false; message: string; hint: string };

const q = (id: string) => `\`${id.replace(/`/g, '``')}\``;

export const GENERIC_TESTS = [
  'not_null',
  'unique',
  'accepted_values',
  'relationships',
  'expression',
  'range',
  'regex',
  'email',
  'row_count',
  'unique_combination',
] as const;

/**
 * The condition a failing row meets, for the tests that are a filter over the table's rows (over
 * `t.*`): the same text the test's own SQL filters on, and what a combined scan counts.
 */
export function rowCondition(test: string, args: TestArgs, column: string | undefined): { ok: true; condition: string } | { ok: false; message: string; hint: string } | undefined {
  const col = column ? `t.${q(column)}` : '';
  const ok = (condition: string) => ({ ok: true as const, condition });
  switch (test) {
    case 'not_null':
      return column ? ok(`${col} IS NULL`) : undefined;
    case 'accepted_values': {
      if (!column) return undefined;
      const values = args.values;
      if (!Array.isArray(values) || values.length === 0) return { ok: false, message: 'accepted_values needs values: [...]', hint: 'accepted_values: { values: [a, b] }' };
      return ok(`${col} IS NOT NULL\n  AND ${col} NOT IN (${values.map(sqlLiteral).join(', ')})`);
    }
    case 'expression': {
      const expression = args.expression;
      if (typeof expression !== 'string') return { ok: false, message: 'expression needs expression: "<condition>"', hint: 'expression: { expression: "amount > 0" }' };
      // As in dbt: rows where the condition is false fail; NULL is left to not_null.
      return ok(`NOT (${expression})`);
    }
    case 'range': {
      if (!column) return undefined;
      const inclusive = args.inclusive !== false;
      const conds: string[] = [];
      if (args.min !== undefined) conds.push(`${col} ${inclusive ? '<' : '<='} ${sqlLiteral(args.min)}`);
      if (args.max !== undefined) conds.push(`${col} ${inclusive ? '>' : '>='} ${sqlLiteral(args.max)}`);
      if (conds.length === 0) return { ok: false, message: 'range needs min and/or max', hint: 'range: { min: 0, max: 1000000 }' };
      return ok(conds.join('\n   OR '));
    }
    case 'regex':
    case 'email': {
      if (!column) return undefined;
      const pattern = test === 'email' ? EMAIL_PATTERN : args.pattern;
      if (typeof pattern !== 'string') return { ok: false, message: 'regex needs pattern: "<java regex>"', hint: "regex: { pattern: '^[A-Z]{3}$' }" };
      return ok(`${col} IS NOT NULL\n  AND NOT (${col} RLIKE ${sqlLiteral(pattern)})`);
    }
    default:
      return undefined;
  }
}

export function genericTestSql(input: GenericTestInput): TestSql {
  const { test, args, column } = input;
  const from = args.where ? `(SELECT * FROM ${input.relation} WHERE ${String(args.where)}) AS t` : `${input.relation} AS t`;
  const col = column ? `t.${q(column)}` : '';
  const needColumn = (): TestSql | undefined =>
    column ? undefined : { ok: false, message: `Test '${test}' needs a column`, hint: `Put it under columns: <name>: tests:` };
  const missing = needColumn();
  const rows = rowCondition(test, args, column);
  if (rows && !rows.ok) return rows;
  switch (test) {
    case 'not_null':
    case 'accepted_values':
    case 'expression':
    case 'range':
    case 'regex':
    case 'email':
      if (!rows) return missing!;
      return { ok: true, sql: `SELECT t.*\nFROM ${from}\nWHERE ${rows.condition}`, extraDeps: [] };
    case 'unique':
      return (
        missing ?? {
          ok: true,
          sql: `SELECT ${col} AS ${q(column!)}, count(*) AS n_records\nFROM ${from}\nWHERE ${col} IS NOT NULL\nGROUP BY ${col}\nHAVING count(*) > 1`,
          extraDeps: [],
        }
      );
    case 'relationships': {
      if (missing) return missing;
      const to = typeof args.to === 'string' ? args.to : undefined;
      const field = typeof args.field === 'string' ? args.field : undefined;
      const target = to ? input.resolve(to) : undefined;
      if (!to || !field) return { ok: false, message: 'relationships needs to: <model> and field: <column>', hint: 'relationships: { to: dim_customer, field: customer_id }' };
      if (!target) return { ok: false, message: `relationships.to '${to}' is not a model or source table`, hint: 'Use a model name or source.table.' };
      return {
        ok: true,
        sql: `SELECT t.*\nFROM ${from}\nLEFT JOIN ${target} AS parent\n  ON ${col} = parent.${q(field)}\nWHERE ${col} IS NOT NULL\n  AND parent.${q(field)} IS NULL`,
        extraDeps: [to],
      };
    }
    case 'row_count': {
      const conds: string[] = [];
      if (args.min !== undefined) conds.push(`n_records < ${Number(args.min)}`);
      if (args.max !== undefined) conds.push(`n_records > ${Number(args.max)}`);
      if (conds.length === 0) return { ok: false, message: 'row_count needs min and/or max', hint: 'row_count: { min: 1 }' };
      return { ok: true, sql: `SELECT n_records\nFROM (SELECT count(*) AS n_records FROM ${from}) AS counts\nWHERE ${conds.join(' OR ')}`, extraDeps: [] };
    }
    case 'unique_combination': {
      const cols = args.columns;
      if (!Array.isArray(cols) || cols.length === 0) return { ok: false, message: 'unique_combination needs columns: [...]', hint: 'unique_combination: { columns: [a, b] }' };
      const c = cols.map((x) => `t.${q(String(x))}`).join(', ');
      return { ok: true, sql: `SELECT ${c}, count(*) AS n_records\nFROM ${from}\nGROUP BY ${c}\nHAVING count(*) > 1`, extraDeps: [] };
    }
    default:
      return { ok: false, message: `Unknown test '${test}'`, hint: `Generic tests: ${GENERIC_TESTS.join(', ')}.` };
  }
}

export function freshnessSql(relation: string, column: string, afterSeconds: number): string {
  return `SELECT max(${q(column)}) AS latest_loaded_at, current_timestamp() AS checked_at\nFROM ${relation}\nHAVING max(${q(column)}) IS NULL\n    OR max(${q(column)}) < current_timestamp() - INTERVAL ${afterSeconds} SECONDS`;
}

export function normaliseSeverity(args: TestArgs): { severity: Severity; warnIf: string; errorIf: string } {
  const severity: Severity = args.severity === 'warn' ? 'warn' : 'error';
  return { severity, warnIf: String(args.warn_if ?? '>0'), errorIf: String(args.error_if ?? '>0') };
}

/** Splits a YAML test spec (`not_null` or `{ accepted_values: { values: [...] } }`) into name and args. */
export function readTestSpec(spec: unknown): { test: string; args: TestArgs } | undefined {
  if (typeof spec === 'string') return { test: spec, args: {} };
  if (spec && typeof spec === 'object') {
    const entries = Object.entries(spec as Record<string, unknown>);
    if (entries.length !== 1) return undefined;
    const [test, args] = entries[0]!;
    return { test, args: (args ?? {}) as TestArgs };
  }
  return undefined;
}

const THRESHOLD = /^\s*(>=|<=|!=|==|>|<|=)\s*(\d+)\s*$/;
export const validThreshold = (t: string) => THRESHOLD.test(t);
/** Whether a failing-row count meets a threshold such as `>0` or `>=10`. */
export function meetsThreshold(count: number, threshold: string): boolean {
  const m = THRESHOLD.exec(threshold);
  if (!m) return count > 0;
  const n = Number(m[2]);
  switch (m[1]) {
    case '>':
      return count > n;
    case '>=':
      return count >= n;
    case '<':
      return count < n;
    case '<=':
      return count <= n;
    case '!=':
      return count !== n;
    default:
      return count === n;
  }
}
