/** `etl grants apply --target local`: the per-role views on Spark, executed by the engine as operations. */
import type { Manifest } from '../../../compiler/manifest/types.js';
import type { Grants } from '../../../compiler/governance/grants-schema.js';
import { roleViewsPlan } from '../../../compiler/governance/grants-views.js';
import { relationName, type Operation } from '../../../compiler/plan/operations.js';
import type { SparkEngine } from '../../engines/spark/engine.js';
import { acquireProjectEngine } from '../../runner/project-engine.js';

export interface AppliedLocal {
  databases: string[];
  views: string[];
}

export async function applyLocalGrants(opts: { projectDir: string; manifest: Manifest; grants: Grants; role?: string; spark?: SparkEngine }): Promise<AppliedLocal> {
  const operations: Operation[] = roleViewsPlan(opts.grants, opts.role);
  const engine = await acquireProjectEngine(opts.manifest, opts.projectDir, opts.spark);
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
