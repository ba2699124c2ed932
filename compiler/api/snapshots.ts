/**
 * The authoring API for snapshots (SCD type 2) in TypeScript: a model under snapshots/ whose config
 * says how a changed row is detected. `defineSnapshot` is `defineModel` with that config required.
 */
import type { ModelConfig } from '../config/model-config.js';
import { defineModel, type DefinedModel, type TypeScriptModel } from './models.js';

type SnapshotBase = Omit<ModelConfig, 'materialized' | 'strategy' | 'updated_at' | 'check_cols' | 'incremental_strategy'> & { unique_key: string | string[] };

/** `timestamp`: a new version when `updated_at` changes; `check`: when any of `check_cols` changes. */
export type SnapshotConfig = SnapshotBase & ({ strategy: 'timestamp'; updated_at: string } | { strategy: 'check'; check_cols: string[] });

export interface TypeScriptSnapshot extends Omit<TypeScriptModel, 'config'> {
  config: SnapshotConfig;
}

export function defineSnapshot(snapshot: TypeScriptSnapshot): DefinedModel {
  return defineModel(snapshot as TypeScriptModel);
}
