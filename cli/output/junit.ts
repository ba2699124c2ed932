/**
 * A run's results as JUnit XML, the format every CI system shows as a test report: model builds as
 * test cases of a `models` suite, sources of a `sources` suite, and one suite per model (or source)
 * holding its data tests and unit tests. A failing test is a <failure> with its failing-row count and
 * a sample of the rows; a node that errored is an <error>; a skipped node is <skipped>. The XML is
 * built as objects by fast-xml-parser's builder, which escapes text and attributes.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { NodeResult, RunResults } from '../../runtime/runner/results.js';
import { xmlAttr, xmlText } from './xml-text.js';

export interface CaseInfo {
  /** The suite the case belongs to: `models`, `sources`, or the model or source a test is attached to. */
  suite: string;
  /** The user's file the node comes from (project-relative), when known. */
  file?: string;
}

export interface JunitOptions {
  describe: (r: NodeResult) => CaseInfo;
  /** A sample of a failing data test's rows (already masked), when one was saved. */
  sampleOf?: (r: NodeResult) => Array<Record<string, unknown>> | undefined;
  /** Rows of a sample shown in a failure's text. */
  sampleRows?: number;
}

const SUITE_ORDER = ['sources', 'models'];
const secs = (ms: number) => (ms / 1000).toFixed(3);

function failureText(r: NodeResult, opts: JunitOptions): string {
  const lines = [r.message ?? `${r.failures ?? 0} failing rows`];
  const sample = r.kind === 'test' ? opts.sampleOf?.(r) : undefined;
  if (sample?.length) {
    const shown = sample.slice(0, opts.sampleRows ?? 10);
    lines.push(`sample (${shown.length} of ${r.failures ?? sample.length} failing rows):`, ...shown.map((row) => JSON.stringify(row)));
  }
  return xmlText(lines.join('\n'));
}

function where(r: NodeResult): string {
  const l = r.location;
  return l ? `${l.file}${l.line ? `:${l.line}${l.column ? `:${l.column}` : ''}` : ''}: ` : '';
}

function testCase(r: NodeResult, info: CaseInfo, opts: JunitOptions): Record<string, unknown> {
  const tc: Record<string, unknown> = { '@_name': r.id, '@_classname': info.suite, '@_time': secs(r.durationMs), ...(info.file ? { '@_file': info.file } : {}) };
  switch (r.status) {
    case 'fail':
      tc.failure = { '@_message': xmlAttr(r.message ?? `${r.failures ?? 0} failing rows`), '@_type': r.kind, '#text': failureText(r, opts) };
      break;
    case 'error':
      tc.error = { '@_message': xmlAttr(r.message ?? 'error'), '@_type': r.kind, '#text': xmlText(`${where(r)}${r.message ?? ''}`) };
      break;
    case 'skipped':
      tc.skipped = { '@_message': xmlAttr(r.message ?? 'skipped') };
      break;
    case 'warn':
      tc['system-out'] = xmlText(`WARN: ${r.message ?? ''}`);
      break;
    default:
      break;
  }
  return tc;
}

function suite(name: string, results: NodeResult[], opts: JunitOptions): Record<string, unknown> {
  const count = (s: NodeResult['status']) => results.filter((r) => r.status === s).length;
  const started = results.map((r) => r.startedAt).filter((s): s is string => !!s).sort()[0];
  return {
    '@_name': xmlAttr(name),
    '@_tests': results.length,
    '@_failures': count('fail'),
    '@_errors': count('error'),
    '@_skipped': count('skipped'),
    '@_time': secs(results.reduce((t, r) => t + r.durationMs, 0)),
    ...(started ? { '@_timestamp': started.replace(/(\.\d+)?Z$/, '') } : {}),
    testcase: results.map((r) => testCase(r, opts.describe(r), opts)),
  };
}

export function junitXml(run: RunResults, opts: JunitOptions): string {
  const bySuite = new Map<string, NodeResult[]>();
  for (const r of run.results) {
    const name = opts.describe(r).suite;
    bySuite.set(name, [...(bySuite.get(name) ?? []), r]);
  }
  const rank = (n: string) => (SUITE_ORDER.includes(n) ? SUITE_ORDER.indexOf(n) : SUITE_ORDER.length);
  const names = [...bySuite.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const all = run.results;
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': `etl ${run.command}`,
      '@_tests': all.length,
      '@_failures': all.filter((r) => r.status === 'fail').length,
      '@_errors': all.filter((r) => r.status === 'error').length,
      '@_skipped': all.filter((r) => r.status === 'skipped').length,
      '@_time': secs(run.elapsedMs),
      testsuite: names.map((n) => suite(n, bySuite.get(n)!, opts)),
    },
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });
  return builder.build(doc) as string;
}
