// Public authoring API: what source and model files import from `lakehouse-etl`.
export { t, formatType, ColumnBuilder } from './columns.js';
export type { Classification, SqlType, ColumnSpec } from './columns.js';
export { defineSource, env, SOURCE_BRAND } from './sources.js';
export type * from './sources.js';
export { defineModel, MODEL_BRAND } from './models.js';
export type * from './models.js';
export { mask } from './masks.js';
export { defineExposure, EXPOSURE_BRAND } from './exposures.js';
export type * from './exposures.js';
export { defineSeed, SEED_BRAND } from './seeds.js';
export type * from './seeds.js';
export { defineTest, arg, TEST_BRAND } from '../tests/user-generic-api.js';
export type { ArgBuilder, ArgKind, TestDefinition, TestSqlContext, DefinedTest } from '../tests/user-generic-api.js';
export { defineSnapshot } from './snapshots.js';
export type * from './snapshots.js';
