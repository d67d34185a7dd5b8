import { z } from 'zod';

/** The database evidence of a run: per-query statistics for the run window and series sampled like the others. */

/** One normalised statement's work during the run (pg_stat_statements, end minus start of the run). */
export const queryStatSchema = z
  .strictObject({
    query: z.string().meta({ description: 'normalised SQL as pg_stat_statements keeps it ($1 placeholders)' }),
    server: z.string().meta({ description: 'which server ran it, e.g. `primary`, `replica`' }),
    calls: z.number().int().min(0),
    totalMs: z.number().min(0).meta({ description: 'execution time summed over the calls (milliseconds)' }),
    meanMs: z.number().min(0),
    rows: z.number().int().min(0),
    share: z.number().min(0).max(1).meta({ description: "share of the run's database execution time, 0..1" }),
  })
  .meta({ id: 'queryStat' });

/** One reading of the database servers while the scenarios ran. */
export const databasePointSchema = z
  .strictObject({
    t: z.number().min(0).meta({ description: 'seconds since the run started' }),
    replicaLagBytes: z.number().min(0).nullable().meta({ description: 'WAL the replica has not replayed' }),
    replicaLagSeconds: z
      .number()
      .min(0)
      .nullable()
      .meta({ description: "seconds since the replica's last replayed commit while it is behind, else 0" }),
    connections: z
      .record(z.string(), z.number().int().min(0))
      .meta({ description: 'client connections by server (`primary`, `replica`, `pgbouncer`)' }),
    cacheHitRatio: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .meta({ description: 'shared-buffer hits / block reads over the last interval, all servers' }),
  })
  .meta({ id: 'databasePoint' });
