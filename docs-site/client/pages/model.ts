/** A model's page: metadata, columns, tests, source vs compiled SQL, and its neighbourhood DAG. */
import type { ColumnDetail, NodeDetail, TestDetail } from '../../shared/site-data.js';
import { classBadges, graphHref, h, layerBadge, lineageHref, section, statusBadge, table } from '../dom.js';
import { neighbourhood } from '../neighbourhood.js';
import type { Store } from '../store.js';
import { dagOf, keyValue, nodeLinkById, nodeList, notFound } from './common.js';
import { modelExposuresSection } from './exposures.js';
import { hooksSection } from './hooks-section.js';

export function testsTable(tests: TestDetail[]): HTMLElement {
  if (tests.length === 0) return h('p', { class: 'muted' }, 'No tests declared.');
  return table(
    ['test', 'column', 'severity', 'last run', 'failing rows', 'SQL'],
    tests.map((t) =>
      h(
        'tr',
        { class: `test-row status-${t.status ?? 'none'}`, 'data-test': t.id },
        h('td', {}, t.test ? h('code', {}, t.test) : h('span', {}, 'singular'), ' ', h('span', { class: 'muted small' }, t.name), t.message ? h('div', { class: 'error-text small' }, t.message) : null),
        h('td', {}, t.column ?? '—'),
        h('td', {}, t.severity),
        h('td', {}, statusBadge(t.status) ?? h('span', { class: 'muted' }, 'not run')),
        h('td', {}, t.failures === undefined ? '—' : String(t.failures)),
        h('td', {}, h('details', {}, h('summary', {}, 'show'), h('pre', { class: 'sql' }, t.sql))),
      ),
    ),
  );
}

export function columnsTable(store: Store, nodeId: string, columns: ColumnDetail[], tests: TestDetail[], withLineage: boolean): HTMLElement {
  const testsByColumn = new Map<string, TestDetail[]>();
  for (const t of tests) if (t.column) (testsByColumn.get(t.column) ?? testsByColumn.set(t.column, []).get(t.column)!).push(t);
  return table(
    ['column', 'type', 'classification', 'description', 'tests', withLineage ? 'value from' : 'read by'],
    columns.map((c) =>
      h(
        'tr',
        { class: `col-row ${c.classification.map((x) => `has-${x}`).join(' ')}`, 'data-column': c.name },
        h(
          'td',
          {},
          h('a', { href: lineageHref(nodeId, c.name), class: 'col-link', title: 'column lineage' }, c.name),
          c.primaryKey ? h('span', { class: 'badge pk', title: 'primary key' }, 'PK') : null,
        ),
        h('td', {}, h('code', {}, c.type), c.nullable ? null : h('span', { class: 'muted small' }, ' not null')),
        h('td', {}, classBadges(c.classification)),
        h('td', {}, c.description ?? ''),
        h('td', {}, (testsByColumn.get(c.name) ?? []).map((t) => h('span', { class: `test-chip status-${t.status ?? 'none'}`, title: t.name }, t.test ?? t.name))),
        h(
          'td',
          { class: 'small' },
          withLineage
            ? c.upstream.map(([n, col]) => h('div', {}, nodeLinkById(store, n, col)))
            : `${c.consumers.length} reader${c.consumers.length === 1 ? '' : 's'}`,
        ),
      ),
    ),
    'columns',
  );
}

function depthControl(current: number, onChange: (d: number) => void): HTMLElement {
  const select = h('select', { 'aria-label': 'graph depth' }, [1, 2, 3, 5].map((d) => h('option', { value: d, selected: d === current }, `${d} level${d > 1 ? 's' : ''}`)));
  select.addEventListener('change', () => onChange(Number(select.value)));
  return h('label', { class: 'muted small' }, 'depth ', select);
}

export function neighbourhoodSection(store: Store, idx: number): HTMLElement {
  const n = store.nodes[idx]!;
  const holder = h('div', {});
  const draw = (depth: number) => {
    holder.replaceChildren(dagOf(store, neighbourhood(store.nodes, idx, depth, depth), n.id, 360));
  };
  draw(1);
  return section(
    'Lineage',
    h(
      'p',
      { class: 'muted small' },
      depthControl(1, draw),
      ' · ',
      h('a', { href: graphHref(`+${n.kind === 'model' ? n.name : n.id}+`) }, 'open full up/downstream in the graph'),
    ),
    holder,
  );
}

