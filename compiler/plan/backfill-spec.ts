/**
 * What a model node carries for backfills (`etl build --select m --start D1 --end D2`): the date
 * column, the batch size, the first date of the model's data, and the model's full query. The runner
 * makes one ReplaceRange operation per batch from it (compiler/plan/backfill.ts), so the batch filter
 * is part of the operation's structure, rendered by the dialect, never patched into SQL text.
 */
import { z } from 'zod';
import { DateSchema, QuerySchema } from './operations.js';

export const BatchSizeSchema = z.union([z.enum(['day', 'week', 'month']), z.number().int().min(1)]);
export type BatchSize = z.infer<typeof BatchSizeSchema>;

export const BackfillSpecSchema = z
  .object({
    column: z.string().min(1),
    batchSize: BatchSizeSchema,
    /** The model's `start` config: where missing intervals begin (null: at the first processed one). */
    start: DateSchema.nullable(),
    query: QuerySchema,
  })
  .strict();
export type BackfillSpec = z.infer<typeof BackfillSpecSchema>;
