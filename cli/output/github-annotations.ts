/**
 * Diagnostics as GitHub Actions workflow commands (`::error file=...,line=...::message`), which the
 * runner turns into annotations on the pull request's lines. Escaping as GitHub's toolkit does it:
 * in the message % \r \n; in property values also : and ,.
 */
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { Region } from './extent.js';

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `{message}. {hint}`, then one line per related location. */
export function annotationMessage(d: Diagnostic, relatedPath: (file: string) => string): string {
  const head = d.hint ? `${/[.!?]$/.test(d.message) ? d.message : `${d.message}.`} ${d.hint}` : d.message;
  const notes = (d.related ?? []).map((r) => `note: ${relatedPath(r.file)}:${r.line}:${r.column}: ${r.message}`);
  return [head, ...notes].join('\n');
}

/**
 * One workflow command. `file` is repository-relative; GitHub's end column is the last character
 * covered (inclusive), the region's is exclusive.
 */
export function githubAnnotation(d: Diagnostic, at: { file?: string; region?: Region }, relatedPath: (file: string) => string): string {
  const props: Array<[string, string | number]> = [];
  if (at.file) props.push(['file', at.file]);
  if (at.region) {
    const { startLine, startColumn, endLine, endColumn } = at.region;
    props.push(['line', startLine], ['col', startColumn], ['endLine', endLine]);
    // GitHub accepts an end column only on a one-line region.
    if (endLine === startLine) props.push(['endColumn', Math.max(startColumn, endColumn - 1)]);
  }
  props.push(['title', d.code]);
  const command = d.severity === 'error' ? 'error' : 'warning';
  return `::${command} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(annotationMessage(d, relatedPath))}`;
}
