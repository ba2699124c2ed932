import { Args, Flags } from '@oclif/core';
import type { Manifest, ManifestModel } from '../../compiler/index.js';
import { EtlCommand, EXIT, projectFlags } from '../base.js';

interface ColumnNode {
  node: string;
  column: string;
  role: string;
  classification: string[];
  children: ColumnNode[];
}

export default class Lineage extends EtlCommand {
  static override summary = 'Show where a model or column comes from and where it goes, down to source columns.';
  static override examples = [
    '<%= config.bin %> lineage fct_orders',
    '<%= config.bin %> lineage mart_customer_360.customer_email',
    '<%= config.bin %> lineage stg_customer_orders.amount --direction down',
    '<%= config.bin %> lineage fct_orders.amount --json',
  ];
  static override args = { target: Args.string({ required: true, description: 'MODEL or MODEL.COLUMN' }) };
  static override flags = {
    ...projectFlags,
    direction: Flags.string({ options: ['up', 'down', 'both'], default: 'both', description: 'Upstream, downstream or both' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Lineage);
    const result = await this.compileAndReport(flags, true);
    if (!result.ok) this.failCompile(result.diagnostics);
    const m = result.manifest;
    const [modelName, columnName] = args.target.split('.', 2) as [string, string | undefined];
    const model = m.models[`model.${modelName}`];
    if (!model) this.error(`No model named '${modelName}'`, { exit: EXIT.usage, code: 'ETL004' });
    if (columnName && !model.columns.some((c) => c.name === columnName)) {
      this.error(`Model ${modelName} has no column '${columnName}'. Columns: ${model.columns.map((c) => c.name).join(', ')}`, { exit: EXIT.usage, code: 'ETL004' });
    }
    const up = flags.direction !== 'down';
    const down = flags.direction !== 'up';
    if (!columnName) {
      const out = { model: model.id, upstream: up ? ancestors(m, model.id) : [], downstream: down ? descendants(m, model.id) : [] };
      if (this.jsonEnabled()) return out;
      this.log(`${model.name} (${model.layer}, ${model.materialized})`);
      if (up) this.log(`  upstream:   ${out.upstream.join(', ') || '(none)'}`);
      if (down) this.log(`  downstream: ${out.downstream.join(', ') || '(none)'}`);
      return out;
    }
    const upstream = up ? upstreamTree(m, model, columnName) : [];
    const downstream = down ? downstreamTree(m, model.id, columnName) : [];
    const rowDeps = model.rowDependencies;
    if (this.jsonEnabled()) return { model: model.id, column: columnName, upstream, downstream, rowDependencies: rowDeps };
    const col = model.columns.find((c) => c.name === columnName)!;
    this.log(`${model.name}.${columnName}  ${col.type}${col.classification.length ? `  [${col.classification.join(', ')}]` : ''}`);
    if (up) {
      this.log('  upstream (values):');
      this.printTree(upstream, '    ', '<-');
      if (rowDeps.length) {
        this.log('  rows of the model also depend on:');
        for (const d of rowDeps) this.log(`    ${d.role.padEnd(7)} ${short(d.node)}.${d.column}`);
      }
    }
    if (down) {
      this.log('  downstream:');
      this.printTree(downstream, '    ', '->');
    }
    return { upstream, downstream };
  }

  /** `arrow` points the way values flow: `<-` where a value comes from, `->` where it goes. */
  private printTree(nodes: ColumnNode[], indent: string, arrow: '<-' | '->'): void {
    if (nodes.length === 0) this.log(`${indent}(none)`);
    for (const n of nodes) {
      const cls = n.classification.length ? `  [${n.classification.join(', ')}]` : '';
      this.log(`${indent}${n.role === 'value' ? arrow : `(${n.role})`} ${short(n.node)}.${n.column}${cls}`);
      if (n.children.length) this.printTree(n.children, `${indent}   `, arrow);
    }
  }
}

const short = (id: string) => id.replace(/^model\./, '').replace(/^source\./, 'source:');

function columnOf(m: Manifest, node: string, column: string): { classification: string[] } | undefined {
  if (node.startsWith('model.')) return m.models[node]?.columns.find((c) => c.name === column);
  return m.sources[node]?.columns.find((c) => c.name === column) ?? { classification: [] };
}

function upstreamTree(m: Manifest, model: ManifestModel, column: string, depth = 0): ColumnNode[] {
  const col = model.columns.find((c) => c.name === column);
  if (!col || depth > 50) return [];
  return col.upstream.map((u) => ({
    node: u.node,
    column: u.column,
    role: 'value',
    classification: columnOf(m, u.node, u.column)?.classification ?? [],
    children: u.node.startsWith('model.') && m.models[u.node] ? upstreamTree(m, m.models[u.node]!, u.column, depth + 1) : [],
  }));
}

function downstreamTree(m: Manifest, node: string, column: string, depth = 0): ColumnNode[] {
  if (depth > 50) return [];
  const out: ColumnNode[] = [];
  for (const childId of m.childMap[node] ?? []) {
    const child = m.models[childId];
    if (!child) continue;
    for (const c of child.columns) {
      if (c.upstream.some((u) => u.node === node && u.column === column)) {
        out.push({ node: childId, column: c.name, role: 'value', classification: c.classification, children: downstreamTree(m, childId, c.name, depth + 1) });
      }
    }
    for (const d of child.rowDependencies) {
      if (d.node === node && d.column === column) out.push({ node: childId, column: '*', role: d.role, classification: [], children: [] });
    }
  }
  return out;
}

function walk(edges: Record<string, string[]>, start: string): string[] {
  const seen = new Set<string>();
  const stack = [...(edges[start] ?? [])];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(edges[id] ?? []));
  }
  return [...seen].sort().map(short);
}
const ancestors = (m: Manifest, id: string) => walk(m.parentMap, id);
const descendants = (m: Manifest, id: string) => walk(m.childMap, id);
