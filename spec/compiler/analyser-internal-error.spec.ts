/**
 * An internal error while analysing one model (here the SQL parser's WASM overflowing its stack on
 * a very long chain of operators) is that model's located ETL199, and every other model is still
 * analysed: the parser instance is replaced, so the models parsed after it are not affected.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileResult } from '../../compiler/index.js';
import { compileFixture, plain } from './helpers.js';

let r: CompileResult;
beforeAll(async () => {
  r = await compileFixture('analyser-internal-error');
});

describe('internal errors are located and contained', () => {
  it('ETL199 at the model, saying it is a bug in the tool, with a hint to report it', () => {
    expect(plain(r.diagnostics).map(({ message, hint, ...d }) => ({ ...d, message: message.replace(/: the SQL parser failed .*/, '') , hint }))).toEqual([
      {
        code: 'ETL199',
        severity: 'error',
        file: 'models/silver/long_chain.sql',
        line: 1,
        column: 1,
        message: 'Internal error while analysing this model (a bug in lakehouse-etl, not in the model)',
        hint: "Please report it with this model's SQL; the other models were analysed as usual.",
      },
    ]);
  });

  it('the other models, before and after it, are analysed', () => {
    const columns = (name: string) => r.manifest.models[`model.${name}`]?.columns.map((c) => `${c.name} ${c.type}`);
    expect(columns('first_model')).toEqual(['order_id string', 'customer_id string']);
    expect(columns('after_model')).toEqual(['order_id string']);
    expect(columns('long_chain')).toBeUndefined();
  });
});
