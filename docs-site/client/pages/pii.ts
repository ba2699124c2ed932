/** Every gold column that derives from a PII source column (or is itself classified PII). */
import { classBadges, h, lineageHref, section } from '../dom.js';
import type { Store } from '../store.js';
import { nodeLink } from './common.js';

const MAX_ROWS = 1000;

export async function renderPii(store: Store, root: HTMLElement): Promise<void> {
  const rows = await store.piiGold();
  const unmarked = rows.filter((r) => !r.classification.includes('pii')).length;
  const filter = h('input', { type: 'search', id: 'pii-filter', placeholder: 'filter by model or column' });
  const body = h('tbody', {});
  const more = h('p', { class: 'muted' });
  const draw = () => {
    const q = filter.value.trim().toLowerCase();
    const matching = rows.filter((r) => !q || `${store.nodes[r.node]!.name}.${r.column}`.toLowerCase().includes(q));
    // A big project can have tens of thousands: draw a page of them, the filter finds the rest.
    more.textContent = matching.length > MAX_ROWS ? `Showing ${MAX_ROWS} of ${matching.length}: filter to narrow.` : '';
    body.replaceChildren(
      ...matching
        .slice(0, MAX_ROWS)
        .map((r) => {
          const n = store.nodes[r.node]!;
          const marked = r.classification.includes('pii');
          return h(
            'tr',
            { class: `pii-row ${marked ? '' : 'unmarked'}`, 'data-column': `${n.name}.${r.column}` },
            h('td', {}, nodeLink(store, r.node)),
            h('td', {}, h('a', { href: lineageHref(n.id, r.column) }, r.column)),
            h('td', {}, classBadges(r.classification), marked ? null : h('span', { class: 'badge warn-badge', title: 'derived from PII but not classified PII' }, 'derived, unclassified')),
            h('td', {}, r.piiSources.map(([s, c]) => h('div', {}, h('a', { href: lineageHref(store.nodes[s]!.id, c) }, `${store.nodes[s]!.name}.${c}`)))),
          );
        }),
    );
  };
  filter.addEventListener('input', draw);
  draw();
  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'PII in gold'), h('p', { class: 'muted' }, `${rows.length} gold column${rows.length === 1 ? '' : 's'} derive from personal data; ${unmarked} ${unmarked === 1 ? 'is' : 'are'} not itself classified PII (hashed or aggregated values): check ${unmarked === 1 ? 'it is' : 'they are'} safe to expose.`)),
    section('Gold columns derived from PII', filter, h('table', { class: 'grid', id: 'pii-table' }, h('thead', {}, h('tr', {}, ['gold model', 'column', 'classification', 'PII source columns'].map((x) => h('th', {}, x)))), body), more),
  );
}
