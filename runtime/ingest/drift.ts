/**
 * Schema drift between the declaration and what the source reports now. Each system maps its own
 * types to a "family"; a declared Spark type is compatible when its family matches.
 */
import type { JobColumn } from '../../compiler/emit/ingestion-jobs.js';
import type { DriftFinding } from './job-context.js';

export type TypeFamily = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'nested' | 'any';

export interface ObservedColumn {
  name: string;
  type: string;
  family: TypeFamily;
}

export function sparkFamily(type: string): TypeFamily[] {
  const t = type.toLowerCase();
  if (t === 'string') return ['string', 'any'];
  if (t === 'int' || t === 'bigint') return ['integer', 'any'];
  if (t.startsWith('decimal')) return ['integer', 'number', 'any'];
  if (t === 'double') return ['number', 'integer', 'any'];
  if (t === 'boolean') return ['boolean', 'any'];
  if (t === 'date') return ['date', 'any'];
  if (t === 'timestamp') return ['timestamp', 'any'];
  return ['nested', 'string', 'any'];
}

export function detectDrift(declared: JobColumn[], observed: ObservedColumn[], caseInsensitive = false): DriftFinding[] {
  const key = (s: string) => (caseInsensitive ? s.toUpperCase() : s);
  const seen = new Map(observed.map((o) => [key(o.name), o]));
  const declaredKeys = new Set(declared.map((c) => key(c.sourceName)));
  const findings: DriftFinding[] = [];
  for (const c of declared) {
    const o = seen.get(key(c.sourceName));
    if (!o) findings.push({ kind: 'removed', column: c.name, declared: c.type });
    else if (!sparkFamily(c.type).includes(o.family)) findings.push({ kind: 'changed', column: c.name, declared: c.type, observed: o.type });
  }
  for (const o of observed) if (!declaredKeys.has(key(o.name))) findings.push({ kind: 'added', column: o.name, observed: o.type });
  return findings;
}

export function describeDrift(findings: DriftFinding[]): string {
  return findings
    .map((f) => (f.kind === 'added' ? `added ${f.column} (${f.observed})` : f.kind === 'removed' ? `removed ${f.column}` : `${f.column} changed from ${f.declared} to ${f.observed}`))
    .join('; ');
}
