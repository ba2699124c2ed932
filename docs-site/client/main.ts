/**
 * The docs app: a hash router over a few pages, a header with instant search, and a `ready`
 * marker (body[data-ready] = the route) that tests and the benchmark wait for.
 */
import { classBadges, h, lineageHref, nodeHref } from './dom.js';
import { renderExposures } from './pages/exposures.js';
import { renderGraphPage } from './pages/graph.js';
import { renderLineage } from './pages/lineage.js';
import { renderModel } from './pages/model.js';
import { renderOverview } from './pages/overview.js';
import { renderPii } from './pages/pii.js';
import { renderGovernance } from './pages/governance.js';
import { renderSource } from './pages/source.js';
import { renderSeed } from './pages/seed.js';
import { renderTests } from './pages/tests.js';
import { SearchIndex, type SearchHit } from './search.js';
import { Store } from './store.js';

function hitHref(store: Store, hit: SearchHit): string {
  const n = store.nodes[hit.node]!;
  return hit.kind === 'column' ? lineageHref(n.id, hit.column!) : nodeHref(n);
}

function searchBox(store: Store): HTMLElement {
  const index = new SearchIndex(store.nodes);
  const input = h('input', { type: 'search', id: 'search', placeholder: 'Search models, sources, columns  ( / )', autocomplete: 'off', spellcheck: 'false' });
  const list = h('ul', { id: 'search-results', class: 'search-results', hidden: true });
  let hits: SearchHit[] = [];
  let active = 0;
  let columnsRequested = false;
  const loadColumns = () => {
    if (columnsRequested) return;
    columnsRequested = true;
    store
      .searchColumns()
      .then((cols) => {
        index.addColumns(cols);
        if (input.value) update();
      })
      .catch((err: Error) => console.warn(err.message));
  };
  const close = () => {
    list.hidden = true;
  };
  const update = () => {
    hits = index.search(input.value);
    active = 0;
    list.replaceChildren(
      ...hits.map((hit, i) => {
        const n = store.nodes[hit.node]!;
        return h(
          'li',
          {},
          h(
            'a',
            { href: hitHref(store, hit), class: `search-result ${i === 0 ? 'active' : ''}`, 'data-kind': hit.kind, onclick: close },
            h('span', { class: `badge kind-${hit.kind}` }, hit.kind),
            ' ',
            h('span', { class: 'hit-label' }, hit.label),
            ' ',
            h('span', { class: `badge layer-${n.layer}` }, n.layer),
            hit.classes ? classBadges(hit.classes.split(',')) : null,
            hit.kind !== 'column' && n.summary ? h('span', { class: 'muted small hit-summary' }, n.summary) : null,
          ),
        );
      }),
    );
    if (input.value.trim() && hits.length === 0) list.replaceChildren(h('li', { class: 'muted no-hits' }, index.hasColumns ? 'No match.' : 'No match (loading columns…)'));
    list.hidden = !input.value.trim();
  };
  const move = (delta: number) => {
    const links = list.querySelectorAll('a.search-result');
    if (!links.length) return;
    links[active]?.classList.remove('active');
    active = (active + delta + links.length) % links.length;
    links[active]?.classList.add('active');
    links[active]?.scrollIntoView({ block: 'nearest' });
  };
  input.addEventListener('focus', loadColumns);
  input.addEventListener('input', () => {
    loadColumns();
    update();
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown') (ev.preventDefault(), move(1));
    else if (ev.key === 'ArrowUp') (ev.preventDefault(), move(-1));
    else if (ev.key === 'Escape') close();
    else if (ev.key === 'Enter' && hits[active]) {
      location.hash = hitHref(store, hits[active]!);
      close();
      input.blur();
    }
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === '/' && document.activeElement?.tagName !== 'INPUT') (ev.preventDefault(), input.focus());
  });
  document.addEventListener('click', (ev) => {
    if (!(ev.target as Element).closest('.search')) close();
  });
  return h('div', { class: 'search' }, input, list);
}

function boot(): void {
  const app = document.getElementById('app')!;
  const index = window.__etlDocsIndex;
  if (!index) {
    app.replaceChildren(h('div', { class: 'card error-text' }, 'data/index.js did not load: regenerate the site with `etl docs generate`.'));
    return;
  }
  const store = new Store(index);
  const main = h('main', { id: 'main' });
  const nav = h(
    'nav',
    {},
    h('a', { href: '#/' }, 'Overview'),
    h('a', { href: '#/graph' }, 'Graph'),
    h('a', { href: '#/pii' }, 'PII in gold'),
    h('a', { href: '#/governance' }, 'Governance'),
    h('a', { href: '#/tests' }, 'Tests'),
    h('a', { href: '#/exposures' }, 'Exposures'),
  );
  app.replaceChildren(h('header', {}, h('a', { href: '#/', class: 'brand' }, index.project.name), nav, searchBox(store)), main);

  let token = 0;
  const route = async () => {
    const my = ++token;
    const hash = location.hash || '#/';
    const [path, query = ''] = hash.slice(1).split('?');
    const parts = (path ?? '/').split('/').filter(Boolean).map(decodeURIComponent);
    const page = h('div', { class: 'page' });
    delete document.body.dataset.ready;
    try {
      switch (parts[0]) {
        case undefined:
          renderOverview(store, page);
          break;
        case 'model':
          await renderModel(store, parts[1] ?? '', page);
          break;
        case 'source':
          await renderSource(store, parts[1] ?? '', page);
          break;
        case 'seed':
          await renderSeed(store, parts[1] ?? '', page);
          break;
        case 'lineage':
          await renderLineage(store, parts[1] ?? '', parts.slice(2).join('/'), new URLSearchParams(query), page);
          break;
        case 'graph':
          renderGraphPage(store, new URLSearchParams(query), page);
          break;
        case 'pii':
          await renderPii(store, page);
          break;
        case 'governance':
          await renderGovernance(store, new URLSearchParams(query), page);
          break;
        case 'tests':
          await renderTests(store, page);
          break;
        case 'exposures':
          renderExposures(store, parts[1] ?? '', page);
          break;
        default:
          page.append(h('div', { class: 'card' }, `No page at ${hash}. `, h('a', { href: '#/' }, 'Back to the overview')));
      }
    } catch (err) {
      page.replaceChildren(h('div', { class: 'card error-text' }, `This page could not be shown: ${(err as Error).message}`));
    }
    if (my !== token) return; // a newer navigation won
    main.replaceChildren(page);
    window.scrollTo(0, 0);
    for (const a of Array.from(nav.querySelectorAll("a"))) a.classList.toggle('current', hash === a.getAttribute('href') || (hash.startsWith(a.getAttribute('href')!) && a.getAttribute('href') !== '#/'));
    document.body.dataset.ready = hash;
    window.__etlDocsReady = { route: hash, at: performance.now() };
  };
  window.addEventListener('hashchange', () => void route());
  void route();
}

boot();
