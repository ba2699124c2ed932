/** The Spark-dialect SQL parser (datafusion-sqlparser-rs via WASM), with positioned errors. */
import { init, parse } from '@guanmingchiu/sqlparser-ts';

let ready: Promise<void> | undefined;
export function initParser(): Promise<void> {
  ready ??= init();
  return ready;
}

export type ParseResult = { ok: true; statements: unknown[] } | { ok: false; message: string; line: number; column: number };

/** Parses with the Databricks dialect, the closest to Spark SQL (QUALIFY, EXCEPT, LATERAL VIEW, lambdas). */
export function parseSpark(sql: string): ParseResult {
  try {
    return { ok: true, statements: parse(sql, 'databricks') as unknown[] };
  } catch (err) {
    const raw = (err as Error).message.replace(/^sql parser error:\s*/i, '');
    const m = /at Line: (\d+), Column: (\d+)/.exec(raw);
    return {
      ok: false,
      message: raw.replace(/\s*at Line: \d+, Column: \d+/, ''),
      line: m ? Number(m[1]) : 1,
      column: m ? Number(m[2]) : 1,
    };
  }
}
