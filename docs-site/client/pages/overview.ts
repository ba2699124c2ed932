/** Overview: layers, sources, counts and health. Reads the index only (no chunk loads). */
import type { IndexNode } from '../../shared/site-data.js';
import { classBadges, graphHref, h, layerBadge, section, statusBadge, table } from '../dom.js';
import type { Store } from '../store.js';
import { nodeLink } from './common.js';

const LIST_LIMIT = 60;

function countBy<T>(items: T[], key: (t: T) => string | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) {
    const k = key(t);
    if (k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

function stat(label: string, value: string | number, detail?: string, href?: string): HTMLElement {
  const body = [h('div', { class: 'stat-value' }, String(value)), h('div', { class: 'stat-label' }, label), detail ? h('div', { class: 'muted small' }, detail) : null];
  return href ? h('a', { class: 'stat', href }, body) : h('div', { class: 'stat' }, body);
}

const fmt = (m: Map<string, number>) => [...m].map(([k, v]) => `${v} ${k}`).join(' · ');

export function renderOverview(store: Store, root: HTMLElement): void {
  const { index, nodes } = store;
  const sources = nodes.filter((n) => n.kind === 'source');
  const models = nodes.filter((n) => n.kind === 'model');
  const silver = models.filter((n) => n.layer === 'silver');
  const gold = models.filter((n) => n.layer === 'gold');
  const t = index.testTotals;
  const runCounts = countBy(nodes, (n) => n.status);
  const columns = nodes.reduce((s, n) => s + n.columnCount, 0);

  root.append(
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, index.project.name),
      h(
        'p',
        { class: 'muted' },
        `target ${index.project.target || '—'} · generated ${index.project.generatedAt} by ${index.project.generator}`,
        index.run ? ` · last run ${index.run.generatedAt ?? '(time unknown)'} (${index.run.nodeCount} results)` : ' · no run results yet',
      ),
    ),
    h(
      'div',
      { class: 'stats' },
      stat('bronze sources', sources.length, fmt(countBy(sources, (n) => n.system)), graphHref('layer:bronze')),
      stat('silver models', silver.length, fmt(countBy(silver, (n) => n.materialized)), graphHref('layer:silver')),
      stat('gold models', gold.length, fmt(countBy(gold, (n) => n.materialized)), graphHref('layer:gold')),
      stat('columns', columns, `${nodes.filter((n) => n.classes.includes('pii')).length} nodes hold PII`),
      stat('tests', t.total, t.total ? `${t.pass} pass · ${t.fail} fail · ${t.warn} warn · ${t.error} error · ${t.notRun} not run` : 'none declared', '#/tests'),
      stat('gold columns from PII', index.piiGoldCount, 'derived from PII source columns', '#/pii'),
      stat(
        'last run',
        index.run ? `${(runCounts.get('success') ?? 0) + (runCounts.get('pass') ?? 0)}/${[...runCounts.values()].reduce((a, b) => a + b, 0)} ok` : 'not run',
        index.run ? `${fmt(runCounts)}${index.run.generatedAt ? ' · ' + index.run.generatedAt : ''}` : 'no target/run_results.json',
      ),
    ),
  );

  const attention = nodes
    .map((n, i) => [n, i] as const)
    .filter(([n]) => n.status === 'error' || n.status === 'fail' || n.status === 'warn' || n.tests.fail > 0 || n.tests.error > 0 || n.tests.warn > 0);
  root.append(
    section(
      'Health',
      attention.length === 0
        ? h('p', { class: 'ok' }, index.run ? 'Every node and test in the last run passed.' : 'No run results: run `etl run` to see statuses here.')
        : table(
            ['node', 'layer', 'last run', 'tests failing', 'tests warning'],
            attention.slice(0, LIST_LIMIT).map(([n, i]) =>
              h('tr', {}, h('td', {}, nodeLink(store, i)), h('td', {}, layerBadge(n.layer)), h('td', {}, statusBadge(n.status)), h('td', {}, String(n.tests.fail + n.tests.error)), h('td', {}, String(n.tests.warn))),
            ),
            'health',
          ),
    ),
  );

  root.append(
    section(
      'Sources',
      table(
        ['source table', 'system', 'columns', 'classification', 'tags', 'downstream', 'last check'],
        sources.map((n) => {
          const i = store.indexOf(n.id)!;
          return h(
            'tr',
            {},
            h('td', {}, nodeLink(store, i)),
            h('td', {}, h('span', { class: `badge system-${n.system}` }, n.system ?? '')),
            h('td', {}, String(n.columnCount)),
            h('td', {}, classBadges(n.classes)),
            h('td', {}, n.tags.join(', ')),
            h('td', {}, String(n.children.length)),
            h('td', {}, statusBadge(n.status)),
          );
        }),
      ),
    ),
  );

  for (const [layer, list] of [['silver', silver], ['gold', gold]] as Array<[string, IndexNode[]]>) {
    const shown = list.slice(0, LIST_LIMIT);
    root.append(
      section(
        `${layer[0]!.toUpperCase()}${layer.slice(1)} models`,
        table(
          ['model', 'materialized', 'owner', 'tags', 'classification', 'tests', 'last run'],
          shown.map((n) => {
            const i = store.indexOf(n.id)!;
            return h(
              'tr',
              {},
              h('td', {}, nodeLink(store, i), n.summary ? h('div', { class: 'muted small' }, n.summary) : null),
              h('td', {}, n.materialized ?? ''),
              h('td', {}, n.owner ?? ''),
              h('td', {}, n.tags.join(', ')),
              h('td', {}, classBadges(n.classes)),
              h('td', {}, n.tests.total ? `${n.tests.pass}/${n.tests.total}` : '—'),
              h('td', {}, statusBadge(n.status)),
            );
          }),
        ),
        list.length > shown.length
          ? h('p', { class: 'muted' }, `…and ${list.length - shown.length} more: use search, or `, h('a', { href: graphHref(`layer:${layer}`) }, 'the graph'), ' with a selection.')
          : null,
      ),
    );
  }

  if (index.warnings.length) {
    root.append(section('Generator warnings', h('ul', {}, index.warnings.map((w) => h('li', {}, w)))));
  }
}
