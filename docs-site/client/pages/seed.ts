/** A seed's page: its CSV, table, typed columns (with lineage) and the models reading it. */
import { h, section } from '../dom.js';
import type { Store } from '../store.js';
import { keyValue, nodeList, notFound } from './common.js';
import { columnsTable, neighbourhoodSection } from './model.js';

export async function renderSeed(store: Store, id: string, root: HTMLElement): Promise<void> {
  const idx = store.indexOf(id);
  const n = idx === undefined ? undefined : store.nodes[idx];
  if (!n || n.kind !== 'seed') return void root.append(notFound(`Seed ${id}`));
  const d = (await store.detail(id))!;
  const s = d.seed!;
  root.append(
    h(
      'div',
      { class: 'page-head' },
      h('div', { class: 'crumbs muted small' }, h('a', { href: '#/' }, 'overview'), ` / ${n.layer} / seed`),
      h('h1', {}, n.name, ' ', h('span', { class: 'badge seed' }, 'seed'), ' ', h('span', { class: `badge layer-${n.layer}` }, n.layer)),
      d.description ? h('p', { class: 'description' }, d.description) : h('p', { class: 'muted' }, 'No description.'),
      keyValue([
        ['read with', h('code', {}, `{{ref "${n.name}"}}`)],
        ['owner', n.owner ?? '—'],
        ['rows', String(s.rowCount)],
        ['primary key', s.primaryKey.join(', ') || '—'],
        ['table', h('code', {}, s.relation)],
        ['location', h('code', {}, s.location)],
        ['CSV', h('code', {}, s.csv)],
        ['declared in', h('code', {}, n.file)],
      ]),
    ),
  );
  root.append(section(`Columns (${d.columns.length})`, columnsTable(store, id, d.columns, d.tests, false)));
  root.append(neighbourhoodSection(store, idx!));
  root.append(section('Read directly by', nodeList(store, n.children, 'No model reads this seed yet.')));
}
