/**
 * Governance: the classification policy, every exposure and declassification with its reason and
 * place, the role-by-table access matrix (visible / masked / omitted columns), and, per subject key,
 * the erasure plan: the tables and columns `etl erase` would reach.
 */
import type { GovernanceData, GovernanceErasure, GovernanceReasonRow } from '../../shared/governance-data.js';
import { classBadges, h, layerBadge, lineageHref, section, table } from '../dom.js';
import type { Store } from '../store.js';
import { nodeLinkById } from './common.js';

function reasonRows(store: Store, rows: GovernanceReasonRow[], cls: string): HTMLElement[] {
  return rows.map((r) =>
    h(
      'tr',
      { class: cls },
      h('td', {}, nodeLinkById(store, r.model)),
      h('td', {}, r.column ? h('a', { href: lineageHref(r.model, r.column) }, r.column) : h('span', { class: 'muted' }, 'whole model')),
      h('td', {}, classBadges(r.classifications)),
      h('td', {}, r.reason),
      h('td', {}, h('code', {}, r.at)),
    ),
  );
}

function matrix(store: Store, data: GovernanceData): HTMLElement {
  const head = ['table', 'layer', ...data.roles.map((r) => r.role)];
  const rows = data.matrix.map((row) =>
    h(
      'tr',
      { class: 'access-row', 'data-node': row.node },
      h('td', {}, nodeLinkById(store, row.node)),
      h('td', {}, layerBadge(row.layer)),
      ...row.access.map((a, i) => {
        const role = data.roles[i]!.role;
        if (!a) return h('td', { class: 'access-none', 'data-role': role }, '—');
        const title = [a.maskedColumns.length ? `masked: ${a.maskedColumns.join(', ')}` : '', a.omittedColumns.length ? `omitted: ${a.omittedColumns.join(', ')}` : ''].filter(Boolean).join('\n');
        return h('td', { class: 'access-cell', 'data-role': role, title }, `${a.visible} visible`, a.masked ? h('span', { class: 'badge warn-badge' }, `${a.masked} masked`) : null, a.omitted ? h('span', { class: 'badge' }, `${a.omitted} omitted`) : null);
      }),
    ),
  );
  return table(head, rows, 'grid access-matrix');
}

function erasure(store: Store, e: GovernanceErasure, selected: boolean): HTMLElement {
  const rows = e.targets.map((t) =>
    h('tr', { class: `erasure-row action-${t.action}`, 'data-node': t.node }, h('td', {}, nodeLinkById(store, t.node)), h('td', {}, layerBadge(t.layer)), h('td', {}, t.action), h('td', {}, t.match.join(', ') || '—'), h('td', {}, t.reason)),
  );
  const keys = e.keyColumns.map((k) => nodeLinkById(store, k.node, k.column));
  return h(
    'details',
    { class: 'erasure-plan', 'data-key': e.key, ...(selected ? { open: '' } : {}) },
    h('summary', {}, `${e.key} (${e.kinds.join(', ')}): ${e.targets.length} tables`),
    h('p', {}, 'Declared on ', ...keys.flatMap((k, i) => (i ? [', ', k] : [k])), '. ', e.passThrough.length ? `Also flows through ${e.passThrough.length} view or ephemeral model(s), which hold no rows.` : ''),
    table(['table', 'layer', 'action', 'matched by', 'why'], rows, 'grid'),
  );
}

export async function renderGovernance(store: Store, query: URLSearchParams, root: HTMLElement): Promise<void> {
  const data = await store.governance();
  const policy = data.policy.map((p) => h('tr', {}, h('td', {}, p.scope), h('td', {}, h('code', {}, p.name)), h('td', {}, p.allowed.length ? classBadges(p.allowed) : h('span', { class: 'muted' }, 'nothing unmasked'))));
  const roles = data.roles.map((r) => h('tr', {}, h('td', {}, r.role), h('td', {}, r.description ?? ''), h('td', {}, classBadges(r.unmasked)), h('td', {}, classBadges(r.omit)), h('td', {}, h('code', {}, r.principal ?? '—'))));
  const subject = query.get('subject');
  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Governance'), h('p', { class: 'muted' }, `${data.exposures.length} exposure(s) and ${data.declassifications.length} declassification(s) declared; ${data.roles.length} role(s); ${data.erasure.length} subject key(s).`)),
    ...data.notes.map((n) => h('p', { class: 'muted governance-note' }, n)),
    section('Policy: classifications each layer, folder and tag may expose unmasked', table(['scope', 'where', 'allowed unmasked'], policy, 'grid policy-table')),
    section('Exposures', table(['model', 'column', 'classification', 'reason', 'declared at'], reasonRows(store, data.exposures, 'gov-exposure-row'), 'grid exposures-table')),
    section('Declassifications', table(['model', 'column', 'classifications removed', 'reason', 'declared at'], reasonRows(store, data.declassifications, 'gov-declassification-row'), 'grid declassifications-table')),
    section('Roles', table(['role', 'description', 'sees unmasked', 'omitted', 'principal'], roles, 'grid roles-table')),
    section('Access by role', data.roles.length ? matrix(store, data) : h('p', { class: 'muted' }, 'No roles.')),
    section('Erasure plans (etl erase --subject KEY=VALUE)', ...data.erasure.map((e) => erasure(store, e, e.key === subject))),
  );
}
