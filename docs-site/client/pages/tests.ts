/** All tests with their last-run status, failing first. Loads data/tests.js on demand. */
import { h, section, statusBadge, table } from '../dom.js';
import type { Store } from '../store.js';
import { nodeLink } from './common.js';

const ORDER: Record<string, number> = { error: 0, fail: 1, warn: 2, pass: 4, success: 4, skipped: 5 };
const PAGE = 500;

export async function renderTests(store: Store, root: HTMLElement): Promise<void> {
  const rows = await store.allTests();
  rows.sort((a, b) => (ORDER[a.status ?? ''] ?? 3) - (ORDER[b.status ?? ''] ?? 3) || a.name.localeCompare(b.name));
  const t = store.index.testTotals;
  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Tests'), h('p', { class: 'muted' }, `${t.total} tests: ${t.pass} pass, ${t.fail} fail, ${t.warn} warn, ${t.error} error, ${t.notRun} not run.`)),
    section(
      'Tests by status',
      table(
        ['test', 'on', 'column', 'severity', 'last run', 'failing rows', 'message'],
        rows.slice(0, PAGE).map((r) =>
          h(
            'tr',
            { class: `test-row status-${r.status ?? 'none'}` },
            h('td', {}, r.test ? h('code', {}, r.test) : 'singular', ' ', h('span', { class: 'muted small' }, r.name)),
            h('td', {}, nodeLink(store, r.node)),
            h('td', {}, r.column ?? '—'),
            h('td', {}, r.severity),
            h('td', {}, statusBadge(r.status) ?? h('span', { class: 'muted' }, 'not run')),
            h('td', {}, r.failures === undefined ? '—' : String(r.failures)),
            h('td', { class: 'small' }, r.message ?? ''),
          ),
        ),
      ),
      rows.length > PAGE ? h('p', { class: 'muted' }, `Showing the first ${PAGE} of ${rows.length}.`) : null,
    ),
  );
}
