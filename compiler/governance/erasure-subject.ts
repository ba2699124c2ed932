/**
 * The subject of an erasure request (`--subject customer_id=C123`): parsed and checked against the
 * subject keys the project's sources declare (`.subject('customer')` on a column). Mistakes are
 * diagnostics (ETL330-ETL333) pointing at the declarations, with a hint; never a stack trace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { didYouMean } from '../config/suggest.js';
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import type { Manifest } from '../manifest/types.js';

export const SubjectSchema = z.object({ key: z.string().min(1), value: z.string().min(1) }).strict();
export type Subject = z.infer<typeof SubjectSchema>;

/** A declared subject key column: the source, its column, the subject kind and key name. */
export interface SubjectKeyColumn {
  source: string;
  column: string;
  kind: string;
  key: string;
}

export class ErasureRequestError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'ErasureRequestError';
  }
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `KEY=VALUE`: the key a declared subject key's name, the value anything non-empty (kept verbatim). */
export function parseSubject(raw: string): Subject {
  const at = raw.indexOf('=');
  const key = at < 0 ? raw.trim() : raw.slice(0, at).trim();
  const value = at < 0 ? '' : raw.slice(at + 1);
  if (at < 0 || !KEY.test(key)) {
    throw new ErasureRequestError({ code: 'ETL330', severity: 'error', message: `--subject must be KEY=VALUE, got '${raw.includes('=') ? `${key}=…` : raw}'`, hint: 'e.g. --subject customer_id=C123: KEY is a subject key declared on a source column with .subject(...), VALUE the subject\'s value.' });
  }
  if (value.trim() === '') {
    throw new ErasureRequestError({ code: 'ETL333', severity: 'error', message: `--subject ${key}= has an empty value`, hint: `give the subject's value: --subject ${key}=VALUE.` });
  }
  return { key, value };
}

/** Every subject key the project's sources declare. */
export function subjectKeys(manifest: Manifest): SubjectKeyColumn[] {
  return Object.values(manifest.sources).flatMap((s) =>
    s.columns.flatMap((c) => (c.subject ? [{ source: s.id, column: c.name, kind: c.subject.kind, key: c.subject.key }] : [])),
  );
}

/** The declared key columns `subject.key` names, or ETL331/ETL332 with where keys are declared. */
export function keyColumnsOf(manifest: Manifest, subject: Subject, projectDir: string): SubjectKeyColumn[] {
  const all = subjectKeys(manifest);
  const matching = all.filter((k) => k.key === subject.key);
  if (matching.length) return matching;
  if (!all.length) {
    throw new ErasureRequestError({ code: 'ETL332', severity: 'error', message: 'No source column is declared a subject key, so no erasure can be derived', hint: "declare the subject's key columns in sources/*.ts, e.g. customer_id: t.string().pii().subject('customer')." });
  }
  const keys = [...new Set(all.map((k) => k.key))].sort();
  const related = all.flatMap((k) => {
    const pos = declarationOf(manifest, k, projectDir);
    return pos ? [{ ...pos, message: `subject key '${k.key}' (${k.kind}) on ${k.source.replace(/^source\./, '')}.${k.column}` }] : [];
  });
  throw new ErasureRequestError({
    code: 'ETL331',
    severity: 'error',
    message: `Unknown subject key '${subject.key}'`,
    hint: [didYouMean(subject.key, keys), `Declared subject keys: ${keys.join(', ')}.`].filter(Boolean).join(' '),
    ...(related.length ? { related } : {}),
  });
}

/** Where a subject key column is declared: the `.subject(` call on the column's line in its source file. */
function declarationOf(manifest: Manifest, k: SubjectKeyColumn, projectDir: string): SourcePosition | undefined {
  const file = manifest.sources[k.source]?.file;
  if (!file || !existsSync(join(projectDir, file))) return undefined;
  const lines = readFileSync(join(projectDir, file), 'utf8').split('\n');
  const column = new RegExp(`^\\s*['"]?${k.column}['"]?\\s*:`);
  for (let i = 0; i < lines.length; i++) {
    const at = lines[i]!.indexOf('.subject(');
    if (at >= 0 && column.test(lines[i]!)) return { file, line: i + 1, column: at + 2 };
  }
  return undefined;
}
