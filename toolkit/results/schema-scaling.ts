import { z } from 'zod';

/** One auto-scaling decision of the app's supervisor. */
export const scaleDecisionSchema = z
  .strictObject({
    t: z.number().min(0).meta({ description: 'seconds since the run started' }),
    at: z.iso.datetime({ offset: true }),
    action: z.enum(['up', 'down']),
    reason: z.string(),
    from: z.number().int().min(0),
    to: z.number().int().min(0),
  })
  .meta({ id: 'scaleDecision' });

/** The app's instance count over the run, as its auto-scaling supervisor reported it. */
export const scalingSchema = z
  .strictObject({
    min: z.number().int().min(1),
    max: z.number().int().min(1),
    series: z
      .array(
        z.strictObject({
          t: z.number().min(0).meta({ description: 'seconds since the run started' }),
          instances: z.number().int().min(0),
        }),
      )
      .meta({ description: "instance count at each reading of the target's /api/performance" }),
    decisions: z.array(scaleDecisionSchema).meta({ description: 'decisions taken during the run, oldest first' }),
  })
  .meta({ id: 'scaling' });
