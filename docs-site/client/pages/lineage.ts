/**
 * Column lineage: from one column, up through value (and row) dependencies to source columns,
 * and down through every reader to gold. Walks only the columns involved, loading the chunks of
 * the nodes it meets, so it never touches (or lays out) the rest of the project.
 */
import type { NodeDetail } from '../../shared/site-data.js';
import { classBadges, h, lineageHref, nodeHref, section } from '../dom.js';
import { renderGraph, type GraphEdge, type GraphNode } from '../graph-view.js';
import type { Store } from '../store.js';
import { nodeLinkById, notFound } from './common.js';

export const MAX_LINEAGE_COLUMNS = 250;

export interface ColumnLineage {
  /** `node#column` keys; column `*` stands for a whole model reached through a row role. */
  columns: Map<string, { node: string; column: string; direction: 'focus' | 'up' | 'down' | 'row' }>;
  edges: Array<{ from: string; to: string; kind: string }>;
  truncated: boolean;
}

// `#` never occurs in node ids or column names, and is safe inside a CSS attribute selector.
export const colKey = (node: string, column: string) => `${node}#${column}`;
const splitKey = (key: string): [string, string] => {
  const at = key.lastIndexOf('#');
  return [key.slice(0, at), key.slice(at + 1)];
};

export interface TraceOptions {
  /** Row dependencies of every model on the path (default: only the picked column's model). */
  allRowDependencies?: boolean;
  max?: number;
}

export async function traceColumn(store: Store, nodeId: string, column: string, opts: TraceOptions = {}): Promise<ColumnLineage> {
  const max = opts.max ?? MAX_LINEAGE_COLUMNS;
  const result: ColumnLineage = { columns: new Map(), edges: [], truncated: false };
  const edgeSeen = new Set<string>();
  const addEdge = (from: string, to: string, kind: string) => {
    const k = `${from}|${to}|${kind}`;
    if (!edgeSeen.has(k)) (edgeSeen.add(k), result.edges.push({ from, to, kind }));
  };
  const add = (node: string, col: string, direction: 'focus' | 'up' | 'down' | 'row'): boolean => {
    const k = colKey(node, col);
    if (result.columns.has(k)) return false;
    if (result.columns.size >= max) {
      result.truncated = true;
      return false;
    }
    result.columns.set(k, { node, column: col, direction });
    return true;
  };
  const columnOf = (d: NodeDetail | undefined, col: string) => d?.columns.find((c) => c.name === col);

  add(nodeId, column, 'focus');
  // Upstream, breadth first; each level's chunks load together.
  let frontier: Array<[string, string]> = [[nodeId, column]];
  while (frontier.length) {
    await store.detailsOf(frontier.map(([n]) => n));
    const next: Array<[string, string]> = [];
    for (const [n, c] of frontier) {
      const d = store.detailNow(n);
      for (const [un, uc] of columnOf(d, c)?.upstream ?? []) {
        if (add(un, uc, 'up')) next.push([un, uc]);
        addEdge(colKey(un, uc), colKey(n, c), 'value');
      }
      // Row dependencies of the model shape this column's rows: shown, not followed further.
      const showRows = opts.allRowDependencies || (n === nodeId && c === column);
      for (const [rn, rc, role] of showRows ? (d?.rowDependencies ?? []) : []) {
        add(rn, rc, 'row');
        if (result.columns.has(colKey(rn, rc))) addEdge(colKey(rn, rc), colKey(n, c), role);
      }
    }
    frontier = next;
  }
  // Downstream: every reader of the value, to the end; row readers end the path at their model.
  frontier = [[nodeId, column]];
  while (frontier.length) {
    await store.detailsOf(frontier.map(([n]) => n));
    const next: Array<[string, string]> = [];
    for (const [n, c] of frontier) {
      for (const [dn, dc, role] of columnOf(store.detailNow(n), c)?.consumers ?? []) {
        const target = role === 'value' ? dc : '*';
        if (add(dn, target, 'down') && role === 'value') next.push([dn, dc]);
        if (result.columns.has(colKey(dn, target))) addEdge(colKey(n, c), colKey(dn, target), role);
      }
    }
    frontier = next;
  }
  return result;
}

