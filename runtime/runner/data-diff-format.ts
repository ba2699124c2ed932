/** `etl diff-data` as text: counts, per-column changes, and the sample rows. */
import type { DataDiffReport } from './data-diff-schema.js';

const side = (s: DataDiffReport['from']) => `${s.label} (${s.relation}${s.asOf ? `, as of ${s.asOf.by === 'version' ? `version ${s.asOf.version}` : s.asOf.timestamp}` : ''})`;

export function formatDataDiff(r: DataDiffReport): string {
  const lines = [
    `${r.model} by ${r.key.join(', ')}: ${side(r.from)} -> ${side(r.to)}`,
    `rows: ${r.rows.from} -> ${r.rows.to}; added ${r.added}, removed ${r.removed}, changed ${r.changed}, unchanged ${r.unchanged}`,
  ];
  const changed = r.columns.filter((c) => c.changed > 0);
  if (changed.length) lines.push('changed columns:', ...changed.map((c) => `  ${c.name}: ${c.changed}`));
  for (const kind of ['added', 'removed', 'changed'] as const) {
    if (!r.samples[kind].length) continue;
    lines.push(`${kind} (sample):`, ...r.samples[kind].map((row) => `  ${Object.entries(row).map(([k, v]) => `${k}=${v ?? 'NULL'}`).join(' ')}`));
  }
  return lines.join('\n');
}