export async function renderModel(store: Store, id: string, root: HTMLElement): Promise<void> {
  const idx = store.indexOf(id);
  const n = idx === undefined ? undefined : store.nodes[idx];
  if (!n || n.kind !== 'model') return void root.append(notFound(`Model ${id}`));
  const d = (await store.detail(id)) as NodeDetail;
  const m = d.model!;
  const cfg = m.config as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.join(', ') : v === undefined ? undefined : String(v));

  root.append(
    h(
      'div',
      { class: 'page-head' },
      h('div', { class: 'crumbs muted small' }, h('a', { href: '#/' }, 'overview'), ` / ${n.layer} / model`),
      h('h1', {}, n.name, ' ', layerBadge(n.layer), h('span', { class: `badge mat mat-${n.materialized ?? ''}` }, n.materialized ?? ''), ' ', statusBadge(n.status)),
      d.description ? h('p', { class: 'description' }, d.description) : h('p', { class: 'muted' }, 'No description.'),
      keyValue([
        ['owner', n.owner ?? '—'],
        ['tags', n.tags.length ? h('span', {}, n.tags.map((t) => h('a', { href: graphHref(`tag:${t}`), class: 'tag' }, t))) : '—'],
        ['materialized', `${n.materialized}${cfg.incremental_strategy ? ` (${cfg.incremental_strategy})` : ''}`],
        ['history', snapshotSummary(cfg)],
        ['unique key', list(cfg.unique_key)],
        ['partitioned by', list(cfg.partition_by)],
        ['z-ordered by', list(cfg.zorder_by)],
        ['on schema change', typeof cfg.on_schema_change === 'string' ? cfg.on_schema_change : undefined],
        ['relation', m.relation ? h('code', {}, m.relation.fqn) : 'ephemeral (inlined as a CTE)'],
        ['location', m.relation?.location],
        ['file', h('code', {}, m.file)],
        ['metadata', m.metaFile ? h('code', {}, m.metaFile) : undefined],
        ['last run', d.run ? h('span', {}, statusBadge(d.run.status), d.run.executionTime !== undefined ? ` in ${d.run.executionTime.toFixed(1)} s` : '', d.run.message ? h('div', { class: 'error-text small' }, d.run.message) : null) : undefined],
      ]),
    ),
  );

  root.append(section(`Columns (${d.columns.length})`, columnsTable(store, id, d.columns, d.tests, true)));
  const hooks = hooksSection(cfg);
  if (hooks) root.append(hooks);

  if (d.rowDependencies.length) {
    root.append(
      section(
        'Row dependencies',
        h('p', { class: 'muted small' }, 'Columns that decide which rows this model has, without flowing into a value.'),
        h('ul', { class: 'node-list' }, d.rowDependencies.map(([node, col, role]) => h('li', {}, h('span', { class: `badge role role-${role}` }, role), ' ', nodeLinkById(store, node, col)))),
      ),
    );
  }

  root.append(section(`Tests (${d.tests.length})`, testsTable(d.tests)));
  const exposures = modelExposuresSection(store, idx!);
  if (exposures) root.append(exposures);
  if (d.unitTests?.length) {
    root.append(
      section(
        `Unit tests (${d.unitTests.length})`,
        table(
          ['unit test', 'given', 'expected rows', 'last run'],
          d.unitTests.map((u) =>
            h(
              'tr',
              { class: `unit-test-row status-${u.status ?? 'none'}` },
              h('td', {}, u.name, h('div', { class: 'muted small' }, u.file), u.message ? h('div', { class: 'error-text small' }, u.message) : null),
              h('td', {}, u.inputs.map(([input, rows]) => h('div', {}, nodeLinkById(store, input), h('span', { class: 'muted small' }, ` ${rows} row${rows === 1 ? '' : 's'}`)))),
              h('td', {}, String(u.expectRows)),
              h('td', {}, statusBadge(u.status) ?? h('span', { class: 'muted' }, 'not run')),
            ),
          ),
        ),
      ),
    );
  }

  root.append(
    section(
      'SQL',
      h(
        'div',
        { class: 'sql-pair' },
        h('div', {}, h('h3', {}, `Source · ${m.file}`), h('pre', { class: 'sql source-sql' }, m.rawSql ?? '(file not available when the docs were generated)')),
        h('div', {}, h('h3', {}, 'Compiled'), h('pre', { class: 'sql compiled-sql' }, m.compiledSql)),
      ),
      h(
        'details',
        {},
        h('summary', {}, 'materialization statements'),
        h('pre', { class: 'sql' }, [...m.statements.full, ...(m.statements.incremental ? ['-- incremental', ...m.statements.incremental] : []), ...m.statements.post].join(';\n\n')),
      ),
    ),
  );

  root.append(neighbourhoodSection(store, idx!));
  root.append(
    h(
      'div',
      { class: 'two-col' },
      section('Upstream', nodeList(store, n.parents, 'No parents.')),
      section('Downstream', nodeList(store, n.children, 'Nothing reads this model yet.')),
    ),
  );
}

/** A snapshot's strategy in words (SCD type 2: valid_from, valid_to, is_current, change_hash); other models have none. */
function snapshotSummary(cfg: Record<string, unknown>): string | undefined {
  if (cfg.strategy === undefined) return undefined;
  const by = cfg.strategy === 'timestamp' ? `a new version when ${String(cfg.updated_at)} changes` : `a new version when ${((cfg.check_cols as string[] | undefined) ?? []).join(', ')} change`;
  return `snapshot (SCD type 2, ${String(cfg.strategy)} strategy): ${by}${cfg.invalidate_hard_deletes ? '; deleted keys are closed' : ''}; valid_from, valid_to, is_current`;
}
