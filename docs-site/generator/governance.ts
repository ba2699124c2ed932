/**
 * The governance view's data, derived at docs time from what the compiler derived: the policy and
 * every exposure and declassification (manifest.governance), each role's access to each table (the
 * same derivation `etl grants show` prints), and, per subject key, the erasure plan `etl erase
 * --dry-run` would print. Nothing is re-derived here that the compiler modules do not derive.
 */
import { deriveGrants } from '../../compiler/governance/access.js';
import { erasurePlan, type MatchRule } from '../../compiler/governance/erasure-plan.js';
import { subjectKeys } from '../../compiler/governance/erasure-subject.js';
import type { RolesConfig } from '../../compiler/config/governance-roles.js';
import type { Manifest, Plan } from '../../compiler/manifest/types.js';
import type { GovernanceData, GovernanceErasure, GovernanceMatrixRow, GovernancePolicyRow } from '../shared/governance-data.js';

const at = (a: { file: string; line: number; column: number }) => `${a.file}:${a.line}:${a.column}`;

function policyRows(manifest: Manifest): GovernancePolicyRow[] {
  const policy = manifest.governance?.policy;
  if (!policy) return [];
  const rows = (scope: string, entries: Record<string, string[]>) => Object.entries(entries).map(([name, allowed]) => ({ scope, name, allowed: [...allowed] }));
  return [...rows('layer', policy.layers), ...rows('folder', policy.folders), ...rows('tag', policy.tags)];
}

function matrixOf(manifest: Manifest, roles: RolesConfig): { roles: GovernanceData['roles']; matrix: GovernanceMatrixRow[] } {
  const grants = deriveGrants(manifest, roles);
  const byNode = new Map<string, GovernanceMatrixRow>();
  grants.roles.forEach((role, r) => {
    for (const table of role.tables) {
      let row = byNode.get(table.node);
      if (!row) byNode.set(table.node, (row = { node: table.node, layer: table.layer, access: grants.roles.map(() => null) }));
      const names = (access: string) => table.columns.filter((c) => c.access === access).map((c) => c.name);
      row.access[r] = { visible: names('visible').length, masked: names('masked').length, omitted: names('omitted').length, maskedColumns: names('masked'), omittedColumns: names('omitted') };
    }
  });
  const order = { bronze: 0, silver: 1, gold: 2 } as Record<string, number>;
  const matrix = [...byNode.values()].sort((a, b) => (order[a.layer] ?? 3) - (order[b.layer] ?? 3) || a.node.localeCompare(b.node));
  return {
    roles: grants.roles.map((g) => ({ role: g.role, description: g.description ?? null, principal: g.principal, unmasked: g.unmasked, omit: g.omit })),
    matrix,
  };
}

function describeRule(manifest: Manifest, rule: MatchRule): string {
  if (rule.via === 'parent') return `${rule.column} (row key of ${manifest.models[rule.parent]?.name ?? manifest.sources[rule.parent]?.bronze.relation ?? rule.parent})`;
  const forms = rule.forms.map((f) => (f.kind === 'value' ? 'value' : !f.salt ? 'sha2(value)' : f.salt.position === 'after' ? `sha2(value || ${f.salt.var})` : `sha2(${f.salt.var} || value)`));
  return `${rule.column} (${forms.join(' or ')})`;
}

function erasureOf(manifest: Manifest, plan: Plan): GovernanceErasure[] {
  const keys = subjectKeys(manifest);
  return [...new Set(keys.map((k) => k.key))].sort().map((key) => {
    const p = erasurePlan(manifest, plan, keys.filter((k) => k.key === key));
    return {
      key,
      kinds: p.subject.kinds,
      keyColumns: p.subject.keyColumns,
      targets: p.targets.map((t) => ({ node: t.node, layer: t.layer, action: t.action, match: t.match.map((m) => describeRule(manifest, m)), reason: t.reason })),
      passThrough: p.passThrough.map((t) => ({ node: t.node, materialized: t.materialized })),
    };
  });
}

/** `roles`: project.yaml's `governance.roles` (the generator reads the project's config for them). */
export function governanceData(manifest: Manifest, opts: { plan?: Plan; roles?: RolesConfig }): GovernanceData {
  const notes: string[] = [];
  const gov = manifest.governance;
  if (!gov) notes.push('The project declares no `governance:` policy in project.yaml.');
  const roleCount = Object.keys(opts.roles ?? {}).length;
  if (!roleCount) notes.push('No roles are declared (`governance.roles` in project.yaml): no access matrix.');
  const access = roleCount ? matrixOf(manifest, opts.roles!) : { roles: [], matrix: [] };
  if (!opts.plan) notes.push('No plan.json beside the manifest: erasure plans need it (run `etl compile`).');
  else if (!subjectKeys(manifest).length) notes.push("No source column declares a subject key (`.subject('customer')`): no erasure plans.");
  return {
    policy: policyRows(manifest),
    exposures: (gov?.exposures ?? []).map((e) => ({ model: e.model, column: e.column ?? null, classifications: [e.classification], reason: e.reason, at: at(e.at) })),
    declassifications: (gov?.declassifications ?? []).map((d) => ({ model: d.model, column: d.column, classifications: d.removed, reason: d.reason, at: at(d.at) })),
    ...access,
    erasure: opts.plan ? erasureOf(manifest, opts.plan) : [],
    notes,
  };
}
