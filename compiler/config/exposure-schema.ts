/**
 * The shape of an exposure declaration (`defineExposure({...})` in `exposures/*.ts`): a BI
 * dashboard, notebook, ML model or application that reads models of the project. One zod schema:
 * the authoring types (compiler/api/exposures.ts), the loader's validation and the manifest's
 * record are derived from it.
 */
import { z } from 'zod';
import { identifierSchema } from '../security/names.js';

export const EXPOSURE_TYPES = ['dashboard', 'notebook', 'ml', 'application', 'analysis'] as const;
export const EXPOSURE_TOOLS = ['quicksight', 'tableau', 'powerbi', 'looker', 'other'] as const;

export const ExposureTypeSchema = z.enum(EXPOSURE_TYPES);
export const ExposureToolSchema = z.enum(EXPOSURE_TOOLS);

export const ExposureOwnerSchema = z.strictObject({
  name: z.string().min(1),
  email: z.email(),
});

/** A model the exposure reads; `columns` absent or empty: the model as a whole. */
export const ExposureDependsSchema = z.strictObject({
  ref: z.string().min(1),
  columns: z.array(z.string().min(1)).optional(),
});

/** http(s) only: an exposure's URL is a link people click in the docs and PR comments. */
const urlSchema = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

export const ExposureDeclarationSchema = z.strictObject({
  name: identifierSchema,
  type: ExposureTypeSchema,
  tool: ExposureToolSchema,
  owner: ExposureOwnerSchema,
  url: urlSchema.optional(),
  description: z.string().optional(),
  depends: z.array(ExposureDependsSchema).min(1),
});

export type ExposureType = z.infer<typeof ExposureTypeSchema>;
export type ExposureTool = z.infer<typeof ExposureToolSchema>;
export type ExposureOwner = z.infer<typeof ExposureOwnerSchema>;
export type ExposureDeclaration = z.infer<typeof ExposureDeclarationSchema>;
