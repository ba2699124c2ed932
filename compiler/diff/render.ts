/** `etl diff` for people: plain text for the terminal, Markdown for a pull-request comment. */
import type { DiffReport, ModelDiff } from './report-schema.js';

const short = (id: string) => id.replace(/^(model|exposure|test)\./, '');

function headline(report: DiffReport): string {
  const { breaking, nonBreaking } = report.summary;
  const target = (s: DiffReport['reference']) => `${s.target}${s.environment ? ` (${s.environment})` : ''}`;
  if (report.models.length === 0) return `No model changes against the reference (${target(report.reference)}).`;
  return `${report.models.length} changed model${report.models.length === 1 ? '' : 's'} against the reference (${target(report.reference)}): ${breaking} breaking, ${nonBreaking} non-breaking.`;
}

/** Impacted columns grouped by model: `fct_orders: amount, currency`. */
function columnsByModel(m: ModelDiff): string[] {
  const by = new Map<string, string[]>();
  for (const c of m.impact.columns) (by.get(c.model) ?? by.set(c.model, []).get(c.model)!).push(c.column);
  return [...by].map(([model, cols]) => `${short(model)}: ${cols.join(', ')}`);
}

export function renderText(report: DiffReport): string {
  const lines = [headline(report)];
  for (const m of report.models) {
    lines.push('', `${m.name} (${m.status}) ${m.category.toUpperCase()}`);
    for (const c of m.changes) lines.push(`  ${c.kind.padEnd(24)} ${c.detail}`);
    const { impact } = m;
    if (!impact.columns.length && !impact.tests.length && !impact.exposures.length) {
      lines.push(`  impact: none downstream${m.changedColumns.length ? ' (nothing reads the changed columns)' : ''}`);
      continue;
    }
    if (impact.columns.length) lines.push(`  impacted columns (${impact.columns.length}):`, ...columnsByModel(m).map((l) => `    ${l}`));
    if (impact.tests.length) lines.push(`  impacted tests (${impact.tests.length}):`, ...impact.tests.map((t) => `    ${t}`));
    if (impact.exposures.length) lines.push(`  impacted exposures (${impact.exposures.length}):`, ...impact.exposures.map((e) => `    ${short(e)}`));
  }
  return lines.join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

export function renderMarkdown(report: DiffReport): string {
  const lines = ['## etl diff', '', headline(report)];
  for (const m of report.models) {
    const badge = m.category === 'breaking' ? '🔴 breaking' : '🟢 non-breaking';
    lines.push('', `### ${code(m.name)} (${m.status}): ${badge}`, '', '| change | detail |', '| --- | --- |');
    for (const c of m.changes) lines.push(`| ${c.kind} | ${cell(c.detail)} |`);
    const { impact } = m;
    lines.push('', '| impacted | |', '| --- | --- |');
    lines.push(`| models | ${impact.models.map((x) => code(short(x))).join(', ') || '—'} |`);
    lines.push(`| columns | ${columnsByModel(m).map(cell).join('<br>') || '—'} |`);
    lines.push(`| tests | ${impact.tests.map(code).join('<br>') || '—'} |`);
    lines.push(`| exposures | ${impact.exposures.map((x) => code(short(x))).join(', ') || '—'} |`);
  }
  return `${lines.join('\n')}\n`;
}
