import type { Database, Scope } from '../../db/database.ts';

export type Bucket = '5m' | '1h' | '1d';
export interface SeriesRow {
  t: Date;
  avg: number;
  min: number;
  max: number;
  count: number;
}
export interface IngestPoint {
  metric: string;
  ts: Date;
  value: number;
}

// 5 m buckets come from raw points; hours and days from the hourly rollups kept up to date on ingest.
const SERIES_SQL: Record<Bucket, string> = {
  '5m': `SELECT date_bin('5 minutes', ts, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS t,
                avg(value) AS avg, min(value) AS min, max(value) AS max, count(*) AS count
           FROM metric_points
          WHERE business_id = $1 AND metric = $2 AND ts >= $3 AND ts < $4
          GROUP BY 1 ORDER BY 1`,
  '1h': `SELECT bucket AS t, sum / count AS avg, min, max, count
           FROM metric_rollups_hourly
          WHERE business_id = $1 AND metric = $2 AND bucket >= date_trunc('hour', $3::timestamptz, 'UTC') AND bucket < $4
          ORDER BY bucket`,
  '1d': `SELECT date_trunc('day', bucket, 'UTC') AS t, sum(sum) / sum(count) AS avg, min(min) AS min, max(max) AS max, sum(count)::bigint AS count
           FROM metric_rollups_hourly
          WHERE business_id = $1 AND metric = $2 AND bucket >= date_trunc('day', $3::timestamptz, 'UTC') AND bucket < $4
          GROUP BY 1 ORDER BY 1`,
};

export class MetricsRepository {
  constructor(private readonly db: Database) {}

  async definition(
    scope: Scope,
    businessId: number,
    metric: string,
  ): Promise<{ label: string; unit: string } | undefined> {
    const rows = await this.db.readBusiness<{ label: string; unit: string }>(
      businessId,
      scope,
      'SELECT label, unit FROM metric_definitions WHERE business_id = $1 AND metric = $2',
      [businessId, metric],
    );
    return rows[0];
  }

  series(scope: Scope, businessId: number, metric: string, from: Date, to: Date, bucket: Bucket): Promise<SeriesRow[]> {
    return this.db.readBusiness<SeriesRow>(businessId, scope, SERIES_SQL[bucket], [businessId, metric, from, to]);
  }

  /**
   * One transaction: check the metrics belong to the business, insert the
   * points in one statement, fold them into the hourly rollups, log the write.
   * Returns the write id, or the unknown metric names.
   */
  ingest(
    scope: Scope,
    businessId: number,
    userId: number,
    points: IngestPoint[],
  ): Promise<{ writeId: number } | { unknown: string[] }> {
    const names = [...new Set(points.map((p) => p.metric))];
    return this.db.writeBusiness(businessId, scope, async (tx) => {
      const known = await tx.query<{ metric: string }>(
        'SELECT metric FROM metric_definitions WHERE business_id = $1 AND metric = ANY($2::text[])',
        [businessId, names],
      );
      const knownSet = new Set(known.rows.map((r) => r.metric));
      const unknown = names.filter((n) => !knownSet.has(n));
      if (unknown.length > 0) return { unknown };
      await tx.query(
        `WITH pts AS (SELECT * FROM unnest($2::text[], $3::timestamptz[], $4::float8[]) AS p(metric, ts, value)),
              ins AS (INSERT INTO metric_points (business_id, metric, ts, value) SELECT $1, metric, ts, value FROM pts)
         INSERT INTO metric_rollups_hourly AS r (business_id, metric, bucket, count, sum, min, max)
         SELECT $1, metric, date_trunc('hour', ts, 'UTC'), count(*), sum(value), min(value), max(value)
           FROM pts GROUP BY metric, date_trunc('hour', ts, 'UTC')
         ON CONFLICT (business_id, metric, bucket) DO UPDATE
           SET count = r.count + EXCLUDED.count, sum = r.sum + EXCLUDED.sum,
               min = LEAST(r.min, EXCLUDED.min), max = GREATEST(r.max, EXCLUDED.max)`,
        [businessId, points.map((p) => p.metric), points.map((p) => p.ts), points.map((p) => p.value)],
      );
      const w = await tx.query<{ id: number }>(
        'INSERT INTO metric_writes (business_id, user_id, points) VALUES ($1, $2, $3) RETURNING id',
        [businessId, userId, points.length],
      );
      return { writeId: w.rows[0]?.id ?? 0 };
    });
  }
}
