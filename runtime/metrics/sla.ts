/** The freshness SLA of gold models: `infra.sla_minutes` in project.yaml, else 2 hours. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readProjectConfig } from '../../compiler/load/project-config.js';
import { DEFAULT_SLA_MINUTES } from '../aws/metric-names.js';

export function slaMinutes(projectDir: string): number {
  if (!existsSync(join(projectDir, 'project.yaml'))) return DEFAULT_SLA_MINUTES;
  const config = readProjectConfig(projectDir, []) as { infra?: { sla_minutes?: number } } | undefined;
  return config?.infra?.sla_minutes ?? DEFAULT_SLA_MINUTES;
}
