/** A tiny DOM builder: text is always set as text, never parsed as HTML. */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Child | Child[]>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Array<Child | Child[]>): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
  }
}

export const CLASS_LABEL: Record<string, string> = { pii: 'PII', sensitive: 'sensitive', restricted: 'restricted' };

export function classBadges(classes: readonly string[]): HTMLElement[] {
  return classes.map((c) => h('span', { class: `badge class-${c}`, title: `classified ${c}` }, CLASS_LABEL[c] ?? c));
}

export function statusBadge(status: string | undefined): HTMLElement | null {
  if (!status) return null;
  return h('span', { class: `badge status-${status}`, title: `last run: ${status}` }, status);
}

export function layerBadge(layer: string): HTMLElement {
  return h('span', { class: `badge layer-${layer}` }, layer);
}

export function nodeHref(node: { kind: string; id: string }): string {
  return `#/${node.kind}/${encodeURIComponent(node.id)}`;
}

export function lineageHref(nodeId: string, column: string): string {
  return `#/lineage/${encodeURIComponent(nodeId)}/${encodeURIComponent(column)}`;
}

export function graphHref(select: string): string {
  return `#/graph?select=${encodeURIComponent(select)}`;
}

export function section(title: string, ...children: Array<Child | Child[]>): HTMLElement {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

export function table(headers: string[], rows: HTMLElement[], cls = ''): HTMLTableElement {
  return h('table', { class: `grid ${cls}` }, h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))), h('tbody', {}, rows));
}

export function formatSeconds(s: number | undefined): string {
  if (s === undefined) return '—';
  if (s % 86400 === 0) return `${s / 86400} d`;
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}
