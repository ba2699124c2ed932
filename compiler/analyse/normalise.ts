/**
 * Rewrites the Spark SQL forms the parser (Databricks dialect) does not read into forms it does,
 * keeping a map from every position of the rewritten text back to the user's text, so problems are
 * reported where the user wrote them:
 *
 * - backslash escapes in strings (`'it\'s'`): `\'` becomes `''`;
 * - adjacent string literals (`'a' 'b'`, one literal in Spark) become one literal;
 * - `a div b` (integral division) parses as `%`; the analyser is told which `%` were `div`;
 * - `VALUES 1, 2, 3` (one column rows) becomes `VALUES (1), (2), (3)`;
 * - `CROSS JOIN t ON cond` (Spark treats it as an inner join) becomes `INNER JOIN`;
 * - `t.*` as a function argument (`STRUCT(t.*)`) becomes `t.__etl_star`, expanded by the analyser.
 */
import { lex, significant, stringBody, type Token } from './spark-lexer.js';

export const STAR_MARKER = '__etl_star';

export interface Position {
  line: number;
  column: number;
}

export interface NormalisedSql {
  text: string;
  /** A position in `text` back to the user's SQL. */
  toOriginal(pos: Position): Position;
  /** Positions (in `text`) of the first token of each right operand of a `div`. */
  divOperands: Set<string>;
}

export const posKey = (p: Position) => `${p.line}:${p.column}`;

const VALUE_END = new Set(['word', 'string', 'quoted']);
/** Words after which a `VALUES` row list ends (clauses, joins, set operations, aliases). */
const CLAUSE = /^(as|where|group|order|limit|union|except|intersect|minus|join|on|left|right|inner|full|cross|natural|window|having|qualify|lateral|sort|cluster|distribute|using|anti|semi|pivot|unpivot)$/i;
/** Words that may follow a value inside an expression (so do not end a VALUES row). */
const OPERATOR_WORD = /^(and|or|not|is|in|like|ilike|rlike|regexp|between|div|null|escape)$/i;

/** Whether a token can end an operand, so a `div` after it is the operator (not a name). */
const endsOperand = (t: Token) => t.text === ')' || t.kind === 'string' || t.kind === 'quoted' || (t.kind === 'word' && !OPERATOR_WORD.test(t.text) && !CLAUSE.test(t.text) && !/^(select|by|when|then|else|case|distinct|all)$/i.test(t.text));

