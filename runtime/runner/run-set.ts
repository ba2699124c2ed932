/**
 * Which plan nodes a run executes: the selected models, their tests, the sources they read and
 * those sources' tests (or, for `etl test`, tests only). Edges come from the plan as compiled;
 * edges to nodes outside the run are dropped (those parents are read as they are).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest, Plan, PlanNode } from '../../compiler/manifest/types.js';
import { selectModels } from '../../compiler/plan/select.js';
import { FAILED_STATUSES, type RunResults } from './results.js';
import { seedNodes } from './seed-nodes.js';

export interface Selection {
  command: 'build' | 'test' | 'seed';
  select?: string[];
  exclude?: string[];
  state?: Manifest;
  /** Model ids that failed or were skipped last time, when `--failed`. */
  onlyThese?: Set<string>;
  dataTests?: boolean;
  unitTests?: boolean;
}

export interface RunNode {
  node: PlanNode;
  /** Nodes of this run it waits for. */
  parents: string[];
}

export function selectedModels(manifest: Manifest, plan: Plan, s: Selection): string[] {
  const hasSelection = (s.select?.length ?? 0) > 0 || (s.exclude?.length ?? 0) > 0;
  let ids = hasSelection
    ? selectModels(manifest, { ...(s.select ? { select: s.select } : {}), ...(s.exclude ? { exclude: s.exclude } : {}), ...(s.state ? { state: s.state } : {}) })
    : Object.keys(manifest.models);
  ids = ids.filter((id) => plan.nodes[id]?.kind === 'model');
  return s.onlyThese ? ids.filter((id) => s.onlyThese!.has(id)) : ids;
}

export function nodesToRun(plan: Plan, models: string[], s: Selection): RunNode[] {
  const chosen = new Set<string>(models);
  const wantData = s.command === 'build' || s.dataTests !== false;
  const wantUnit = s.command === 'test' && s.unitTests !== false;
  // `etl seed`: the seeds only; `etl build` with no selection loads every seed first.
  if (s.command === 'seed') return seedNodes(plan, s.select).map((node) => ({ node, parents: [] }));
  const sources = new Set<string>();
  for (const id of models) for (const d of plan.nodes[id]!.dependsOn) if (plan.nodes[d]?.kind === 'source') sources.add(d);
  const out: PlanNode[] = [];
  // Unit tests read only their given rows: `etl test --unit` needs no bronze tables.
  if (wantData) for (const id of sources) out.push(plan.nodes[id]!);
  if (s.command === 'build' && !s.select?.length && !s.exclude?.length && !s.onlyThese) for (const n of seedNodes(plan)) if (!sources.has(n.id)) out.push(n);
  if (s.command === 'build') for (const id of models) out.push(plan.nodes[id]!);
  for (const node of Object.values(plan.nodes)) {
    if (node.kind === 'test' && wantData && (chosen.has(node.attachedTo) || sources.has(node.attachedTo))) out.push(node);
    if (node.kind === 'unit_test' && wantUnit && chosen.has(node.model)) out.push(node);
  }
  const inRun = new Set(out.map((n) => n.id));
  return out.map((node) => ({ node, parents: node.dependsOn.filter((d) => inRun.has(d)) }));
}

/** Models that errored, were skipped, or whose tests failed/were skipped, in the last run. */
export function previousFailures(manifest: Manifest, plan: Plan, projectDir: string): Set<string> {
  const file = join(projectDir, 'target', 'run_results.json');
  if (!existsSync(file)) throw new Error(`No previous run to retry: ${file} does not exist. Run \`etl build\` first.`);
  const last = JSON.parse(readFileSync(file, 'utf8')) as RunResults;
  const out = new Set<string>();
  for (const r of last.results) {
    if (!FAILED_STATUSES.has(r.status) && r.status !== 'skipped') continue;
    const node = plan.nodes[r.id];
    const owner = node?.kind === 'test' ? node.attachedTo : node?.kind === 'unit_test' ? node.model : r.id;
    if (manifest.models[owner]) out.add(owner);
  }
  return out;
}
