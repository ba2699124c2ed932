/**
 * The WASM instances of the SQL parser (datafusion-sqlparser-rs, from @guanmingchiu/sqlparser-ts).
 * A trap inside WASM (a stack overflow on a very long chain of operators, say) leaves an instance
 * unusable: every later parse would fail. So a trapped instance is replaced, synchronously, by a
 * spare one and the caller is told the parse failed inside the parser, not in the user's SQL.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface Glue {
  initSync(options: { module: WebAssembly.Module }): unknown;
  parse_sql(dialect: string, sql: string): unknown;
}

/** Thrown when the parser itself failed (a WASM trap): a bug or limit of the tool, not a syntax error. */
export class ParserCrash extends Error {}

const SPARES = 3;
const wasmDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@guanmingchiu/sqlparser-ts')), '../wasm');
let compiled: WebAssembly.Module | undefined;
let current: Glue | undefined;
const spares: Glue[] = [];
let loads = 0;
let ready: Promise<void> | undefined;
let refilling: Promise<void> | undefined;

/** A fresh copy of the bindings module: its WASM instance is its own. */
async function loadGlue(): Promise<Glue> {
  const url = pathToFileURL(path.join(wasmDir, 'sqlparser_rs_wasm.js'));
  url.search = `instance=${++loads}`;
  return (await import(url.href)) as Glue;
}

function refill(): Promise<void> {
  refilling ??= (async () => {
    while (spares.length < SPARES) spares.push(await loadGlue());
  })().finally(() => {
    refilling = undefined;
  });
  return refilling;
}

export function initWasmParser(): Promise<void> {
  ready ??= (async () => {
    compiled = await WebAssembly.compile(await readFile(path.join(wasmDir, 'sqlparser_rs_wasm_bg.wasm')));
    const glue = await loadGlue();
    glue.initSync({ module: compiled });
    current = glue;
    await refill();
  })();
  return ready;
}

/** Parses; a syntax error is thrown as the parser reports it, a WASM trap as ParserCrash. */
export function wasmParse(dialect: string, sql: string): unknown[] {
  if (!current || !compiled) throw new ParserCrash('the SQL parser is not initialised (initParser was not awaited)');
  try {
    return current.parse_sql(dialect, sql) as unknown[];
  } catch (err) {
    if (!(err instanceof WebAssembly.RuntimeError)) throw err;
    const next = spares.shift();
    if (next) next.initSync({ module: compiled });
    current = next;
    void refill().catch(() => undefined);
    throw new ParserCrash(`the SQL parser failed (${err.message})${next ? '' : '; no spare parser was ready'}`);
  }
}
