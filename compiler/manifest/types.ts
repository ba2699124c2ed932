/**
 * The manifest's types, derived from its schema (schema.ts). The CLI, the runners, the ingestion
 * jobs, the docs site and the AWS target read the manifest and the plan and nothing else.
 */
import type { z } from 'zod';
import type {
  ColumnRefSchema,
  GovernanceDeclassificationSchema,
  GovernanceExposureSchema,
  ModelGovernanceSchema,
  LayerNameSchema,
  LayerSettingsSchema,
  LineageRoleSchema,
  ManifestColumnSchema,
  ManifestExposureSchema,
  ManifestModelSchema,
  ManifestSchema,
  ManifestSourceSchema,
  ManifestTestSchema,
  ManifestUnitTestSchema,
  ModelColumnSchema,
  RowDependencySchema,
  TargetSettingsSchema,
} from './schema.js';

export { MANIFEST_VERSION } from './schema.js';
export type { ManifestSeed } from './seed-schema.js';
export type { Plan, PlanNode, ModelNode, SourceNode, TestNode, UnitTestNode } from '../plan/plan-schema.js';

export type LayerName = z.infer<typeof LayerNameSchema>;
export type SourceSystem = string;
export type LayerSettings = z.infer<typeof LayerSettingsSchema>;
export type TargetSettings = z.infer<typeof TargetSettingsSchema>;
export type ManifestColumn = z.infer<typeof ManifestColumnSchema>;
export type ColumnRef = z.infer<typeof ColumnRefSchema>;
export type LineageRole = z.infer<typeof LineageRoleSchema>;
export type ModelColumn = z.infer<typeof ModelColumnSchema>;
export type RowDependency = z.infer<typeof RowDependencySchema>;
export type ManifestSource = z.infer<typeof ManifestSourceSchema>;
export type ManifestModel = z.infer<typeof ManifestModelSchema>;
export type ManifestTest = z.infer<typeof ManifestTestSchema>;
export type ManifestUnitTest = z.infer<typeof ManifestUnitTestSchema>;
export type ManifestExposure = z.infer<typeof ManifestExposureSchema>;
export type Manifest = z.infer<typeof ManifestSchema>;
export type ModelGovernance = z.infer<typeof ModelGovernanceSchema>;
export type GovernanceExposure = z.infer<typeof GovernanceExposureSchema>;
export type GovernanceDeclassification = z.infer<typeof GovernanceDeclassificationSchema>;
