/** `etl diff-data --json`: what changed between two versions of a model's table, by primary key. */
import { z } from 'zod';
import { RestorePointSchema } from '../../compiler/plan/operations.js';

/** One side of a comparison: a table (production's or an environment's), now or as of a point. */
export const DiffSideSchema = z
  .object({
    label: z.string(),
    relation: z.string(),
    asOf: RestorePointSchema.nullable(),
  })
  .strict();
export type DiffSide = z.infer<typeof DiffSideSchema>;

const SampleRowSchema = z.record(z.string(), z.string().nullable());

export const DataDiffReportSchema = z
  .object({
    model: z.string(),
    key: z.array(z.string()).min(1),
    /** The older side (rows `removed` are only there) and the newer one (rows `added` are only there). */
    from: DiffSideSchema,
    to: DiffSideSchema,
    rows: z.object({ from: z.number().int(), to: z.number().int() }).strict(),
    added: z.number().int(),
    removed: z.number().int(),
    /** Keys on both sides with at least one column different (NULL-safe). */
    changed: z.number().int(),
    unchanged: z.number().int(),
    /** Per non-key column: rows on both sides where it differs. */
    columns: z.array(z.object({ name: z.string(), changed: z.number().int() }).strict()),
    /** A few rows of each kind, values as text: added rows their new values, removed rows their old ones, changed rows `<column>` (from) and `<column>__to`. */
    samples: z.object({ added: z.array(SampleRowSchema), removed: z.array(SampleRowSchema), changed: z.array(SampleRowSchema) }).strict(),
  })
  .strict();
export type DataDiffReport = z.infer<typeof DataDiffReportSchema>;
