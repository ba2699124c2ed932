/** A model page's hooks: its pre- and post-hooks as written (templates), in the order they run. */
import { h, section } from '../dom.js';

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

export function hooksSection(config: Record<string, unknown>): HTMLElement | undefined {
  const pre = asList(config.pre_hook);
  const post = asList(config.post_hook);
  if (!pre.length && !post.length) return undefined;
  const items = [...pre.map((sql) => ['pre', sql] as const), ...post.map((sql) => ['post', sql] as const)];
  return section(
    `Hooks (${items.length})`,
    h('p', { class: 'muted small' }, 'Run in this order: pre-hooks before the table is written, post-hooks after it.'),
    h('ul', { class: 'node-list' }, items.map(([when, sql]) => h('li', {}, h('span', { class: 'badge' }, when), ' ', h('code', {}, sql)))),
  );
}
