/**
 * Issue 10, locations and output: each broken fixture project is compiled through compileProject
 * and its diagnostics asserted by code, file, line and column; frames printed for huge lines and
 * binary bytes stay short and printable.
 */
import { describe, expect, it } from 'vitest';
import { compileProject, formatDiagnostic, type Diagnostic } from '../../compiler/index.js';
import { fixture } from './helpers.js';

const compile = (name: string) => compileProject({ projectDir: fixture(name), cache: false });
const where = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.severity} ${d.file}:${d.line}:${d.column}`).sort();

describe('frames (compiler/diagnostics/frame.ts)', () => {
  it('a 100 KB line is cut around the column, the caret under the right character', async () => {
    const r = await compile('located-frame');
    const wide = r.diagnostics.find((d) => d.file === 'models/silver/wide.sql')!;
    expect(`${wide.code} ${wide.line}:${wide.column}`).toBe('ETL161 1:108008');
    const frame = wide.frame!;
    expect(frame.length).toBeLessThan(400);
    const [line, caret] = frame.split('\n');
    expect(line).toMatch(/^> 1 \| …amount AS c\d{5}, .*, amout AS bad$/);
    // The caret sits under the 'a' of 'amout'.
    expect(line![caret!.indexOf('^')]).toBe('a');
    expect(line!.slice(caret!.indexOf('^'), caret!.indexOf('^') + 5)).toBe('amout');
    expect(formatDiagnostic(wide).length).toBeLessThan(700);
  });

  it('binary bytes are escaped in the frame and the message, the caret still under its character', async () => {
    const r = await compile('located-frame');
    const bin = r.diagnostics.find((d) => d.file === 'models/silver/binary.sql')!;
    expect(`${bin.code} ${bin.line}:${bin.column}`).toBe('ETL164 2:33');
    const printed = formatDiagnostic(bin);
    // eslint-disable-next-line no-control-regex
    expect(printed).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(bin.frame).toContain('> 2 | FROM {{source "shop" "orders"}} \\x00\\x01\\x02\\ufffd\\ufffd\\x1b[31m garbage');
    const [, line, caret] = bin.frame!.split('\n');
    // Column 33 is the NUL byte: the caret is under its escape.
    expect(line!.slice(caret!.indexOf('^'), caret!.indexOf('^') + 4)).toBe('\\x00');
  });
});

describe('silently ignored input', () => {
  it('a UTF-8 byte-order mark is stripped from models, sidecars and project.yaml; columns stay right', async () => {
    const r = await compile('located-bom');
    // stg_orders.sql (valid SQL after a BOM) and its sidecar compile clean; bom_bad.sql's mistake is at its own column.
    expect(where(r.diagnostics)).toEqual(['ETL161 error models/silver/bom_bad.sql:1:18']);
    expect(r.manifest.models['model.stg_orders']?.columns.map((c) => c.name)).toEqual(['order_id', 'customer_id', 'amount']);
    expect(Object.keys(r.manifest.tests)).toContain('test.stg_orders.not_null.order_id');
  });

  it('ETL123 a models/ file with an unknown extension is a warning naming the file and the supported extensions', async () => {
    const r = await compile('located-extension');
    expect(r.ok).toBe(true);
    expect(where(r.diagnostics)).toEqual(['ETL123 warning models/silver/helpers.py:1:1', 'ETL123 warning models/silver/orders_rollup.sqlx:1:1']);
    const sqlx = r.diagnostics.find((d) => d.file?.endsWith('.sqlx'))!;
    expect(sqlx.message).toBe("models/silver/orders_rollup.sqlx is ignored: '.sqlx' is not a model file extension");
    expect(sqlx.hint).toContain('rename the file to orders_rollup.sql');
    expect(sqlx.hint).toContain('.sql');
    expect(sqlx.hint).toContain('.ts');
  });
});

describe('project.yaml locations', () => {
  it('ETL101 an unclosed quote is reported at its opening quote, not past the end of the file', async () => {
    const r = await compile('located-yaml-quote');
    expect(where(r.diagnostics)).toEqual(['ETL101 error project.yaml:8:13']);
    expect(r.diagnostics[0]!.message).toBe("YAML syntax error: Missing closing 'quote");
    expect(r.diagnostics[0]!.frame).toContain(">  8 |   min_date: '2020-01-01\n     |             ^");
  });

  it('ETL103 an unknown default_target is located at its value, with a did-you-mean', async () => {
    const r = await compile('located-default-target');
    expect(where(r.diagnostics)).toEqual(['ETL103 error project.yaml:8:17']);
    expect(r.diagnostics[0]!.hint).toBe("Did you mean 'local'? Targets in project.yaml: local.");
  });

  it('ETL103 an unknown --target has no position in the file', async () => {
    const r = await compileProject({ projectDir: fixture('located-extension'), cache: false, target: 'prod' });
    expect(r.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}`)).toEqual(['ETL103 project.yaml:undefined']);
    expect(r.diagnostics[0]!.message).toBe("Unknown target 'prod' (--target)");
  });
});

describe('source declaration locations', () => {
  it('ETL112 an unknown system is located at its value even when names are computed and a doc comment opens the file', async () => {
    const r = await compile('located-source-system');
    expect(where(r.diagnostics)).toEqual(['ETL112 error sources/systems.ts:19:11']);
    expect(r.diagnostics[0]!.frame).toContain("> 19 |   system: 'salesforse',");
  });
});
