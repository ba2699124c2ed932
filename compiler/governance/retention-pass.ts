/** The compile pass of retention and audit: source retention and SOX test severity checks, and the Delta properties tables get. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ProjectConfig } from '../load/project-config.js';
import type { Manifest } from '../manifest/types.js';
import type { DataTest } from '../plan/operations.js';
import { checkSoxTestSeverity } from './audit-checks.js';
import { checkSourceRetention } from './retention-checks.js';
import { retentionTableProperties } from './retention-config.js';

export function retentionAndAudit(projectDir: string, config: ProjectConfig, manifest: Manifest, operations: ReadonlyMap<string, DataTest>): { diagnostics: Diagnostic[]; tableProperties: Record<string, string> } {
  const retention = config.governance?.retention;
  const diagnostics = checkSoxTestSeverity(projectDir, manifest, operations);
  if (retention) {
    let projectText = '';
    try {
      projectText = readFileSync(path.join(projectDir, 'project.yaml'), 'utf8');
    } catch {
      // read by the load phase already; positions fall back to line 1
    }
    diagnostics.push(...checkSourceRetention({ retention, infra: config.infra, sources: Object.values(manifest.sources), projectText }));
  }
  return { diagnostics, tableProperties: retentionTableProperties(retention) };
}
