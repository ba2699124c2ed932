/**
 * An SVG DAG with pan (drag), zoom (wheel, buttons) and upstream/downstream highlight (click).
 * It draws only what it is given: callers pass a neighbourhood or a filtered selection, never the
 * whole project, so layout and DOM stay small at any project size.
 */
import { edgeGeometry, placeEdgeLabels } from '../shared/edge-labels.js';
import { layeredLayout } from '../shared/layout.js';
import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

export interface GraphNode {
  key: string;
  label: string;
  sub?: string;
  /** Extra CSS classes: layer, classification, status, `focus`. */
  cls?: string;
  title?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** `value`, or a row role (filter, join, group...) drawn dashed and labelled. */
  kind?: string;
}

export interface GraphViewOptions {
  focus?: string;
  /** Double-click (or Enter) on a node. */
  onOpen?: (key: string) => void;
  nodeWidth?: number;
  height?: number;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

export function renderGraph(nodes: GraphNode[], edges: GraphEdge[], opts: GraphViewOptions = {}): HTMLElement {
  const W = opts.nodeWidth ?? 190;
  const H = 40;
  const keyIndex = new Map(nodes.map((n, i) => [n.key, i]));
  const idxEdges = edges
    .map((e) => [keyIndex.get(e.from), keyIndex.get(e.to), e] as const)
    .filter((e): e is readonly [number, number, GraphEdge] => e[0] !== undefined && e[1] !== undefined);
  const layout = layeredLayout(nodes.length, idxEdges.map(([a, b]) => [a, b]), { nodeWidth: W, nodeHeight: H, gapX: 70, gapY: 16 });

  const root = svg('svg', { class: 'graph-svg', role: 'img' });
  const world = svg('g');
  root.append(world);

  const edgeEls: SVGPathElement[] = [];
  const edgeGroup = svg('g', { class: 'edges' });
  const geometry = edgeGeometry(layout, idxEdges.map(([a, b]) => [a, b] as const), W, H);
  const labelled: Array<{ at: { x: number; y: number }; text: string }> = [];
  idxEdges.forEach(([, , e], k) => {
    const kind = e.kind ?? 'value';
    const path = svg('path', {
      d: geometry[k]!.d,
      class: `edge edge-${kind === 'value' ? 'value' : 'row'}`,
      'data-from': e.from,
      'data-to': e.to,
      'data-kind': kind,
      'marker-end': 'url(#arrow)',
    });
    edgeEls.push(path);
    edgeGroup.append(path);
    if (kind !== 'value') labelled.push({ at: geometry[k]!.mid, text: kind });
  });
  // On each edge where edges leaving one node have fanned apart, moved apart where they would overlap.
  placeEdgeLabels(labelled).forEach((box, i) => {
    const label = svg('text', { x: box.x, y: box.y, class: 'edge-label', 'text-anchor': 'middle' });
    label.textContent = labelled[i]!.text;
    edgeGroup.append(label);
  });
  const defs = svg('defs');
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }));
  defs.append(marker);
  root.prepend(defs);
  world.append(edgeGroup);

  const nodeEls: SVGGElement[] = [];
  const nodeGroup = svg('g', { class: 'nodes' });
  nodes.forEach((n, i) => {
    const g = svg('g', {
      class: `gnode ${n.cls ?? ''} ${n.key === opts.focus ? 'focus' : ''}`,
      transform: `translate(${layout.x[i]},${layout.y[i]})`,
      'data-key': n.key,
      tabindex: 0,
    });
    const rect = svg('rect', { width: W, height: H, rx: 6 });
    const title = svg('title');
    title.textContent = n.title ?? n.label;
    const label = svg('text', { x: 8, y: n.sub ? 16 : 24, class: 'glabel' });
    label.textContent = clip(n.label, Math.floor(W / 7.2));
    g.append(title, rect, label);
    if (n.sub) {
      const sub = svg('text', { x: 8, y: 31, class: 'gsub' });
      sub.textContent = clip(n.sub, Math.floor(W / 6.2));
      g.append(sub);
    }
    nodeEls.push(g);
    nodeGroup.append(g);
  });
  world.append(nodeGroup);

  // Highlight: ancestors and descendants of the clicked node, over the drawn edges only.
  const out = new Map<string, string[]>();
  const inn = new Map<string, string[]>();
  for (const [, , e] of idxEdges) {
    (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e.to);
    (inn.get(e.to) ?? inn.set(e.to, []).get(e.to)!).push(e.from);
  }
  const reach = (start: string, adj: Map<string, string[]>) => {
    const seen = new Set<string>([start]);
    const stack = [start];
    while (stack.length) for (const n of adj.get(stack.pop()!) ?? []) if (!seen.has(n)) (seen.add(n), stack.push(n));
    return seen;
  };
  let selected: string | undefined;
  const highlight = (key: string | undefined) => {
    selected = key;
    root.classList.toggle('has-selection', key !== undefined);
    if (key === undefined) {
      for (const el of nodeEls) el.classList.remove('up', 'down', 'selected');
      for (const el of edgeEls) el.classList.remove('up', 'down');
      return;
    }
    const up = reach(key, inn);
    const down = reach(key, out);
    for (const el of nodeEls) {
      const k = el.dataset.key!;
      el.classList.toggle('selected', k === key);
      el.classList.toggle('up', k !== key && up.has(k));
      el.classList.toggle('down', k !== key && down.has(k));
    }
    for (const el of edgeEls) {
      const f = el.dataset.from!;
      const t = el.dataset.to!;
      el.classList.toggle('up', up.has(f) && up.has(t));
      el.classList.toggle('down', down.has(f) && down.has(t));
    }
  };

  // Pan and zoom through one transform on the world group.
  const view = { x: 20, y: 20, k: 1 };
  const apply = () => world.setAttribute('transform', `translate(${view.x},${view.y}) scale(${view.k})`);
  const zoomAt = (factor: number, cx: number, cy: number) => {
    const k = Math.min(3, Math.max(0.05, view.k * factor));
    view.x = cx - ((cx - view.x) * k) / view.k;
    view.y = cy - ((cy - view.y) * k) / view.k;
    view.k = k;
    apply();
  };
  const fit = () => {
    const box = root.getBoundingClientRect();
    const bw = box.width || 800;
    const bh = box.height || (opts.height ?? 480);
    const k = Math.min(1.2, (bw - 40) / Math.max(layout.width, 1), (bh - 40) / Math.max(layout.height, 1));
    view.k = Math.max(0.05, k);
    view.x = (bw - layout.width * view.k) / 2;
    view.y = (bh - layout.height * view.k) / 2;
    apply();
  };
  root.addEventListener(
    'wheel',
    (ev) => {
      ev.preventDefault();
      const box = root.getBoundingClientRect();
      zoomAt(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - box.left, ev.clientY - box.top);
    },
    { passive: false },
  );
  let drag: { x: number; y: number; vx: number; vy: number; moved: boolean } | undefined;
  root.addEventListener('pointerdown', (ev) => {
    drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, moved: false };
  });
  root.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x;
    const dy = ev.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!drag.moved) root.setPointerCapture(ev.pointerId);
    drag.moved = true;
    view.x = drag.vx + dx;
    view.y = drag.vy + dy;
    apply();
  });
  root.addEventListener('pointerup', (ev) => {
    const wasDrag = drag?.moved;
    drag = undefined;
    if (wasDrag) return;
    const g = (ev.target as Element).closest('.gnode') as SVGGElement | null;
    highlight(g ? (g.dataset.key === selected ? undefined : g.dataset.key) : undefined);
  });
  root.addEventListener('dblclick', (ev) => {
    const g = (ev.target as Element).closest('.gnode') as SVGGElement | null;
    if (g && opts.onOpen) opts.onOpen(g.dataset.key!);
  });
  root.addEventListener('keydown', (ev) => {
    const g = (ev.target as Element).closest?.('.gnode') as SVGGElement | null;
    if (g && ev.key === 'Enter' && opts.onOpen) opts.onOpen(g.dataset.key!);
  });

  const centre = () => {
    const box = root.getBoundingClientRect();
    return [box.width / 2, box.height / 2] as const;
  };
  const toolbar = h(
    'div',
    { class: 'graph-toolbar' },
    h('button', { type: 'button', title: 'Zoom in', onclick: () => zoomAt(1.25, ...centre()) }, '+'),
    h('button', { type: 'button', title: 'Zoom out', onclick: () => zoomAt(0.8, ...centre()) }, '−'),
    h('button', { type: 'button', title: 'Fit to view', onclick: fit }, 'fit'),
    h('span', { class: 'muted' }, `${nodes.length} nodes · ${idxEdges.length} edges · click: highlight up/downstream · double-click: open`),
  );
  const wrap = h('div', { class: 'graph' }, toolbar);
  root.style.height = `${opts.height ?? 480}px`;
  wrap.append(root);
  apply();
  // Fit once the element is in the document and has a size.
  requestAnimationFrame(fit);
  if (opts.focus) requestAnimationFrame(() => highlight(opts.focus));
  return wrap;
}
