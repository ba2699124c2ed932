/** Pieces several pages share: links to nodes and a DAG of a set of index nodes. */
import type { IndexNode } from '../../shared/site-data.js';
import { h, nodeHref, statusBadge } from '../dom.js';
import { renderGraph, type GraphNode } from '../graph-view.js';
import { inducedEdges } from '../neighbourhood.js';
import type { Store } from '../store.js';

export function nodeLink(store: Store, i: number): HTMLElement {
  const n = store.nodes[i]!;
  return h('a', { href: nodeHref(n), class: `node-link layer-${n.layer}`, title: n.id }, n.name);
}

export function nodeLinkById(store: Store, id: string, column?: string): HTMLElement {
  const i = store.indexOf(id);
  if (i === undefined) return h('span', { class: 'missing', title: 'not in the manifest' }, column ? `${id}.${column}` : id);
  const n = store.nodes[i]!;
  return h('a', { href: nodeHref(n), class: `node-link layer-${n.layer}`, title: n.id }, column ? `${n.name}.${column}` : n.name);
}

export function graphNodeOf(n: IndexNode): GraphNode {
  const sub = n.kind === 'source' ? `${n.system} source` : n.kind === 'seed' ? `${n.layer} · seed` : `${n.layer} · ${n.materialized ?? ''}`;
  return {
    key: n.id,
    label: n.name,
    sub: n.status ? `${sub} · ${n.status}` : sub,
    cls: `layer-${n.layer} ${n.materialized === 'snapshot' ? 'mat-snapshot' : ''} ${n.classes.map((c) => `has-${c}`).join(' ')} ${n.status ? `status-${n.status}` : ''}`,
    title: `${n.id}${n.summary ? '\n' + n.summary : ''}`,
  };
}

export function dagOf(store: Store, set: Set<number>, focus?: string, height?: number): HTMLElement {
  const list = [...set].sort((a, b) => a - b);
  const nodes = list.map((i) => graphNodeOf(store.nodes[i]!));
  const edges = inducedEdges(store.nodes, set).map(([a, b]) => ({ from: store.nodes[a]!.id, to: store.nodes[b]!.id }));
  return renderGraph(nodes, edges, {
    ...(focus ? { focus } : {}),
    ...(height ? { height } : {}),
    onOpen: (key) => {
      const n = store.node(key);
      if (n) location.hash = nodeHref(n);
    },
  });
}

export function nodeList(store: Store, idxs: number[], empty: string): HTMLElement {
  if (idxs.length === 0) return h('p', { class: 'muted' }, empty);
  return h(
    'ul',
    { class: 'node-list' },
    idxs.map((i) => h('li', {}, nodeLink(store, i), ' ', statusBadge(store.nodes[i]!.status))),
  );
}

export function keyValue(pairs: Array<[string, Node | string | undefined | null]>): HTMLElement {
  return h(
    'dl',
    { class: 'kv' },
    pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v!)]),
  );
}

export function notFound(what: string): HTMLElement {
  return h('div', { class: 'card' }, h('h1', {}, 'Not found'), h('p', {}, `${what} is not in this project's docs. `), h('a', { href: '#/' }, 'Back to the overview'));
}
