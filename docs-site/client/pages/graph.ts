/**
 * The DAG explorer: filter by layer, tag, system or a selection expression (same grammar as the
 * CLI), then draw only the matching nodes. Above MAX_DRAWN nodes it asks for a narrower filter
 * instead of freezing the browser on a 10,000-node layout.
 */
import type { Manifest } from '../../../compiler/manifest/types.js';
import { manifestView, selectIndices, SelectorError } from '../selection.js';
import { h } from '../dom.js';
import type { Store } from '../store.js';
import { dagOf } from './common.js';

export const MAX_DRAWN = 400;

export interface GraphFilters {
  select: string;
  layers: string[];
  tag: string;
  system: string;
}

export function parseGraphQuery(query: URLSearchParams): GraphFilters {
  const layers = (query.get('layers') ?? '').split(',').filter(Boolean);
  return { select: query.get('select') ?? '', layers, tag: query.get('tag') ?? '', system: query.get('system') ?? '' };
}

function graphHash(f: GraphFilters): string {
  const q = new URLSearchParams();
  if (f.select) q.set('select', f.select);
  if (f.layers.length) q.set('layers', f.layers.join(','));
  if (f.tag) q.set('tag', f.tag);
  if (f.system) q.set('system', f.system);
  return `#/graph?${q.toString()}`;
}

let view: Manifest | undefined;

export function filterNodes(store: Store, f: GraphFilters): Set<number> {
  const { nodes } = store;
  view ??= manifestView(nodes);
  let set = selectIndices(nodes, (id) => store.indexOf(id), view, f.select);
  if (f.layers.length) set = new Set([...set].filter((i) => f.layers.includes(nodes[i]!.layer)));
  if (f.tag) set = new Set([...set].filter((i) => nodes[i]!.tags.includes(f.tag)));
  if (f.system) {
    // A model belongs to a system when it reads (at any depth) from a source of that system.
    const reach = new Set<number>();
    const stack = nodes.flatMap((n, i) => (n.kind === 'source' && n.system === f.system ? [i] : []));
    while (stack.length) {
      const i = stack.pop()!;
      if (!reach.has(i)) (reach.add(i), stack.push(...nodes[i]!.children));
    }
    set = new Set([...set].filter((i) => reach.has(i)));
  }
  return set;
}

export function renderGraphPage(store: Store, query: URLSearchParams, root: HTMLElement): void {
  const f = parseGraphQuery(query);
  const { nodes } = store;
  const tags = [...new Set(nodes.flatMap((n) => n.tags))].sort();
  const systems = [...new Set(nodes.flatMap((n) => (n.system ? [n.system] : [])))].sort();

  const selectInput = h('input', {
    type: 'text',
    id: 'graph-select',
    value: f.select,
    placeholder: 'e.g. +fct_orders  tag:finance,layer:gold  source:snowflake+  2+mart_customer_360',
    spellcheck: 'false',
  });
  const layerBoxes = (['bronze', 'silver', 'gold'] as const).map((l) => h('input', { type: 'checkbox', value: l, checked: f.layers.length === 0 || f.layers.includes(l) }));
  const tagSelect = h('select', { id: 'graph-tag' }, h('option', { value: '' }, 'any tag'), tags.map((t) => h('option', { value: t, selected: t === f.tag }, t)));
  const systemSelect = h('select', { id: 'graph-system' }, h('option', { value: '' }, 'any system'), systems.map((s) => h('option', { value: s, selected: s === f.system }, s)));
  const apply = (ev?: Event) => {
    ev?.preventDefault();
    const layers = layerBoxes.filter((b) => b.checked).map((b) => b.value);
    location.hash = graphHash({ select: selectInput.value.trim(), layers: layers.length === 3 ? [] : layers, tag: tagSelect.value, system: systemSelect.value });
  };
  for (const el of [tagSelect, systemSelect, ...layerBoxes]) el.addEventListener('change', apply);

  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Graph')),
    h(
      'form',
      { class: 'card graph-filters', onsubmit: apply },
      h('label', {}, 'selection ', selectInput),
      h('button', { type: 'submit' }, 'Apply'),
      h('span', { class: 'layer-boxes' }, layerBoxes.map((b) => h('label', {}, b, ` ${b.value}`))),
      tagSelect,
      systemSelect,
      h('div', { class: 'muted small' }, 'Same grammar as --select: name, +name (parents), name+ (children), 2+name, name+1, @name, tag:x, path:x, layer:x, source:x+, materialized:x, globs with *; space = union, comma = intersection.'),
    ),
  );

  let set: Set<number>;
  try {
    set = filterNodes(store, f);
  } catch (err) {
    if (err instanceof SelectorError) {
      root.append(h('div', { class: 'card error-text', id: 'graph-error' }, err.message));
      return;
    }
    throw err;
  }
  if (set.size === 0) {
    root.append(h('div', { class: 'card', id: 'graph-empty' }, 'Nothing matches this selection.'));
    return;
  }
  if (set.size > MAX_DRAWN) {
    const byLayer = new Map<string, number>();
    for (const i of set) byLayer.set(nodes[i]!.layer, (byLayer.get(nodes[i]!.layer) ?? 0) + 1);
    root.append(
      h(
        'div',
        { class: 'card', id: 'graph-too-big' },
        h('p', {}, `${set.size} nodes match (${[...byLayer].map(([l, c]) => `${c} ${l}`).join(', ')}). Drawing is limited to ${MAX_DRAWN} nodes so the page stays responsive: narrow the selection, e.g. `, h('code', {}, '+some_model'), ' or ', h('code', {}, 'tag:x,layer:gold'), '.'),
        h('p', { class: 'muted small' }, 'Most-read nodes in this selection (open with their direct neighbours):'),
        h(
          'ul',
          { class: 'node-list hubs' },
          [...set]
            .sort((a, b) => nodes[b]!.children.length - nodes[a]!.children.length)
            .slice(0, 15)
            .map((i) => {
              const n = nodes[i]!;
              const name = n.kind === 'model' ? n.name : `source:${n.name}`;
              return h('li', {}, h('a', { href: graphHash({ ...f, select: `1+${name}+1` }) }, n.name), h('span', { class: 'muted small' }, ` ${n.children.length} readers`));
            }),
        ),
      ),
    );
    return;
  }
  root.append(h('div', { class: 'card graph-card' }, dagOf(store, set, undefined, Math.max(420, window.innerHeight - 260))));
}
