/** Human-readable rendering of a diagnostic for terminals. */
import type { Diagnostic } from './diagnostic.js';
import { printableText } from './frame.js';

export function formatDiagnostic(d: Diagnostic, color = false): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}` : '';
  const head = `${where ? `${paint('1', where)} ` : ''}${paint(d.severity === 'error' ? '31' : '33', `${d.severity} ${d.code}`)}: ${printableText(d.message)}`;
  const lines = [head];
  if (d.frame) lines.push(d.frame.split('\n').map((l) => `  ${l}`).join('\n'));
  for (const r of d.related ?? []) lines.push(`  note: ${r.file}:${r.line}:${r.column}: ${r.message}`);
  if (d.hint) lines.push(`  ${paint('36', 'hint')}: ${printableText(d.hint)}`);
  return lines.join('\n');
}
