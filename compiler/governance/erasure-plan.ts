/**
 * The erasure plan of a data subject, derived from column lineage alone (pure: manifest in, plan out).
 * Every bronze, silver and gold table that can hold the subject's rows, how to find them there, and
 * what to do:
 * - `rewrite-files`: a bronze source table declaring the key: its Parquet files are rewritten without
 *   the rows whose key column holds the subject's value;
 * - `delete`: a model table carrying the key (a column whose values derive from a key column, as
 *   they are or as a salted SHA-256 hash of them), or carrying the row key of a parent that holds the
 *   subject's rows (a join or a filter on the key without the key itself): a Delta DELETE;
 * - `rebuild`: a model table whose rows the subject reaches only through aggregates (nothing to
 *   match its rows by): rebuilt from its parents after the deletes.
 * Views and ephemeral models hold no rows of their own: listed, never acted on. The subject's value
 * is not in the plan: the runtime builds the values to match from it (erasure-values.ts).
 */
import { z } from 'zod';
import { RelationSchema } from '../plan/operations.js';
import type { Manifest, ManifestModel, ManifestSource, Plan } from '../manifest/types.js';
import type { SubjectKeyColumn } from './erasure-subject.js';

/** How the subject's value appears in a carrying column: as it is, or SHA-256 of it with a salt var before or after. */
export const KeyFormSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('value') }).strict(),
  z.object({ kind: z.literal('sha2'), bits: z.literal(256), salt: z.object({ var: z.string(), position: z.enum(['after', 'before']) }).strict().optional() }).strict(),
]);
export type KeyForm = z.infer<typeof KeyFormSchema>;

export const MatchRuleSchema = z.discriminatedUnion('via', [
  /** The column carries a subject key (`key` is the source column it derives from). */
  z.object({ via: z.literal('key'), column: z.string(), key: z.object({ node: z.string(), column: z.string() }).strict(), forms: z.array(KeyFormSchema).min(1) }).strict(),
  /** The column carries `parentColumn`, the row key of `parent`: rows whose parent rows are the subject's. */
  z.object({ via: z.literal('parent'), column: z.string(), parent: z.string(), parentColumn: z.string() }).strict(),
]);
export type MatchRule = z.infer<typeof MatchRuleSchema>;

export const ErasureTargetSchema = z
  .object({
    node: z.string(),
    name: z.string(),
    layer: z.enum(['bronze', 'silver', 'gold']),
    relation: RelationSchema,
    action: z.enum(['rewrite-files', 'delete', 'rebuild']),
    /** Rows matching any rule are the subject's (empty for a rebuild). */
    match: z.array(MatchRuleSchema),
    reason: z.string(),
  })
  .strict();
export type ErasureTarget = z.infer<typeof ErasureTargetSchema>;

export const ErasurePlanSchema = z
  .object({
    subject: z.object({ key: z.string(), kinds: z.array(z.string()), keyColumns: z.array(z.object({ node: z.string(), column: z.string() }).strict()) }).strict(),
    /** In dependency order: parents before children. */
    targets: z.array(ErasureTargetSchema),
    /** Views and ephemeral models the subject flows through: no rows of their own. */
    passThrough: z.array(z.object({ node: z.string(), name: z.string(), materialized: z.string(), match: z.array(MatchRuleSchema) }).strict()),
  })
  .strict();
export type ErasurePlan = z.infer<typeof ErasurePlanSchema>;

/** Project vars that look like a hashing salt: masks compute `sha2(concat(key, salt), 256)`. */
export function saltVars(manifest: Manifest): string[] {
  return Object.entries(manifest.project.vars)
    .filter(([name, value]) => /salt|pepper/i.test(name) && typeof value === 'string')
    .map(([name]) => name)
    .sort();
}

function keyForms(salts: string[]): KeyForm[] {
  return [
    { kind: 'value' },
    { kind: 'sha2', bits: 256 },
    ...salts.flatMap((v): KeyForm[] => [
      { kind: 'sha2', bits: 256, salt: { var: v, position: 'after' } },
      { kind: 'sha2', bits: 256, salt: { var: v, position: 'before' } },
    ]),
  ];
}

/**
 * The forms a key takes through the masks the analyser recorded on the column (`masks`): none, the
 * value; a hash, the hashed forms; another mask (domain, partial...), none that can be matched.
 * Unknown masks (a manifest without them): every form, each a deterministic function of the value.
 */
function formsThrough(all: KeyForm[], masks: string[] | undefined): KeyForm[] {
  if (masks === undefined) return all;
  if (masks.length === 0) return all.filter((f) => f.kind === 'value');
  if (masks.every((m) => m === 'hash')) return all.filter((f) => f.kind === 'sha2');
  return [];
}

const refKey = (node: string, column: string) => `${node}\u0000${column.toLowerCase()}`;

interface Walk {
  manifest: Manifest;
  keys: Set<string>;
  keyType: Map<string, string>;
  forms: KeyForm[];
  /** Nodes holding the subject's rows (or reading them), with the rules that find them there. */
  touched: Map<string, MatchRule[]>;
}

/**
 * A column read from a parent the model groups (in its query or a CTE) is a key only when it is one
 * of the grouping columns, not an aggregate of them; a column from a parent it does not group is.
 */
function groupedBy(model: ManifestModel, upstream: Array<{ node: string; column: string }>): boolean {
  const groups = model.rowDependencies.filter((d) => d.role === 'group');
  return upstream.some((u) => {
    const onNode = groups.filter((g) => g.node === u.node);
    return !onNode.length || onNode.some((g) => g.column.toLowerCase() === u.column.toLowerCase());
  });
}

