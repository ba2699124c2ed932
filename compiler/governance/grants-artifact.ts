/** The grants of a compiled project: roles read from project.yaml, derived against the manifest, kept in target/grants.json. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { readProjectConfig } from '../load/project-config.js';
import type { Manifest } from '../manifest/types.js';
import { deriveGrants } from './access.js';
import { GrantsSchema, type Grants } from './grants-schema.js';

export const GRANTS_FILE = 'grants.json';

/** Derives every role's grants for a manifest compiled from `projectDir`. */
export function projectGrants(projectDir: string, manifest: Manifest): Grants {
  const diagnostics: Diagnostic[] = [];
  const config = readProjectConfig(projectDir, diagnostics);
  return deriveGrants(manifest, config?.governance?.roles ?? {});
}

/** Writes target/grants.json (validated first); returns its path. */
export function writeGrants(projectDir: string, grants: Grants): string {
  const dir = path.join(projectDir, 'target');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, GRANTS_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(GrantsSchema.parse(grants), null, 1)}\n`);
  renameSync(`${file}.tmp`, file);
  return file;
}

/** Reads and validates a grants.json. */
export function readGrants(file: string): Grants {
  return GrantsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}
