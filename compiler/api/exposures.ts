/**
 * `defineExposure`: a consumer of the project's models outside it (a QuickSight or Tableau
 * dashboard, a notebook, an ML model, an application), declared in `exposures/*.ts` with the models
 * and columns it reads. The compile checks each model and column exists; the manifest, the docs site
 * and `etl diff` impact reports show them. The shape is the zod schema the loader validates with
 * (compiler/config/exposure-schema.ts); once `etl compile` has written the project's typings,
 * `ref` and `columns` are checked by `tsc` like `ref()` in TypeScript models.
 */
import type { ExposureOwner, ExposureTool, ExposureType } from '../config/exposure-schema.js';
import type { ProjectModels } from './models.js';

export type { ExposureOwner, ExposureTool, ExposureType } from '../config/exposure-schema.js';

type ModelName = keyof ProjectModels extends never ? string : Extract<keyof ProjectModels, string>;
type ColumnOf<N> = N extends keyof ProjectModels ? Extract<keyof ProjectModels[N], string> : string;

/** One model the exposure reads, with the columns it shows (none listed: the model as a whole). */
export type ExposureDepends = { [N in ModelName]: { ref: N; columns?: Array<ColumnOf<N>> } }[ModelName];

export interface ExposureDefinition {
  /** Unique among the project's exposures; its id is `exposure.<name>`. */
  name: string;
  type: ExposureType;
  tool: ExposureTool;
  owner: ExposureOwner;
  url?: string;
  description?: string;
  depends: ExposureDepends[];
}

/** Marker so the loader can tell an exposure module's export from anything else. */
export const EXPOSURE_BRAND = Symbol.for('lakehouse-etl.exposure');

export type DefinedExposure<D> = D & { readonly [EXPOSURE_BRAND]: true };

export function defineExposure(def: ExposureDefinition): DefinedExposure<ExposureDefinition> {
  return Object.assign(Object.create(null), def, { [EXPOSURE_BRAND]: true as const });
}
