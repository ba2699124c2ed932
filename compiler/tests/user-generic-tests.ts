/**
 * User-defined generic tests of `tests/generic/`: a Handlebars SQL file with its arguments declared
 * in a leading `{{!-- args: ... --}}` block, or a TypeScript `defineTest` (user-generic-api.ts).
 * Loaded once; each use from a model's `tests:` is checked against the declared arguments
 * (user-generic-args.ts) and rendered to the SQL returning the failing rows.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { importProjectModule } from '../load/import-project-module.js';
import { positionFromStack } from '../load/sources.js';
import { withoutBom } from '../load/text-file.js';
import { sqlLiteral } from '../resolve/environment.js';
import { newRenderState, type RenderScope } from '../resolve/models.js';
import { compileTemplate, TemplateRenderError, TemplateSyntaxError, templateSyntaxDiagnostic, type CompiledTemplate } from '../resolve/template.js';
import { GENERIC_TESTS, type TestSql } from './generic-tests.js';
import { userTestArgProblems, type ArgProblem } from './user-generic-args.js';
import { TEST_BRAND, type ArgKind, type ArgSpec, type DefinedTest } from './user-generic-api.js';

export interface UserTestUse {
  relation: string;
  column?: string;
  args: Record<string, unknown>;
}

export interface UserGenericTest {
  name: string;
  file: string;
  args: Map<string, ArgSpec>;
  /** The failing-row SQL of one use, or why it cannot be rendered (a fault of the definition). */
  render(use: UserTestUse, scope: RenderScope): { ok: true; sql: string } | { ok: false; message: string };
}

const ARG_KINDS: ArgKind[] = ['string', 'number', 'boolean', 'list', 'column'];
const quote = (id: string) => `\`${id.replace(/`/g, '``')}\``;
/** A SQL literal; a list as comma-separated literals (for `IN (...)`). */
export const literal = (v: unknown): string => (Array.isArray(v) ? v.map(sqlLiteral).join(', ') : sqlLiteral(v));
const fromOf = (use: UserTestUse) => (use.args.where !== undefined ? `(SELECT * FROM ${use.relation} WHERE ${String(use.args.where)})` : use.relation);

export async function loadUserGenericTests(projectDir: string, env: Parameters<typeof compileTemplate>[0], diagnostics: Diagnostic[]): Promise<Map<string, UserGenericTest>> {
  const dir = path.join(projectDir, 'tests', 'generic');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => /\.(sql|ts|mts)$/.test(f) && !f.endsWith('.d.ts')).sort();
  } catch {
    return new Map();
  }
  const out = new Map<string, UserGenericTest>();
  for (const name of names) {
    const file = `tests/generic/${name}`;
    const text = withoutBom(await readFile(path.join(dir, name), 'utf8'));
    const report = (code: string, message: string, pos: { line: number; column: number }, hint: string) => diagnostics.push({ code, severity: 'error', message, file, ...pos, frame: codeFrame(text, pos.line, pos.column), hint });
    const test = name.endsWith('.sql') ? sqlTest(file, text, env, report, diagnostics) : await tsTest(path.join(dir, name), file, report);
    if (!test) continue;
    if ((GENERIC_TESTS as readonly string[]).includes(test.name) || out.has(test.name)) {
      report('ETL425', `Generic test '${test.name}' is defined twice${out.has(test.name) ? ` (also in ${out.get(test.name)!.file})` : ' (it is a built-in test)'}`, { line: 1, column: 1 }, 'Give the test a name of its own.');
      continue;
    }
    out.set(test.name, test);
  }
  return out;
}

type Report = (code: string, message: string, pos: { line: number; column: number }, hint: string) => void;