class Builder {
  text = '';
  origin: number[] = [];
  add(text: string, origin: number | number[]): void {
    for (let k = 0; k < text.length; k++) this.origin.push(typeof origin === 'number' ? origin + k : (origin[k] ?? origin[origin.length - 1]!));
    this.text += text;
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function toOffset(starts: number[], p: Position): number {
  return (starts[p.line - 1] ?? 0) + p.column - 1;
}

function toPosition(starts: number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** A string token's body with `\'` (or `\"`) as the doubled quote the parser reads, and its origins. */
function unescape(t: Token): { body: string; origin: number[] } {
  const raw = stringBody(t);
  let body = '';
  const origin: number[] = [];
  for (let k = 0; k < raw.length; k++) {
    if (raw[k] === '\\' && k + 1 < raw.length) {
      const next = raw[k + 1]!;
      body += next === t.quote ? next + next : raw[k]! + next;
      origin.push(t.start + 1 + k, t.start + 2 + k);
      k++;
    } else {
      body += raw[k];
      origin.push(t.start + 1 + k);
    }
  }
  return { body, origin };
}

/** A string body written for quote `from` rewritten for quote `to` (`'a' "b"` is one literal too). */
function requote(part: { body: string; origin: number[] }, from: string, to: string): { body: string; origin: number[] } {
  if (from === to) return part;
  let body = '';
  const origin: number[] = [];
  for (let k = 0; k < part.body.length; k++) {
    const c = part.body[k]!;
    if (c === from && part.body[k + 1] === from) {
      body += c;
      origin.push(part.origin[k]!);
      k++;
    } else {
      body += c === to ? c + c : c;
      origin.push(part.origin[k]!, ...(c === to ? [part.origin[k]!] : []));
    }
  }
  return { body, origin };
}

export function normaliseSql(sql: string): NormalisedSql {
  const tokens = lex(sql);
  const sig = tokens.filter(significant);
  const out = new Builder();
  const divAfter = new Set<number>();
  /** Token index (into sig) → text inserted before / after it (VALUES rows). */
  const before = new Map<number, string>();
  const after = new Map<number, string>();
  markValuesRows(sig, before, after);
  const replaced = new Map<Token, string>();
  const callParens: boolean[] = [];
  for (let s = 0; s < sig.length; s++) {
    const t = sig[s]!;
    const prev = sig[s - 1];
    const lower = t.text.toLowerCase();
    if (t.kind === 'punct' && t.text === '(') callParens.push(prev?.kind === 'word' && !CLAUSE.test(prev.text) && !OPERATOR_WORD.test(prev.text) && !/^(values|in|exists|from|select)$/i.test(prev.text));
    else if (t.kind === 'punct' && t.text === ')') callParens.pop();
    if (t.kind === 'word' && lower === 'cross' && sig[s + 1]?.text.toLowerCase() === 'join') replaced.set(t, 'INNER');
    if (t.kind === 'word' && lower === 'div' && prev && endsOperand(prev)) {
      replaced.set(t, '%');
      let k = s + 1;
      while (sig[k]?.text === '(') k++;
      if (sig[k]) divAfter.add(sig[k]!.start);
    }
    if (t.text === '*' && prev?.text === '.' && callParens[callParens.length - 1] && sig[s - 2] && VALUE_END.has(sig[s - 2]!.kind)) replaced.set(t, STAR_MARKER);
  }
  const sigIndex = new Map(sig.map((t, s) => [t, s]));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const s = sigIndex.get(t);
    if (s !== undefined && before.has(s)) out.add(before.get(s)!, t.start);
    if (t.kind === 'string') {
      // Adjacent literals (only whitespace or comments between) are one literal in Spark.
      const parts = [unescape(t)];
      let j = i + 1;
      let last = i;
      while (j < tokens.length && (tokens[j]!.kind === 'ws' || tokens[j]!.kind === 'comment' || tokens[j]!.kind === 'string')) {
        if (tokens[j]!.kind === 'string') {
          parts.push(requote(unescape(tokens[j]!), tokens[j]!.quote!, t.quote!));
          last = j;
        }
        j++;
      }
      out.add(t.quote!, t.start);
      for (const p of parts) out.add(p.body, p.origin);
      out.add(t.quote!, tokens[last]!.end - 1);
      const ls = sigIndex.get(tokens[last]!);
      if (ls !== undefined && after.has(ls)) out.add(after.get(ls)!, tokens[last]!.end - 1);
      i = last;
      continue;
    }
    out.add(replaced.get(t) ?? t.text, t.start);
    if (s !== undefined && after.has(s)) out.add(after.get(s)!, t.end - 1);
  }
  const origStarts = lineStarts(sql);
  const outStarts = lineStarts(out.text);
  const divOperands = new Set<string>();
  for (let k = 0; k < out.origin.length; k++) if (divAfter.has(out.origin[k]!) && (k === 0 || out.origin[k - 1] !== out.origin[k])) divOperands.add(posKey(toPosition(outStarts, k)));
  return {
    text: out.text,
    divOperands,
    toOriginal(pos) {
      const offset = toOffset(outStarts, pos);
      const origin = offset >= out.origin.length ? sql.length + (offset - out.origin.length) : out.origin[offset]!;
      return toPosition(origStarts, origin);
    },
  };
}

/** `VALUES 1, 2, 3`: each top-level item of a VALUES list not already in parentheses gets them. */
function markValuesRows(sig: Token[], before: Map<number, string>, after: Map<number, string>): void {
  for (let s = 0; s < sig.length; s++) {
    if (sig[s]!.kind !== 'word' || sig[s]!.text.toLowerCase() !== 'values') continue;
    let k = s + 1;
    let depth = 0;
    let itemStart = k;
    let wrap = sig[k]?.text !== '(';
    const close = (end: number) => {
      if (wrap && end >= itemStart) {
        before.set(itemStart, `(${before.get(itemStart) ?? ''}`);
        after.set(end, `${after.get(end) ?? ''})`);
      }
    };
    for (; k < sig.length; k++) {
      const t = sig[k]!;
      if (t.text === '(') depth++;
      else if (t.text === ')') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && t.text === ',') {
        close(k - 1);
        itemStart = k + 1;
        wrap = sig[k + 1]?.text !== '(';
      } else if (depth === 0 && (t.text === ';' || (t.kind === 'word' && (CLAUSE.test(t.text) || (k > itemStart && VALUE_END.has(sig[k - 1]!.kind) && !OPERATOR_WORD.test(t.text) && !OPERATOR_WORD.test(sig[k - 1]!.text)))))) break;
    }
    close(k - 1);
    s = k - 1;
  }
}
