/**
 * A use of a user-defined generic test checked against its declared arguments: missing (ETL420),
 * unknown (ETL421), of the wrong type (ETL422), naming a column the model does not have (ETL423).
 * Each problem says where below the test entry it is, for a diagnostic at the use.
 */
import { didYouMean } from '../config/suggest.js';
import type { ArgSpec } from './user-generic-api.js';

/** Keys every test takes (severity and thresholds, a row filter): not the test's own arguments. */
export const COMMON_TEST_KEYS = ['severity', 'warn_if', 'error_if', 'where'];

export interface ArgProblem {
  code: string;
  message: string;
  hint: string;
  /** Below the test entry: `[test]` or `[test, arg]`. */
  path: string[];
}

const kindOf = (v: unknown) => (Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v);

function fits(spec: ArgSpec, value: unknown): boolean {
  switch (spec.kind) {
    case 'list':
      return Array.isArray(value) && value.every((x) => ['string', 'number', 'boolean'].includes(typeof x));
    case 'column':
      return typeof value === 'string';
    default:
      return typeof value === spec.kind;
  }
}

export function userTestArgProblems(test: string, declared: Map<string, ArgSpec>, args: Record<string, unknown>, modelColumns: string[]): ArgProblem[] {
  const out: ArgProblem[] = [];
  const names = [...declared.keys()];
  for (const [key, value] of Object.entries(args)) {
    if (COMMON_TEST_KEYS.includes(key)) continue;
    const spec = declared.get(key);
    if (!spec) {
      out.push({ code: 'ETL421', message: `Test '${test}' has no argument '${key}'`, hint: didYouMean(key, names) || (names.length ? `Its arguments: ${names.join(', ')}.` : `${test} takes no arguments.`), path: [test, key] });
      continue;
    }
    if (!fits(spec, value)) {
      out.push({ code: 'ETL422', message: `Argument '${key}' of test '${test}' must be ${spec.kind === 'list' ? 'a list' : spec.kind === 'column' ? 'a column name' : `a ${spec.kind}`}, not ${kindOf(value)} (${JSON.stringify(value)})`, hint: `Declared as ${spec.kind}${spec.optional ? '?' : ''}.`, path: [test, key] });
      continue;
    }
    if (spec.kind === 'column' && !modelColumns.some((c) => c.toLowerCase() === String(value).toLowerCase())) {
      out.push({ code: 'ETL423', message: `Argument '${key}' of test '${test}' names column '${String(value)}', which the model does not select`, hint: didYouMean(String(value), modelColumns) || `The model selects: ${modelColumns.join(', ')}.`, path: [test, key] });
    }
  }
  for (const [key, spec] of declared) {
    if (!spec.optional && args[key] === undefined) out.push({ code: 'ETL420', message: `Test '${test}' needs argument '${key}' (${spec.kind})`, hint: `Write it under the test: ${test}: { ${key}: ... }`, path: [test] });
  }
  return out;
}
