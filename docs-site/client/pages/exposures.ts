/**
 * Exposures: the dashboards, notebooks and applications that read the project's models, one section
 * each (tool, owner, URL, the models and columns it reads); and, on a model's page, the exposures
 * reading it. Everything comes from the index: no chunk is loaded.
 */
import type { ExposureSummary } from '../../shared/site-data.js';
import { h, lineageHref, section, table } from '../dom.js';
import type { Store } from '../store.js';
import { keyValue, nodeLink } from './common.js';

const TOOL_LABEL: Record<string, string> = { quicksight: 'QuickSight', tableau: 'Tableau', powerbi: 'Power BI', looker: 'Looker', other: 'other' };

export const exposureHref = (name: string) => `#/exposures/${encodeURIComponent(name)}`;

function toolBadge(e: ExposureSummary): HTMLElement {
  return h('span', { class: `badge tool tool-${e.tool}`, title: `${e.type} in ${TOOL_LABEL[e.tool] ?? e.tool}` }, TOOL_LABEL[e.tool] ?? e.tool);
}

function owner(e: ExposureSummary): HTMLElement {
  return h('span', {}, e.owner.name, ' ', h('a', { href: `mailto:${e.owner.email}`, class: 'muted small' }, e.owner.email));
}

/** Column links into the lineage page, or "the whole model". */
function columnLinks(store: Store, node: number, columns: string[]): HTMLElement {
  if (!columns.length) return h('span', { class: 'muted' }, 'the whole model');
  const id = store.nodes[node]!.id;
  return h('span', { class: 'exposure-columns' }, columns.flatMap((c, i) => [i ? ', ' : '', h('a', { href: lineageHref(id, c), class: 'col-link' }, c)]));
}

function exposureCard(store: Store, e: ExposureSummary): HTMLElement {
  const card = section(
    e.name,
    h('p', {}, toolBadge(e), ' ', h('span', { class: 'badge' }, e.type)),
    e.description ? h('p', { class: 'description' }, e.description) : null,
    keyValue([
      ['owner', owner(e)],
      ['URL', e.url ? h('a', { href: e.url, rel: 'noopener noreferrer', target: '_blank' }, e.url) : undefined],
      ['file', h('code', {}, e.file)],
    ]),
    table(
      ['model', 'columns'],
      e.depends.map((d) => h('tr', { class: 'exposure-depends' }, h('td', {}, nodeLink(store, d.node)), h('td', {}, columnLinks(store, d.node, d.columns)))),
    ),
  );
  card.id = `exposure-${e.name}`;
  card.classList.add('exposure');
  return card;
}

/** `#/exposures` lists every exposure; `#/exposures/NAME` shows one. */
export function renderExposures(store: Store, name: string, root: HTMLElement): void {
  const all = store.index.exposures ?? [];
  const shown = name ? all.filter((e) => e.name === name) : all;
  root.append(
    h(
      'div',
      { class: 'page-head' },
      h('div', { class: 'crumbs muted small' }, h('a', { href: '#/' }, 'overview'), name ? [' / ', h('a', { href: '#/exposures' }, 'exposures')] : null),
      h('h1', {}, name || 'Exposures'),
      name ? null : h('p', { class: 'muted' }, `${all.length} dashboard${all.length === 1 ? '' : 's'}, notebooks and applications reading the project's models, declared in exposures/*.ts.`),
    ),
  );
  if (!shown.length) {
    root.append(h('div', { class: 'card muted' }, name ? `No exposure named ${name}.` : 'No exposures declared: add exposures/*.ts with defineExposure().'));
    return;
  }
  for (const e of shown) root.append(exposureCard(store, e));
}

/** The model page's section: the exposures reading this model and which of its columns they show. */
export function modelExposuresSection(store: Store, node: number): HTMLElement | null {
  const reading = (store.index.exposures ?? []).flatMap((e) => e.depends.filter((d) => d.node === node).map((d) => [e, d.columns] as const));
  if (!reading.length) return null;
  return section(
    `Exposures (${reading.length})`,
    table(
      ['exposure', 'tool', 'owner', 'columns shown'],
      reading.map(([e, columns]) =>
        h(
          'tr',
          { class: 'exposure-row', 'data-exposure': e.name },
          h('td', {}, h('a', { href: exposureHref(e.name) }, e.name), ' ', h('span', { class: 'muted small' }, e.type)),
          h('td', {}, toolBadge(e)),
          h('td', {}, owner(e)),
          h('td', {}, columnLinks(store, node, columns)),
        ),
      ),
    ),
  );
}
