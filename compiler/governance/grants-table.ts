/** What `etl grants show ROLE` prints: one row per column of each table the role sees. */
import type { RoleGrants } from './grants-schema.js';

export interface GrantRow {
  table: string;
  column: string;
  classification: string;
  access: string;
}

export function grantRows(role: RoleGrants): GrantRow[] {
  return role.tables.flatMap((t) =>
    t.columns.map((c) => ({ table: `${t.relation.database}.${t.relation.table}`, column: c.name, classification: c.classification.join(',') || '-', access: c.access })),
  );
}

/** A plain-text table, columns padded, with a summary line per role. */
export function formatRoleGrants(role: RoleGrants): string {
  const rows = grantRows(role);
  const header: GrantRow = { table: 'TABLE', column: 'COLUMN', classification: 'CLASSIFICATION', access: 'ACCESS' };
  const keys = ['table', 'column', 'classification', 'access'] as const;
  const width = Object.fromEntries(keys.map((k) => [k, Math.max(...[header, ...rows].map((r) => r[k].length))])) as Record<(typeof keys)[number], number>;
  const line = (r: GrantRow) => keys.map((k) => r[k].padEnd(width[k])).join('  ').trimEnd();
  const count = (a: string) => rows.filter((r) => r.access === a).length;
  const title = `Role ${role.role}${role.principal ? ` (${role.principal})` : ''}: ${role.tables.length} tables; columns ${count('visible')} visible, ${count('masked')} masked (${role.mask}), ${count('omitted')} omitted`;
  return [title, line(header), ...rows.map(line)].join('\n');
}
