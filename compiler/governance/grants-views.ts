/**
 * Per-role views for engines without Lake Formation (local Spark): one database per role
 * (`<role>_views`), one view per table the role sees, named as the table (prefixed with its database
 * when two tables share a name). Masked string columns are hashed with the salt when the role's mask is
 * `hash`; other masked columns read NULL; omitted columns are left out. Operations, run by the engine.
 */
import { op, type Operation } from '../plan/operations.js';
import type { Grants, GrantTable, RoleGrants } from './grants-schema.js';

export const roleViewsDatabase = (role: string) => `${role}_views`;

const isString = (type: string) => /^(string|varchar|char)\b/i.test(type.trim());

function viewName(table: GrantTable, all: readonly GrantTable[]): string {
  const clash = all.some((t) => t !== table && t.relation.table === table.relation.table);
  return clash ? `${table.relation.database}__${table.relation.table}` : table.relation.table;
}

/** The database and views of one role. */
export function roleViewOperations(role: RoleGrants, salt: string): Operation[] {
  const database = roleViewsDatabase(role.role);
  const views = role.tables.flatMap((t) => {
    const columns = t.columns
      .filter((c) => c.access !== 'omitted')
      .map((c) => ({ name: c.name, type: c.type, mask: c.access === 'visible' ? ('none' as const) : role.mask === 'hash' && isString(c.type) ? ('hash' as const) : ('null' as const) }));
    if (!columns.length) return [];
    return [op({ kind: 'CreateMaskedView', relation: { database, table: viewName(t, role.tables) }, from: t.relation, columns, salt })];
  });
  return [op({ kind: 'CreateDatabase', database }), ...views];
}

/** Every role's views, or one role's. */
export function roleViewsPlan(grants: Grants, roleName?: string): Operation[] {
  return grants.roles.filter((r) => roleName === undefined || r.role === roleName).flatMap((r) => roleViewOperations(r, grants.salt));
}
