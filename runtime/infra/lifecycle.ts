/**
 * Lifecycle rules per layer (compiler/config/infra.ts explains the storage classes), plus expiry of
 * build artifacts and EMR logs. Delta tables keep their current files (their log names them);
 * replaced and deleted versions, which restores read, go to archival storage and expire at retention.
 */
import type { InfraContext, LayerInfo } from './context.js';

type Rule = Record<string, unknown>;

function layerRule(layer: LayerInfo & { prefix: string }): Rule {
  const s = layer.storage;
  return {
    Id: `${layer.layer}-storage`,
    Status: 'Enabled',
    Prefix: `${layer.prefix}/`,
    Transitions: [
      { StorageClass: 'STANDARD_IA', TransitionInDays: s.infrequent_access_days },
      { StorageClass: s.archive_class, TransitionInDays: s.archive_days },
    ],
    NoncurrentVersionTransitions: [
      { StorageClass: 'GLACIER', TransitionInDays: s.noncurrent_archive_days },
      { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: s.noncurrent_deep_archive_days },
    ],
    NoncurrentVersionExpiration: { NoncurrentDays: s.retention_days },
    ...(s.expire_current ? { ExpirationInDays: s.retention_days } : {}),
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
  };
}

function expiryRule(id: string, prefix: string, days: number): Rule {
  return {
    Id: id,
    Status: 'Enabled',
    Prefix: `${prefix}/`,
    ExpirationInDays: days,
    NoncurrentVersionExpiration: { NoncurrentDays: 30 },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
  };
}

export function lifecycleRules(ctx: InfraContext): Rule[] {
  const rules = ctx.layers.filter((l): l is LayerInfo & { prefix: string } => l.prefix !== undefined).map(layerRule);
  rules.push(expiryRule('build-artifacts', ctx.artifactsPrefix, ctx.infra.artifacts_retention_days));
  if (ctx.logsPrefix) rules.push(expiryRule('emr-logs', ctx.logsPrefix, ctx.infra.artifacts_retention_days));
  return rules;
}

/** The replica keeps old versions as long as the primary, in archival storage from the start. */
export function replicaLifecycleRules(ctx: InfraContext): Rule[] {
  const retention = Math.max(...ctx.layers.map((l) => l.storage.retention_days));
  return [
    {
      Id: 'replica-storage',
      Status: 'Enabled',
      NoncurrentVersionTransitions: [{ StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 30 }],
      NoncurrentVersionExpiration: { NoncurrentDays: retention },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    },
  ];
}
