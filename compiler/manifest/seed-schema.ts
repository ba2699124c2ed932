/**
 * A seed in manifest.json: a CSV file of `seeds/` with its declared columns, loaded into a Delta
 * table by `etl seed` and the first stage of `etl build`. Its rows are in plan.json (LoadSeed),
 * so a compiled target runs without the project's files.
 */
import { z } from 'zod';

export const ManifestSeedSchema = z.object({
  /** `seed.<name>` */
  id: z.string(),
  /** Name used in `{{ref "name"}}` / `ref('name')`. */
  name: z.string(),
  /** The declaration (`seeds/<name>.ts`). */
  file: z.string(),
  /** The CSV holding the rows (`seeds/<name>.csv`). */
  csv: z.string(),
  description: z.string().optional(),
  owner: z.string().optional(),
  tags: z.array(z.string()),
  layer: z.enum(['silver', 'gold']),
  columns: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      nullable: z.boolean(),
      classification: z.array(z.enum(['pii', 'sensitive', 'restricted', 'pseudonymised'])),
      description: z.string().optional(),
      primaryKey: z.boolean(),
    }),
  ),
  primaryKey: z.array(z.string()),
  /** Where the seed's Delta table lives; `location` is under the layer's root, or absolute. */
  relation: z.object({ database: z.string(), table: z.string(), fqn: z.string(), location: z.string() }),
  rowCount: z.number().int().min(0),
  checksum: z.string(),
});

export type ManifestSeed = z.infer<typeof ManifestSeedSchema>;
