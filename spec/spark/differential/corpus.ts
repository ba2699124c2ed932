/**
 * The differential type corpus: queries read from spec/spark/fixtures/type-corpus/corpus/*.sql, each
 * written as a model of a copy of the fixture project and compiled the way users' projects are.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileProject } from '../../../compiler/index.js';
import type { Manifest } from '../../../compiler/manifest/types.js';

export const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'type-corpus');

export interface CorpusQuery {
  /** `<file>_<nnn>`: the model's name. */
  id: string;
  file: string;
  line: number;
  /** The model's text: Spark SQL with `{{source "ty" "<table>"}}`. */
  template: string;
}

export interface OutputColumn {
  name: string;
  type: string;
  nullable: boolean;
}

export interface CompiledQuery {
  query: CorpusQuery;
  /** The SQL Spark runs: the template with each source replaced by its bronze relation. */
  sql: string;
  /** Absent when the compiler rejected the model; `errors` then says why. */
  columns?: OutputColumn[];
  errors: string[];
}

/** Queries end with `;` at the end of a line; comment lines before a query belong to it. */
export function loadCorpus(dir = join(FIXTURE, 'corpus')): CorpusQuery[] {
  const out: CorpusQuery[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    const group = name.replace(/\.sql$/, '');
    const lines = readFileSync(join(dir, name), 'utf8').split('\n');
    let pending: string[] = [];
    let start = 0;
    lines.forEach((text, i) => {
      if (/^\s*(--.*)?$/.test(text) && pending.length === 0) return;
      if (pending.length === 0) start = i + 1;
      pending.push(text);
      if (/;\s*$/.test(text)) {
        const n = String(out.filter((q) => q.file === name).length + 1).padStart(3, '0');
        out.push({ id: `${group}_${n}`, file: name, line: start, template: pending.join('\n').replace(/;\s*$/, '') });
        pending = [];
      }
    });
    if (pending.length) throw new Error(`${name}:${start}: query without a closing ';'`);
  }
  return out;
}

/** Copies the fixture to `workDir`, writes one model per query and compiles the project once. */
export async function compileCorpus(queries: CorpusQuery[], workDir: string): Promise<{ manifest: Manifest; compiled: CompiledQuery[] }> {
  rmSync(workDir, { recursive: true, force: true });
  cpSync(FIXTURE, workDir, { recursive: true, filter: (src) => !src.includes(`${FIXTURE}/corpus`) });
  const modelsDir = join(workDir, 'models', 'silver');
  mkdirSync(modelsDir, { recursive: true });
  for (const q of queries) writeFileSync(join(modelsDir, `${q.id}.sql`), `${q.template}\n`);
  const result = await compileProject({ projectDir: workDir, cache: false });
  const { manifest } = result;
  const relation = (table: string) => {
    const source = manifest.sources[`source.ty.${table}`];
    if (!source) throw new Error(`the corpus reads source ty.${table}, which the fixture does not declare`);
    return source.bronze.relation;
  };
  const compiled = queries.map((query): CompiledQuery => {
    const sql = query.template.replace(/\{\{\s*source\s+"ty"\s+"(\w+)"\s*\}\}/g, (_m, table: string) => relation(table));
    const errors = result.diagnostics
      .filter((d) => d.severity === 'error' && d.file === `models/silver/${query.id}.sql`)
      .map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`);
    const model = manifest.models[`model.${query.id}`];
    if (!model || errors.length > 0) return { query, sql, errors: errors.length ? errors : ['no model in the manifest'] };
    if (model.compiledSql.trim() !== sql.trim()) throw new Error(`${query.id}: the compiled SQL differs from the corpus text with sources replaced:\n${model.compiledSql}`);
    return { query, sql, errors, columns: model.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })) };
  });
  return { manifest, compiled };
}

/** Each source of the manifest as the table Spark creates: declared, bronze metadata and partition columns. */
export function sourceTables(manifest: Manifest): Array<{ relation: string; columns: OutputColumn[] }> {
  return Object.values(manifest.sources).map((s) => ({
    relation: s.bronze.relation,
    columns: [
      ...s.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
      ...s.bronze.metadataColumns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
      ...s.bronze.partitionBy.map((p) => ({ name: p, type: 'date', nullable: false })),
    ],
  }));
}
