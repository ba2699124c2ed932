/**
 * Node selection, as on the command line and in the docs site:
 *   name  +name  name+  2+name  name+1  @name  tag:x  path:models/gold  layer:silver
 *   source:snowflake+  source:snowflake.customer_orders  materialized:incremental  name*  (globs)
 *   state:modified  state:new   (against a reference manifest, for slim CI)
 * Space-separated terms are a union; comma-separated atoms within a term an intersection.
 */
import type { Manifest } from '../manifest/types.js';
import { changedModels } from './state-compare.js';

export class SelectorError extends Error {}

interface NodeInfo {
  id: string;
  name: string;
  kind: 'model' | 'source';
  tags: string[];
  file: string;
  layer: string;
  materialized?: string;
  sourceName?: string;
}

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');

function nodesOf(manifest: Manifest): NodeInfo[] {
  const models = Object.values(manifest.models).map<NodeInfo>((m) => ({
    id: m.id,
    name: m.name,
    kind: 'model',
    tags: m.tags,
    file: m.file,
    layer: m.layer,
    materialized: m.materialized,
  }));
  const sources = Object.values(manifest.sources).map<NodeInfo>((s) => ({
    id: s.id,
    name: `${s.sourceName}.${s.table}`,
    kind: 'source',
    tags: s.tags,
    file: s.file,
    layer: 'bronze',
    sourceName: s.sourceName,
  }));
  return [...models, ...sources];
}

function walk(start: Set<string>, edges: Record<string, string[]>, depth: number | undefined): Set<string> {
  const out = new Set<string>();
  let frontier = [...start];
  for (let level = 0; frontier.length && (depth === undefined || level < depth); level++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const n of edges[id] ?? []) {
        if (!out.has(n)) {
          out.add(n);
          next.push(n);
        }
      }
    }
    frontier = next;
  }
  return out;
}

export interface SelectionContext {
  /** Reference manifest (e.g. production's) for `state:` selectors. */
  state?: Manifest;
}

function matchState(value: string, manifest: Manifest, context: SelectionContext): Set<string> {
  const reference = context.state;
  if (!reference) throw new SelectorError(`state:${value} needs a reference manifest: pass --state path/to/manifest.json (for example production's).`);
  if (value !== 'new' && value !== 'modified') throw new SelectorError(`Unknown state selector 'state:${value}'. Use state:modified or state:new.`);
  const changed = changedModels(reference, manifest);
  // state:modified includes new models, as in dbt.
  return new Set([...changed].filter(([, change]) => value === 'modified' || change === 'new').map(([id]) => id));
}

function matchAtom(method: string | undefined, value: string, nodes: NodeInfo[], manifest?: Manifest, context: SelectionContext = {}): Set<string> {
  if (method === 'state') return matchState(value, manifest!, context);
  const re = glob(value);
  const hit = (pred: (n: NodeInfo) => boolean) => new Set(nodes.filter(pred).map((n) => n.id));
  switch (method) {
    case undefined:
      return hit((n) => (n.kind === 'model' && re.test(n.name)) || n.id === value);
    case 'tag':
      return hit((n) => n.tags.some((t) => re.test(t)));
    case 'path': {
      const p = value.replace(/\/$/, '');
      const pre = glob(`${p}*`);
      return hit((n) => n.kind === 'model' && (n.file === p || n.file.startsWith(`${p}/`) || pre.test(n.file)));
    }
    case 'layer':
      return hit((n) => re.test(n.layer));
    case 'source':
      return hit((n) => n.kind === 'source' && (re.test(n.sourceName!) || re.test(n.name)));
    case 'materialized':
    case 'config.materialized':
      return hit((n) => n.kind === 'model' && n.materialized !== undefined && re.test(n.materialized));
    default:
      throw new SelectorError(`Unknown selector method '${method}:'. Use tag:, path:, layer:, source:, materialized: or state:.`);
  }
}

const ATOM = /^(@)?(?:(\d*)\+)?([^+@]+?)(?:\+(\d*))?$/;

export function evaluateSelector(expression: string, manifest: Manifest, context: SelectionContext = {}): Set<string> {
  const nodes = nodesOf(manifest);
  const result = new Set<string>();
  for (const term of expression.trim().split(/\s+/).filter(Boolean)) {
    let acc: Set<string> | undefined;
    for (const atom of term.split(',').filter(Boolean)) {
      const m = ATOM.exec(atom);
      if (!m) throw new SelectorError(`Cannot read selector '${atom}'. Examples: +fct_orders, stg_orders+, 2+mart_customer_360, tag:finance.`);
      const [, at, up, body, down] = m;
      const colon = body!.indexOf(':');
      const method = colon > 0 ? body!.slice(0, colon) : undefined;
      const value = colon > 0 ? body!.slice(colon + 1) : body!;
      const base = matchAtom(method, value, nodes, manifest, context);
      if (base.size === 0 && method === undefined && !/[*?]/.test(value)) {
        throw new SelectorError(`No model named '${value}'.`);
      }
      const selected = new Set(base);
      const upDepth = up === undefined ? undefined : up === '' ? Infinity : Number(up);
      const downDepth = down === undefined ? undefined : down === '' ? Infinity : Number(down);
      if (upDepth !== undefined) for (const id of walk(base, manifest.parentMap, upDepth === Infinity ? undefined : upDepth)) selected.add(id);
      if (downDepth !== undefined || at) {
        const desc = walk(base, manifest.childMap, downDepth === undefined || downDepth === Infinity ? undefined : downDepth);
        for (const id of desc) selected.add(id);
        if (at) for (const id of walk(new Set([...base, ...desc]), manifest.parentMap, undefined)) selected.add(id);
      }
      acc = acc ? new Set([...acc].filter((x) => selected.has(x))) : selected;
    }
    for (const id of acc ?? []) result.add(id);
  }
  return result;
}

/** Model ids selected by `--select` minus `--exclude`, in manifest order. No --select means every model. */
export function selectModels(manifest: Manifest, options: { select?: string[]; exclude?: string[]; state?: Manifest }): string[] {
  const select = options.select?.join(' ').trim();
  const exclude = options.exclude?.join(' ').trim();
  const context: SelectionContext = options.state ? { state: options.state } : {};
  const chosen = select ? evaluateSelector(select, manifest, context) : new Set(Object.keys(manifest.models));
  const dropped = exclude ? evaluateSelector(exclude, manifest, context) : new Set<string>();
  return Object.keys(manifest.models).filter((id) => chosen.has(id) && !dropped.has(id));
}
