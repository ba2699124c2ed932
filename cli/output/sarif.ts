/**
 * Diagnostics as a SARIF 2.1.0 log (GitHub code scanning, Azure DevOps, IDE viewers): one rule per
 * diagnostic code with its help text, one result per diagnostic, located by a repository-relative
 * URI under `%SRCROOT%` and a region. Built as objects, serialized once.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { diagnosticRegion, fileLines, type Region } from './extent.js';
import { repoPath, repoRoot } from './repo-path.js';
import { ruleDescription } from './rule-catalog.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

export interface SarifOptions {
  projectDir: string;
  toolName: string;
  toolVersion: string;
}

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: 'error' | 'warning' };
}

const level = (d: Diagnostic): 'error' | 'warning' => (d.severity === 'error' ? 'error' : 'warning');

function rulesOf(diagnostics: Diagnostic[]): SarifRule[] {
  const byCode = new Map<string, SarifRule>();
  for (const d of diagnostics) {
    if (byCode.has(d.code)) continue;
    const text = ruleDescription(d.code);
    const help = d.hint ? `${text}. For example: ${d.hint}` : `${text}.`;
    byCode.set(d.code, { id: d.code, shortDescription: { text }, help: { text: help }, defaultConfiguration: { level: level(d) } });
  }
  return [...byCode.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function physicalLocation(uri: string, region: Region | undefined) {
  const encoded = uri.split('/').map(encodeURIComponent).join('/');
  return { artifactLocation: { uri: encoded, uriBaseId: SRCROOT }, ...(region ? { region } : {}) };
}

/** The SARIF log object (serialize with JSON.stringify). */
export function sarifLog(diagnostics: Diagnostic[], opts: SarifOptions) {
  const { root, prefix } = repoRoot(opts.projectDir);
  const lines = fileLines(opts.projectDir);
  const rules = rulesOf(diagnostics);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = diagnostics.map((d) => ({
    ruleId: d.code,
    ruleIndex: ruleIndex.get(d.code)!,
    level: level(d),
    message: { text: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message },
    ...(d.file ? { locations: [{ physicalLocation: physicalLocation(repoPath(prefix, d.file), diagnosticRegion(d, lines)) }] } : {}),
    ...(d.related?.length
      ? {
          relatedLocations: d.related.map((r, id) => ({
            id,
            message: { text: r.message },
            physicalLocation: physicalLocation(repoPath(prefix, r.file), diagnosticRegion({ code: d.code, severity: d.severity, ...r }, lines)),
          })),
        }
      : {}),
  }));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0' as const,
    runs: [
      {
        tool: { driver: { name: opts.toolName, version: opts.toolVersion, rules } },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(root).href.replace(/\/?$/, '/') } },
        results,
      },
    ],
  };
}

export function writeSarif(file: string, diagnostics: Diagnostic[], opts: SarifOptions): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, `${JSON.stringify(sarifLog(diagnostics, opts), null, 2)}\n`);
}