/** `{{!-- args: { name: type[?] } --}}` at the top of a SQL test. */
function declaredArgs(text: string, report: Report): Map<string, ArgSpec> | undefined {
  const block = /^\s*\{\{!--([\s\S]*?)--\}\}/.exec(text);
  const args = new Map<string, ArgSpec>();
  if (!block) return args;
  let data: unknown;
  try {
    data = YAML.parse(block[1]!);
  } catch (err) {
    report('ETL424', `The arguments block does not parse: ${(err as Error).message.split('\n')[0]}`, { line: 1, column: 1 }, 'Declare arguments as YAML: {{!-- args: { min: number, values: list? } --}}');
    return undefined;
  }
  const declared = data && typeof data === 'object' ? (data as Record<string, unknown>).args : undefined;
  for (const [key, value] of Object.entries(declared && typeof declared === 'object' ? declared : {})) {
    const m = typeof value === 'string' ? /^\s*(\w+)\s*(\?)?\s*$/.exec(value) : null;
    if (!m || !ARG_KINDS.includes(m[1] as ArgKind)) {
      const at = text.indexOf(key);
      const line = text.slice(0, at).split('\n').length;
      report('ETL424', `Argument '${key}' has type '${String(value)}'`, { line, column: at - text.lastIndexOf('\n', at - 1) }, `Argument types: ${ARG_KINDS.join(', ')}; add ? for an optional one (number?).`);
      return undefined;
    }
    args.set(key, { kind: m[1] as ArgKind, optional: m[2] === '?' });
  }
  return args;
}

function sqlTest(file: string, text: string, env: Parameters<typeof compileTemplate>[0], report: Report, diagnostics: Diagnostic[]): UserGenericTest | undefined {
  const args = declaredArgs(text, report);
  if (!args) return undefined;
  let template: CompiledTemplate;
  try {
    template = compileTemplate(env, text);
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err;
    diagnostics.push(templateSyntaxDiagnostic(err, file, text));
    return undefined;
  }
  return {
    name: path.posix.basename(file, '.sql'),
    file,
    args,
    render(use, scope) {
      const values = Object.fromEntries([...args].filter(([k]) => use.args[k] !== undefined).map(([k, spec]) => [k, spec.kind === 'column' ? quote(String(use.args[k])) : literal(use.args[k])]));
      const context = { model: fromOf(use), column: use.column === undefined ? undefined : quote(use.column), column_name: use.column, args: values };
      try {
        const state = newRenderState('', scope, false);
        const out = template.render(context, { state });
        const problem = state.problems[0];
        return problem ? { ok: false, message: `${problem.message} (line ${problem.line})` } : { ok: true, sql: out.text.trim().replace(/;$/, '') };
      } catch (err) {
        if (err instanceof TemplateRenderError) return { ok: false, message: err.message };
        throw err;
      }
    },
  };
}

async function tsTest(abs: string, file: string, report: Report): Promise<UserGenericTest | undefined> {
  let mod: Record<string, unknown>;
  try {
    mod = await importProjectModule(abs);
  } catch (err) {
    report('ETL424', `Cannot load test definition: ${(err as Error).message.split('\n')[0]}`, positionFromStack(err, abs), 'Fix the TypeScript error; `npx tsc --noEmit` shows type errors with positions.');
    return undefined;
  }
  const def = Object.values(mod).find((v): v is DefinedTest => typeof v === 'object' && v !== null && TEST_BRAND in v);
  if (!def) {
    report('ETL424', `${file} exports no test declared with defineTest()`, { line: 1, column: 1 }, 'Export the definition: `export default defineTest({ args: {...}, sql: ({ model, column, args }) => ... })`.');
    return undefined;
  }
  const args = new Map(Object.entries(def.args ?? {}).map(([k, b]) => [k, b.spec] as const));
  return {
    name: def.name ?? path.basename(abs, path.extname(abs)),
    file,
    args,
    render(use) {
      try {
        const sql = def.sql({ model: fromOf(use), column: use.column === undefined ? undefined : quote(use.column), columnName: use.column, args: use.args as never, literal, quote });
        return typeof sql === 'string' && sql.trim() ? { ok: true, sql: sql.trim().replace(/;$/, '') } : { ok: false, message: 'sql() returned no SQL' };
      } catch (err) {
        return { ok: false, message: `sql() threw: ${(err as Error).message}` };
      }
    },
  };
}

/**
 * The SQL of one use of a user-defined test, like genericTestSql's; argument problems are reported
 * through `report` (at the use) and give undefined.
 */
export function userTestSql(test: UserGenericTest, use: UserTestUse & { modelColumns: string[] }, scope: RenderScope, report: (p: ArgProblem) => void): TestSql | undefined {
  const problems = userTestArgProblems(test.name, test.args, use.args, use.modelColumns);
  problems.forEach(report);
  if (problems.length) return undefined;
  const rendered = test.render(use, scope);
  if (!rendered.ok) return { ok: false, message: `Test '${test.name}' (${test.file}) did not render: ${rendered.message}`, hint: `Fix ${test.file}.` };
  return { ok: true, sql: rendered.sql, extraDeps: [] };
}
