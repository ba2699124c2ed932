/**
 * Checks `governance.roles` against the project: every layer, tag, model and source system a role
 * names must exist (ETL320-ETL323, at the value in project.yaml), and a role that reads no table is
 * reported (ETL324, warning).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RolesConfig } from '../config/governance-roles.js';
import { didYouMean } from '../config/suggest.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { withoutBom } from '../load/text-file.js';
import { parseYamlFile, positionOf, type YamlFile } from '../load/yaml-file.js';
import type { Manifest } from '../manifest/types.js';
import { accessTables, matchedBy } from './access.js';

type Selector = 'layers' | 'tags' | 'models' | 'systems';

const CODES: Record<Selector, { code: string; what: string }> = {
  layers: { code: 'ETL320', what: 'layer' },
  tags: { code: 'ETL321', what: 'tag' },
  models: { code: 'ETL322', what: 'model' },
  systems: { code: 'ETL323', what: 'source system' },
};

/** The names each selector may use in this project. */
function knownNames(manifest: Manifest): Record<Selector, Set<string>> {
  const sources = Object.values(manifest.sources);
  const models = Object.values(manifest.models);
  return {
    layers: new Set(['bronze', 'silver', 'gold']),
    tags: new Set([...sources.flatMap((s) => s.tags), ...models.flatMap((m) => m.tags)]),
    models: new Set(models.map((m) => m.name)),
    systems: new Set(sources.map((s) => s.system)),
  };
}

function located(yaml: YamlFile, path: Array<string | number>): { file: string; line: number; column: number; frame: string } {
  const pos = positionOf(yaml, path);
  return { file: yaml.file, ...pos, frame: codeFrame(yaml.text, pos.line, pos.column) };
}

/** Diagnostics for the roles of project.yaml (`yaml` is that file, for positions). */
export function checkRoles(roles: RolesConfig, manifest: Manifest, yaml: YamlFile): Diagnostic[] {
  const known = knownNames(manifest);
  const diagnostics: Diagnostic[] = [];
  const base = ['governance', 'roles'];
  for (const [name, role] of Object.entries(roles)) {
    for (const selector of Object.keys(CODES) as Selector[]) {
      role.read[selector].forEach((value, i) => {
        if (known[selector].has(value)) return;
        const { code, what } = CODES[selector];
        diagnostics.push({
          code,
          severity: 'error',
          message: `Role '${name}' reads unknown ${what} '${value}'`,
          ...located(yaml, [...base, name, 'read', selector, i]),
          hint: `${didYouMean(value, known[selector])} Known ${selector}: ${[...known[selector]].sort().join(', ') || 'none'}.`.trim(),
        });
      });
    }
  }
  if (diagnostics.length) return diagnostics;
  const tables = accessTables(manifest);
  for (const [name, role] of Object.entries(roles)) {
    if (tables.some((t) => matchedBy(role, t).length)) continue;
    diagnostics.push({
      code: 'ETL324',
      severity: 'warning',
      message: `Role '${name}' reads no table`,
      ...located(yaml, [...base, name, 'read']),
      hint: 'Name a layer, tag, model or source system that has tables.',
    });
  }
  return diagnostics;
}

/** The roles of `<projectDir>/project.yaml` checked against a compiled manifest (none declared: nothing). */
export function checkProjectRoles(projectDir: string, roles: RolesConfig | undefined, manifest: Manifest): Diagnostic[] {
  if (!roles || Object.keys(roles).length === 0) return [];
  const yaml = parseYamlFile('project.yaml', withoutBom(readFileSync(path.join(projectDir, 'project.yaml'), 'utf8')), []);
  return yaml ? checkRoles(roles, manifest, yaml) : [];
}
