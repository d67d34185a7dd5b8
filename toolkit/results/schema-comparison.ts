import { z } from 'zod';
import { apiSchema, databaseSchema } from './schema-api.ts';

/** One pass of a comparison run: the same scenarios at the same rates against one variant of the target. */
export const comparisonEntrySchema = z
  .strictObject({
    label: z.string().min(1).meta({ description: 'what varied, as people read it, e.g. `1 shard`, `2 shards`' }),
    shards: z
      .number()
      .int()
      .min(1)
      .optional()
      .meta({ description: 'database shard count of this pass (`--compare-shards`)' }),
    api: apiSchema,
    database: databaseSchema.optional(),
  })
  .meta({ id: 'comparisonEntry' });

/** A comparison run's passes, in the order they ran (`npm run loadtest -- --compare-shards 1,2`). */
export const comparisonSchema = z.array(comparisonEntrySchema).min(1).meta({
  id: 'comparison',
  description: 'the same load against each variant; the top-level sections are those of the last pass',
});
