/**
 * The last guard before anything is written: every string of the manifest, the plan and the
 * ingestion job specs is scanned for credential shapes (credential-scan.ts). A finding stops
 * `writeArtifacts` before target/ is touched (ETL195), naming the artifact, the place inside it and,
 * when the text is in a project file, that file's line and column. Printed text is masked.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CompileResult } from '../compile-types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { ingestionJobFor } from '../emit/ingestion-jobs.js';
import { CREDENTIAL_DESCRIPTIONS, lineColumnOf, maskCredentials, scanCredentials } from './credential-scan.js';

export const ARTIFACT_SECRET_HINT =
  "Keep credentials out of the project: declare them with env('NAME') in sources/*.ts, and pass values to SQL through environment-specific configuration, never literals in models, vars or descriptions.";

/** What the CLI shows: a message naming every finding, a code, a hint; no stack. */
export class CredentialInArtifactError extends Error {
  readonly code = 'ETL195';
  readonly suggestions = [ARTIFACT_SECRET_HINT];
  /** For oclif: a user mistake, exit code 1. */
  readonly oclif = { exit: 1 };
  constructor(readonly diagnostics: Diagnostic[]) {
    super(
      `Credential-shaped text found in what the compile would write; nothing was written to target/:\n${diagnostics
        .map((d) => `  ${d.file ? `${d.file}:${d.line}:${d.column}: ` : ''}${d.message}`)
        .join('\n')}`,
    );
    this.name = 'CredentialInArtifactError';
  }
}

interface Artifact {
  name: string;
  value: unknown;
  /** The project file a value at `at` comes from, when known. */
  fileOf(at: string[]): string | undefined;
}

/**
 * Calls `visit` with every string of `value` and its path (`models.model.x.compiledSql`). The path is
 * one array pushed and popped as the walk goes: `visit` copies it only for a string it keeps.
 */
function eachString(value: unknown, visit: (text: string, at: readonly string[]) => void, at: string[] = []): void {
  if (typeof value === 'string') visit(value, at);
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      at.push(String(i));
      eachString(value[i], visit, at);
      at.pop();
    }
  } else if (value && typeof value === 'object') {
    for (const k in value) {
      at.push(k);
      eachString((value as Record<string, unknown>)[k], visit, at);
      at.pop();
    }
  }
}

function artifactsOf(result: CompileResult): Artifact[] {
  const { manifest, plan } = result;
  const fileOfNode = (id: string | undefined) => (id ? (manifest.models[id]?.file ?? manifest.sources[id]?.file ?? manifest.tests[id]?.file) : undefined);
  const out: Artifact[] = [
    { name: 'target/manifest.json', value: manifest, fileOf: (at) => fileOfNode(at[1]) ?? (at[0] === 'project' ? 'project.yaml' : undefined) },
    { name: 'target/plan.json', value: plan, fileOf: (at) => (at[0] === 'nodes' ? fileOfNode(at[1]) : undefined) },
  ];
  for (const s of Object.values(manifest.sources)) out.push({ name: s.ingestionJob, value: ingestionJobFor(s, manifest), fileOf: () => s.file });
  return out;
}

/** Diagnostics for every credential shape in the artifacts of `result` (empty when clean). */
export function scanArtifacts(result: CompileResult, projectDir: string): Diagnostic[] {
  const out = new Map<string, Diagnostic>();
  for (const artifact of artifactsOf(result)) {
    eachString(artifact.value, (text, path) => {
      const findings = scanCredentials(text);
      if (findings.length === 0) return;
      const at = [...path];
      for (const finding of findings) {
        const file = artifact.fileOf(at);
        const located = file ? locateIn(projectDir, file, text.slice(finding.index, finding.index + finding.length)) : undefined;
        const message = `${CREDENTIAL_DESCRIPTIONS[finding.kind]} (${finding.excerpt}) in ${artifact.name} at ${at.join('.')}`;
        const d: Diagnostic = { code: 'ETL195', severity: 'error', message, hint: ARTIFACT_SECRET_HINT, ...(file ? { file, line: 1, column: 1 } : {}), ...located };
        const key = `${d.file}:${d.line}:${d.column}:${finding.excerpt}`;
        if (!out.has(key)) out.set(key, d);
      }
    });
  }
  return [...out.values()];
}

/** Where the matched text is written in the project file, with a frame whose credentials are masked. */
function locateIn(projectDir: string, file: string, match: string): Pick<Diagnostic, 'line' | 'column' | 'frame'> | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(projectDir, file), 'utf8');
  } catch {
    return undefined;
  }
  const at = text.indexOf(match);
  if (at < 0) return undefined;
  const pos = lineColumnOf(text, at);
  const masked = maskCredentials(text);
  return { ...pos, frame: codeFrame(masked, pos.line, pos.column) };
}

/** Throws CredentialInArtifactError when any artifact holds a credential shape. */
export function assertNoCredentials(result: CompileResult, projectDir: string): void {
  const found = scanArtifacts(result, projectDir);
  if (found.length) throw new CredentialInArtifactError(found);
}
