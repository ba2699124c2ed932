/**
 * Access per role, derived from lineage: which tables a role reads (by layer, tag, model name, or the
 * source systems its lineage comes from) and, per column, whether it sees the value, a masked value or
 * no column at all. Pure: manifest and roles in, grants out. Classifications are read as plain strings,
 * so new ones (pseudonymised...) need no change here.
 */
import type { RoleConfig, RolesConfig } from '../config/governance-roles.js';
import type { Manifest } from '../manifest/types.js';
import { GRANTS_VERSION, type ColumnAccess, type GrantTable, type Grants, type RoleGrants } from './grants-schema.js';

/** A table of the lakehouse as roles see it: a bronze table (per source) or a model's relation. */
export interface AccessTable {
  node: string;
  name: string;
  layer: 'bronze' | 'silver' | 'gold';
  tags: readonly string[];
  /** Source systems its rows come from, through lineage. */
  systems: ReadonlySet<string>;
  relation: { database: string; table: string };
  location: string;
  columns: ReadonlyArray<{ name: string; type: string; classification: readonly string[] }>;
}

/** The source systems each node's rows come from (a model: every source upstream of it). */
function systemsByNode(manifest: Manifest): Map<string, Set<string>> {
  const memo = new Map<string, Set<string>>();
  const visit = (id: string): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const own = new Set<string>();
    memo.set(id, own);
    const source = manifest.sources[id];
    if (source) own.add(source.system);
    for (const parent of manifest.parentMap[id] ?? []) for (const s of visit(parent)) own.add(s);
    return own;
  };
  for (const id of [...Object.keys(manifest.sources), ...Object.keys(manifest.models)]) visit(id);
  return memo;
}

/** Every table a role could be granted: bronze tables, then models that have a relation (not ephemeral). */
export function accessTables(manifest: Manifest): AccessTable[] {
  const systems = systemsByNode(manifest);
  const bronze = Object.values(manifest.sources).map((s) => ({
    node: s.id,
    name: `${s.sourceName}.${s.table}`,
    layer: 'bronze' as const,
    tags: s.tags,
    systems: systems.get(s.id)!,
    relation: { database: s.bronze.database, table: s.bronze.table },
    location: s.bronze.location,
    columns: [...s.columns, ...s.bronze.metadataColumns],
  }));
  const models = Object.values(manifest.models).flatMap((m) =>
    m.relation && m.materialized !== 'ephemeral' && !manifest.deferred[m.id]
      ? [{ node: m.id, name: m.name, layer: m.layer, tags: m.tags, systems: systems.get(m.id)!, relation: { database: m.relation.database, table: m.relation.table }, location: m.relation.location, columns: m.columns }]
      : [],
  );
  return [...bronze, ...models];
}

/** Why `role` reads `table` (empty: it does not). */
export function matchedBy(role: RoleConfig, table: AccessTable): string[] {
  const why: string[] = [];
  if (role.read.layers.includes(table.layer)) why.push(`layer:${table.layer}`);
  for (const tag of role.read.tags) if (table.tags.includes(tag)) why.push(`tag:${tag}`);
  if (table.layer !== 'bronze' && role.read.models.includes(table.name)) why.push(`model:${table.name}`);
  const systems = [...table.systems];
  if (role.read.systems.length && systems.length && systems.every((s) => role.read.systems.includes(s))) why.push(`system:${systems.sort().join('+')}`);
  return why;
}

/** Visible when every classification is one the role sees in clear; omitted when one is in `omit`; masked otherwise. */
export function columnAccess(role: RoleConfig, classification: readonly string[]): ColumnAccess {
  const hidden = classification.filter((c) => !role.unmasked.includes(c));
  if (hidden.length === 0) return 'visible';
  return hidden.some((c) => role.omit.includes(c)) ? 'omitted' : 'masked';
}

export function roleGrants(name: string, role: RoleConfig, tables: readonly AccessTable[]): RoleGrants {
  const granted: GrantTable[] = tables.flatMap((t) => {
    const why = matchedBy(role, t);
    if (!why.length) return [];
    const columns = t.columns.map((c) => ({ name: c.name, type: c.type, classification: [...c.classification], access: columnAccess(role, c.classification) }));
    return [{ node: t.node, layer: t.layer, relation: t.relation, location: t.location, matchedBy: why, columns }];
  });
  return {
    role: name,
    ...(role.description ? { description: role.description } : {}),
    principal: role.principal ?? null,
    unmasked: role.unmasked,
    omit: role.omit,
    mask: role.mask,
    tables: granted,
  };
}

/** Salt of hashed columns: the project's `mask_salt` var when it is a string, else the project name. */
export function maskSalt(manifest: Manifest): string {
  const v = manifest.project.vars['mask_salt'];
  return typeof v === 'string' ? v : manifest.project.name;
}

/** Every role's grants, roles in the order project.yaml declares them. */
export function deriveGrants(manifest: Manifest, roles: RolesConfig): Grants {
  const tables = accessTables(manifest);
  return {
    grantsVersion: GRANTS_VERSION,
    project: manifest.project.name,
    target: manifest.target.name,
    salt: maskSalt(manifest),
    roles: Object.entries(roles).map(([name, role]) => roleGrants(name, role, tables)),
  };
}
