/** The Spark-dialect SQL parser (datafusion-sqlparser-rs via WASM), with positioned errors. */
import { leftmostSpan } from './ast.js';
import { normaliseSql, posKey, type NormalisedSql } from './normalise.js';
import { initWasmParser, ParserCrash, wasmParse } from './wasm-parser.js';

export function initParser(): Promise<void> {
  return initWasmParser();
}

/** `internal`: the parser itself failed (see wasm-parser.ts), not the user's SQL. */
export type ParseResult = { ok: true; statements: unknown[] } | { ok: false; message: string; line: number; column: number; internal?: true };

/** Parses with the Databricks dialect, the closest to Spark SQL (QUALIFY, EXCEPT, LATERAL VIEW, lambdas). */
export function parseSpark(sql: string): ParseResult {
  try {
    return { ok: true, statements: wasmParse('databricks', sql) };
  } catch (err) {
    if (err instanceof ParserCrash) return { ok: false, message: err.message, line: 1, column: 1, internal: true };
    const text = typeof err === 'string' ? err : typeof (err as { message?: unknown })?.message === 'string' ? (err as Error).message : String(err);
    const raw = text.replace(/^sql parser error:\s*/i, '');
    const m = /at Line: (\d+), Column: (\d+)/.exec(raw);
    return {
      ok: false,
      message: raw.replace(/\s*at Line: \d+, Column: \d+/, ''),
      line: m ? Number(m[1]) : 1,
      column: m ? Number(m[2]) : 1,
    };
  }
}

export type QueryParse =
  | { ok: true; statements: unknown[]; toOriginal: NormalisedSql['toOriginal'] }
  | { ok: false; message: string; line: number; column: number; internal?: true };

/**
 * Parses Spark SQL as the user wrote it: the Spark forms the parser does not read are rewritten
 * first (normalise.ts) and positions are mapped back, both of parse errors and (through
 * `toOriginal`) of the AST's spans. `a div b` comes back as a BinaryOp `MyIntegerDivide`.
 */
export function parseSparkQuery(sql: string): QueryParse {
  const normalised = normaliseSql(sql);
  const parsed = parseSpark(normalised.text);
  if (!parsed.ok) return { ...parsed, ...normalised.toOriginal(parsed) };
  if (normalised.divOperands.size) markDivisions(parsed.statements, normalised.divOperands);
  return { ok: true, statements: parsed.statements, toOriginal: normalised.toOriginal };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function markDivisions(node: any, operands: Set<string>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) markDivisions(x, operands);
    return;
  }
  const op = node.BinaryOp;
  if (op && op.op === 'Modulo') {
    const at = leftmostSpan(op.right);
    if (at && operands.has(posKey(at))) op.op = 'MyIntegerDivide';
  }
  for (const v of Object.values(node)) markDivisions(v, operands);
}