export async function renderLineage(store: Store, nodeId: string, column: string, query: URLSearchParams, root: HTMLElement): Promise<void> {
  const n = store.node(nodeId);
  const d = n ? await store.detail(nodeId) : undefined;
  const col = d?.columns.find((c) => c.name === column);
  if (!n || !d || !col) return void root.append(notFound(`Column ${nodeId}.${column}`));

  const picker = h('select', { id: 'lineage-column', 'aria-label': 'column' }, d.columns.map((c) => h('option', { value: c.name, selected: c.name === column }, c.name)));
  picker.addEventListener('change', () => (location.hash = lineageHref(nodeId, picker.value)));

  const allRows = query.get('rows') === 'all';
  const rowsToggle = h('input', { type: 'checkbox', id: 'lineage-all-rows', checked: allRows });
  rowsToggle.addEventListener('change', () => (location.hash = lineageHref(nodeId, column) + (rowsToggle.checked ? '?rows=all' : '')));
  const lineage = await traceColumn(store, nodeId, column, { allRowDependencies: allRows });
  const nodes: GraphNode[] = [...lineage.columns.entries()].map(([key, c]) => {
    const owner = store.node(c.node);
    const cls = store.detailNow(c.node)?.columns.find((x) => x.name === c.column)?.classification ?? [];
    return {
      key,
      label: c.column === '*' ? '(rows)' : c.column,
      sub: `${owner?.name ?? c.node} · ${owner?.layer ?? '?'}${cls.length ? ' · ' + cls.join(', ') : ''}${c.direction === 'row' ? ' · row dep.' : ''}`,
      cls: `layer-${owner?.layer ?? 'none'} ${cls.map((x) => `has-${x}`).join(' ')} dir-${c.direction}`,
      title: `${c.node}.${c.column}`,
    };
  });
  const edges: GraphEdge[] = lineage.edges;
  const sources = col.sources;

  root.append(
    h(
      'div',
      { class: 'page-head' },
      h('div', { class: 'crumbs muted small' }, h('a', { href: nodeHref(n) }, n.name), ' / column lineage'),
      h('h1', {}, `${n.name}.`, picker, ' ', classBadges(col.classification)),
      h('p', { class: 'muted' }, `${col.type}${col.description ? ' · ' + col.description : ''}`),
      h(
        'p',
        { class: 'legend small' },
        h('span', { class: 'legend-value' }, '── value'),
        ' flows into the column · ',
        h('span', { class: 'legend-row' }, '- - filter / join / group'),
        ' decides which rows exist · double-click a column to follow its lineage · ',
        h('label', {}, rowsToggle, ' row dependencies of every model on the path'),
      ),
    ),
    h(
      'div',
      { class: 'card graph-card', id: 'lineage-graph' },
      renderGraph(nodes, edges, {
        focus: colKey(nodeId, column),
        nodeWidth: 230,
        height: Math.max(380, Math.min(700, window.innerHeight - 300)),
        onOpen: (key) => {
          const [node, c] = splitKey(key);
          if (node && c && c !== '*') location.hash = lineageHref(node, c);
          else if (node) {
            const target = store.node(node);
            if (target) location.hash = nodeHref(target);
          }
        },
      }),
      lineage.truncated ? h('p', { class: 'muted' }, `Showing the first ${MAX_LINEAGE_COLUMNS} columns of this lineage.`) : null,
    ),
    h(
      'div',
      { class: 'two-col' },
      section(
        'Derives from source columns',
        sources.length || n.kind === 'model'
          ? h('ul', { class: 'node-list lineage-sources' }, sources.map(([sn, sc]) => h('li', {}, nodeLinkById(store, sn, sc), ' ', h('a', { href: lineageHref(sn, sc), class: 'small' }, 'lineage'))))
          : h('p', { class: 'muted' }, 'This is a source column.'),
      ),
      section(
        'Feeds',
        (() => {
          const readers = [...lineage.columns.values()].filter((c) => c.direction === 'down');
          if (readers.length === 0) return h('p', { class: 'muted' }, 'Nothing downstream reads this column.');
          return h(
            'ul',
            { class: 'node-list lineage-readers' },
            readers.map((c) => h('li', {}, c.column === '*' ? h('span', {}, nodeLinkById(store, c.node), h('span', { class: 'muted small' }, ' (rows: filter/join)')) : nodeLinkById(store, c.node, c.column))),
          );
        })(),
      ),
    ),
  );
}
