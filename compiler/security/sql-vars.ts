/**
 * How a var becomes SQL. A var is a value, so it renders as a literal through the dialect's one
 * string-literal function: strings quoted and escaped, numbers and booleans as literals, lists as
 * comma-separated literals (as `quote_list`), null as NULL. Inside a quoted string of the template
 * (`'{{var "d"}}'`, `'%{{var "p"}}%'`) it renders escaped without quotes of its own; inside backticks,
 * with backticks doubled. Only a var declared `{ value, raw: true }` renders verbatim, and even then
 * never with a statement separator or a comment.
 */
import { stringLiteral } from '../emit/spark-dialect.js';
import { isRawVar } from '../config/vars.js';

/** Where the var is written: in SQL, inside a '...' or "..." string, or inside `...` backticks. */
export type VarSite = 'sql' | 'string' | 'identifier';

export type VarRendering = { text: string } | { problem: string; hint: string };

const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint';

/** One value as a SQL literal, or why it cannot be one. */
export function sqlLiteral(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return stringLiteral(value);
  return undefined;
}

/**
 * The body of a string literal, escaped for either quote, without quotes of its own. Quotes are
 * written \u0027 / \u0022, as stringLiteral writes them: Spark and the analyser's parser agree.
 */
const stringBody = (s: string) => s.replace(/\\/g, '\\\\').replace(/'/g, '\\u0027').replace(/"/g, '\\u0022');

export function renderVar(name: string, value: unknown, site: VarSite): VarRendering {
  if (isRawVar(value)) {
    const text = String(value.value);
    if (/;|--|\/\*|\*\/|[\r\n]/.test(text)) {
      return { problem: `Raw var '${name}' holds ${JSON.stringify(text)}: a raw var cannot contain ;, a comment or a line break`, hint: 'A raw var is one piece of SQL (a column, an expression); fix the value in project.yaml or --vars.' };
    }
    return { text };
  }
  if (site === 'string' && scalar(value)) return { text: stringBody(String(value)) };
  if (site === 'identifier' && scalar(value)) return { text: String(value).replace(/`/g, '``') };
  if (Array.isArray(value)) {
    const items = value.map(sqlLiteral);
    if (site === 'sql' && items.every((i): i is string => i !== undefined)) return { text: items.join(', ') };
  } else if (site === 'sql') {
    const literal = sqlLiteral(value);
    if (literal !== undefined) return { text: literal };
  }
  return {
    problem: `Var '${name}' (${Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : String(value)}) cannot be written ${site === 'sql' ? 'into SQL as a literal' : `inside a quoted ${site}`}`,
    hint: 'Write {{var "name"}} outside quotes for a string, number, boolean or list of them; pass other values to a helper, e.g. {{quote_list (var "name")}}.',
  };
}

/**
 * Where a `{{...}}` starting at `offset` of `source` sits: inside a '...' or "..." string, inside
 * backticks, or in SQL. Mustaches and `--` comments are skipped; `\'` and `''` escapes are handled.
 */
export function siteAt(source: string, offset: number): VarSite {
  let quote: string | undefined;
  for (let i = 0; i < offset && i < source.length; i++) {
    const ch = source[i]!;
    if (source.startsWith('{{', i)) {
      const end = source.indexOf('}}', i + 2);
      if (end < 0 || end >= offset) break;
      i = end + 1;
    } else if (quote) {
      if (ch === '\\' && quote !== '`') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '-' && source[i + 1] === '-') {
      const eol = source.indexOf('\n', i);
      if (eol < 0 || eol >= offset) break;
      i = eol;
    }
  }
  return quote === undefined ? 'sql' : quote === '`' ? 'identifier' : 'string';
}
