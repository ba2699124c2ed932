/**
 * The seed nodes of a run (`seed.<name>`, LoadSeed): `etl seed` runs them all, or those named with
 * --select (`country_currency` or `seed.country_currency`); `etl build` without a selection runs
 * every seed first (a model reading a seed waits for it through the plan's edges).
 */
import type { Plan, PlanNode } from '../../compiler/manifest/types.js';

export const isSeedNode = (node: PlanNode) => node.kind === 'source' && node.operations.some((o) => o.kind === 'LoadSeed');

export function seedNodes(plan: Plan, select: string[] = []): PlanNode[] {
  const wanted = new Set(select.map((s) => (s.startsWith('seed.') ? s : `seed.${s}`)));
  return Object.values(plan.nodes).filter((n) => isSeedNode(n) && (wanted.size === 0 || wanted.has(n.id)));
}

/** Seed names given with --select that name no seed of the plan. */
export function unknownSeeds(plan: Plan, select: string[] = []): string[] {
  return select.filter((s) => !plan.nodes[s.startsWith('seed.') ? s : `seed.${s}`]);
}
