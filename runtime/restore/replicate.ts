/**
 * `etl replicate` on a local target: mirrors the warehouse directory into the replica directory,
 * as the replica bucket's replication rule does on AWS (see replica-local.ts for what is mirrored).
 * Run it after builds; what it copied last is the recovery point of `etl restore --from-replica`.
 */
import { resolve } from 'node:path';
import type { Manifest } from '../../compiler/manifest/types.js';
import { RestoreError } from './errors.js';
import { localReplicaDir, mirrorFiles, type CopySummary } from './replica-local.js';

export interface ReplicateOutcome extends CopySummary {
  from: string;
  to: string;
  dryRun: boolean;
}

export function replicateLocal(projectDir: string, manifest: Manifest, opts: { replica?: string; dryRun?: boolean } = {}): ReplicateOutcome {
  if (manifest.target.kind !== 'local') {
    throw new RestoreError(
      'RESTORE_UNSUPPORTED',
      `target "${manifest.target.name}" is ${manifest.target.kind}: its bucket is replicated by S3 Cross-Region Replication, not by this command.`,
      'deploy the replication rule with `etl infra deploy` (the replica bucket in infra.replica_region); `etl replicate` is the local stand-in.',
    );
  }
  const from = resolve(projectDir, String(manifest.target.settings?.warehouse_dir ?? 'data/warehouse'));
  const to = localReplicaDir(projectDir, from, opts.replica);
  return { from, to, dryRun: !!opts.dryRun, ...mirrorFiles(from, to, { dryRun: !!opts.dryRun }) };
}
