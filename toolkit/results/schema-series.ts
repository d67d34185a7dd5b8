import { z } from 'zod';

/** Series over the run's clock besides the per-second totals: scenario phases, per-endpoint p95, status classes. */

/** A scenario's place on the run's clock, for phase bands on time charts. */
export const phaseSchema = z
  .strictObject({
    name: z.string(),
    start: z.number().min(0).meta({ description: 'seconds since the run started' }),
    end: z.number().min(0),
  })
  .meta({ id: 'phase' });

/** One endpoint's (k6 `name` tag) p95 each second; `other` groups the endpoints beyond the top N by traffic. */
export const endpointSeriesSchema = z
  .strictObject({
    name: z.string(),
    points: z.array(
      z.strictObject({
        t: z.number().min(0),
        p95: z.number().min(0).meta({ description: 'milliseconds' }),
        count: z.number().int().min(0),
      }),
    ),
  })
  .meta({ id: 'endpointSeries' });

/** Responses per status class in one second; `network`: no HTTP status (refused, reset, timed out). */
export const statusPointSchema = z
  .strictObject({
    t: z.number().min(0),
    s2xx: z.number().int().min(0),
    s3xx: z.number().int().min(0),
    s4xx: z.number().int().min(0),
    s5xx: z.number().int().min(0),
    network: z.number().int().min(0),
  })
  .meta({ id: 'statusPoint' });
