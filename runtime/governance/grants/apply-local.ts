/** `etl grants apply --target local`: the per-role views on Spark, executed by the engine as operations. */
import { resolve } from 'node:path';
import type { Manifest } from '../../../compiler/manifest/types.js';
import type { Grants } from '../../../compiler/governance/grants-schema.js';
import { roleViewsPlan } from '../../../compiler/governance/grants-views.js';
import { relationName, type Operation } from '../../../compiler/plan/operations.js';
import { sparkSettingsFromTarget, type SparkEngine } from '../../engines/spark/engine.js';
import { SparkThriftEngine } from '../../engines/spark/spark-engine.js';
import { locationResolver } from '../../plan/locations.js';

export interface AppliedLocal {
  databases: string[];
  views: string[];
}

export async function applyLocalGrants(opts: { projectDir: string; manifest: Manifest; grants: Grants; role?: string; spark?: SparkEngine }): Promise<AppliedLocal> {
  const operations: Operation[] = roleViewsPlan(opts.grants, opts.role);
  const locate = locationResolver(opts.manifest.target, opts.projectDir);
  const warehouse = opts.manifest.target.settings['warehouse_dir'];
  const engine = await SparkThriftEngine.acquire({
    projectDir: opts.projectDir,
    warehouseDir: resolve(opts.projectDir, typeof warehouse === 'string' ? warehouse : 'data/warehouse'),
    settings: sparkSettingsFromTarget(opts.manifest.target.settings),
    locate,
    ...(opts.spark ? { shared: opts.spark } : {}),
  });
  try {
    const session = await engine.openSession();
    for (const operation of operations) await session.execute(operation);
  } finally {
    await engine.close();
  }
  return {
    databases: operations.flatMap((o) => (o.kind === 'CreateDatabase' ? [o.database] : [])),
    views: operations.flatMap((o) => (o.kind === 'CreateMaskedView' ? [relationName(o.relation)] : [])),
  };
}
