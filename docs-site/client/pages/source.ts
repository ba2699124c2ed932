/** A source table's page: system, settings (secrets by env var name only), freshness, ingestion, downstream. */
import { formatSeconds, h, section, statusBadge, table } from '../dom.js';
import type { Store } from '../store.js';
import { keyValue, nodeList, notFound } from './common.js';
import { columnsTable, neighbourhoodSection, testsTable } from './model.js';

function isEnvRef(v: unknown): v is { env: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { env?: unknown }).env === 'string';
}

/** Settings as nested key/value rows; `{env: NAME}` shows the variable's name, never a value. */
export function settingsView(value: unknown): Node {
  if (isEnvRef(value)) return h('span', { class: 'secret', title: 'read from this environment variable at run time; the value is never in the docs' }, h('span', { class: 'secret-tag' }, 'env'), ' $', value.env);
  if (Array.isArray(value)) return h('span', {}, value.map((v, i) => h('span', {}, i ? ', ' : '', settingsView(v))));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return h('span', { class: 'muted' }, '—');
    return h('dl', { class: 'kv nested' }, entries.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, settingsView(v))]));
  }
  return h('code', {}, value === null ? 'null' : String(value));
}

export async function renderSource(store: Store, id: string, root: HTMLElement): Promise<void> {
  const idx = store.indexOf(id);
  const n = idx === undefined ? undefined : store.nodes[idx];
  if (!n || n.kind !== 'source') return void root.append(notFound(`Source ${id}`));
  const d = (await store.detail(id))!;
  const s = d.source!;

  // Downstream through every level, from the index (no chunk loads).
  const downstream = new Set<number>();
  const stack = [...n.children];
  while (stack.length) {
    const i = stack.pop()!;
    if (!downstream.has(i)) (downstream.add(i), stack.push(...store.nodes[i]!.children));
  }
  const gold = [...downstream].filter((i) => store.nodes[i]!.layer === 'gold');

  root.append(
    h(
      'div',
      { class: 'page-head' },
      h('div', { class: 'crumbs muted small' }, h('a', { href: '#/' }, 'overview'), ' / bronze / source'),
      h('h1', {}, n.name, ' ', h('span', { class: `badge system-${s.system}` }, s.system), ' ', h('span', { class: 'badge layer-bronze' }, 'bronze'), ' ', statusBadge(n.status)),
      d.description ? h('p', { class: 'description' }, d.description) : h('p', { class: 'muted' }, 'No description.'),
      keyValue([
        ['system', s.system],
        ['source name', h('code', {}, `{{source "${s.sourceName}" "${s.table}"}}`)],
        ['owner', n.owner ?? '—'],
        ['tags', n.tags.join(', ') || '—'],
        ['primary key', s.primaryKey.join(', ') || '—'],
        ['incremental cursor', s.cursor ?? 'none (full extract)'],
        ['schema drift', s.drift],
        ['bronze table', h('code', {}, s.bronze.relation)],
        ['location', h('code', {}, s.bronze.location)],
        ['partitioned by', s.bronze.partitionBy.join(', ')],
        ['ingestion job', h('code', { class: 'ingestion-job' }, s.ingestionJob)],
        ['declared in', h('code', {}, n.file)],
      ]),
    ),
  );

  root.append(
    section(
      'Freshness SLA',
      s.freshness
        ? keyValue([
            ['loaded-at column', h('code', {}, s.freshness.loadedAtColumn)],
            ['warn after', formatSeconds(s.freshness.warnAfterSeconds)],
            ['error after', formatSeconds(s.freshness.errorAfterSeconds)],
            ['last check', statusBadge(n.status) ?? 'not checked'],
          ])
        : h('p', { class: 'muted' }, 'No freshness SLA declared.'),
    ),
    h(
      'div',
      { class: 'two-col' },
      section('Connection', h('div', { class: 'settings connection' }, settingsView(s.connection))),
      section('Table settings', h('div', { class: 'settings table-settings' }, settingsView(s.settings))),
    ),
  );

  root.append(section(`Columns (${d.columns.length})`, columnsTable(store, id, d.columns, d.tests, false)));
  root.append(
    section(
      'Bronze metadata columns',
      table(['column', 'type'], s.bronze.metadataColumns.map((c) => h('tr', {}, h('td', {}, h('code', {}, c.name)), h('td', {}, h('code', {}, c.type))))),
    ),
  );
  if (d.tests.length) root.append(section(`Tests (${d.tests.length})`, testsTable(d.tests)));
  root.append(neighbourhoodSection(store, idx!));
  root.append(
    h(
      'div',
      { class: 'two-col' },
      section('Read directly by', nodeList(store, n.children, 'No model reads this source yet.')),
      section(`Gold models downstream (${gold.length})`, nodeList(store, gold.slice(0, 200), 'No gold model depends on this source.')),
    ),
  );
}