function keyRules(w: Walk, model: ManifestModel): MatchRule[] {
  const rules: MatchRule[] = [];
  for (const c of model.columns) {
    const key = c.sources.find((s) => w.keys.has(refKey(s.node, s.column)));
    if (!key) continue;
    // A count or sum of keys is not a key: the carrying column keeps the key's type (or is a string, as a hash is).
    if (c.type !== 'string' && c.type !== w.keyType.get(refKey(key.node, key.column))) continue;
    if (!groupedBy(model, c.upstream)) continue;
    const forms = formsThrough(w.forms, (c as { masks?: string[] }).masks);
    if (forms.length) rules.push({ via: 'key', column: c.name, key: { node: key.node, column: key.column }, forms });
  }
  return rules;
}

/** The row key of a parent holding the subject's rows: a source's primary key, a model's unique key, or a column carrying a source's primary key. */
function isRowKey(manifest: Manifest, node: string, column: string): boolean {
  const lower = column.toLowerCase();
  const source = manifest.sources[node];
  if (source) return source.primaryKey.some((k) => k.toLowerCase() === lower);
  const model = manifest.models[node];
  if (!model) return false;
  if (model.config.unique_key?.some((k) => k.toLowerCase() === lower)) return true;
  const col = model.columns.find((c) => c.name.toLowerCase() === lower);
  return !!col && col.sources.length === 1 && isRowKey(manifest, col.sources[0]!.node, col.sources[0]!.column);
}

function parentRules(w: Walk, model: ManifestModel): MatchRule[] {
  for (const c of model.columns) {
    for (const u of c.upstream) {
      const parentRules = w.touched.get(u.node);
      if (!parentRules?.length) continue;
      const parent = w.manifest.models[u.node];
      if (parent?.materialized === 'ephemeral') continue; // nothing to query
      if (!isRowKey(w.manifest, u.node, u.column) || !groupedBy(model, [u])) continue;
      return [{ via: 'parent', column: c.name, parent: u.node, parentColumn: u.column }];
    }
  }
  return [];
}

function modelOrder(manifest: Manifest): ManifestModel[] {
  const order: ManifestModel[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const m = manifest.models[id];
    if (!m) return;
    for (const p of m.dependsOn.models) visit(p);
    order.push(m);
  };
  for (const id of Object.keys(manifest.models).sort()) visit(id);
  return order;
}

const bronzeTarget = (s: ManifestSource, rules: MatchRule[]): ErasureTarget => ({
  node: s.id,
  name: s.bronze.relation,
  layer: 'bronze',
  relation: { database: s.bronze.database, table: s.bronze.table },
  action: 'rewrite-files',
  match: rules,
  reason: `declares subject key ${rules.map((r) => r.column).join(', ')}`,
});

/** The erasure plan for the subject key columns `keyColumns` (from keyColumnsOf). */
export function erasurePlan(manifest: Manifest, plan: Plan, keyColumns: SubjectKeyColumn[]): ErasurePlan {
  const w: Walk = {
    manifest,
    keys: new Set(keyColumns.map((k) => refKey(k.source, k.column))),
    keyType: new Map(keyColumns.map((k) => [refKey(k.source, k.column), manifest.sources[k.source]?.columns.find((c) => c.name === k.column)?.type ?? 'string'])),
    forms: keyForms(saltVars(manifest)),
    touched: new Map(),
  };
  const targets: ErasureTarget[] = [];
  for (const id of [...new Set(keyColumns.map((k) => k.source))].sort()) {
    const source = manifest.sources[id]!;
    const rules: MatchRule[] = keyColumns.filter((k) => k.source === id).map((k) => ({ via: 'key', column: k.column, key: { node: id, column: k.column }, forms: [{ kind: 'value' }] }));
    w.touched.set(id, rules);
    targets.push(bronzeTarget(source, rules));
  }
  const passThrough: ErasurePlan['passThrough'] = [];
  for (const model of modelOrder(manifest)) {
    const reads = [...model.dependsOn.sources, ...model.dependsOn.models].filter((p) => w.touched.has(p));
    if (!reads.length) continue;
    const byKey = keyRules(w, model);
    const rules = byKey.length ? byKey : parentRules(w, model);
    w.touched.set(model.id, rules);
    const node = plan.nodes[model.id];
    if (model.materialized === 'view' || model.materialized === 'ephemeral' || node?.kind !== 'model' || !node.location || manifest.deferred[model.id]) {
      passThrough.push({ node: model.id, name: model.name, materialized: manifest.deferred[model.id] ? 'deferred' : model.materialized, match: rules });
      continue;
    }
    const names = (p: string[]) => p.map((x) => manifest.models[x]?.name ?? manifest.sources[x]?.bronze.relation ?? x).join(', ');
    targets.push({
      node: model.id,
      name: model.name,
      layer: model.layer,
      relation: node.relation,
      action: rules.length ? 'delete' : 'rebuild',
      match: rules,
      reason: byKey.length
        ? `carries the subject key in ${byKey.map((r) => r.column).join(', ')}`
        : rules.length
          ? `carries ${rules[0]!.column}, the row key of ${names([(rules[0] as Extract<MatchRule, { via: 'parent' }>).parent])}`
          : `reads the subject's rows from ${names(reads)} without a key to match them by (aggregated or joined away)`,
    });
  }
  return {
    subject: { key: keyColumns[0]?.key ?? '', kinds: [...new Set(keyColumns.map((k) => k.kind))].sort(), keyColumns: keyColumns.map((k) => ({ node: k.source, column: k.column })) },
    targets,
    passThrough,
  };
}
