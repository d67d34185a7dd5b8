import type { Database, Scope } from '../../db/database.ts';

export interface DefinitionRow {
  metric: string;
  label: string;
  unit: string;
}
export interface LatestRow {
  metric: string;
  ts: Date;
  value: number;
  rn: number;
}
export interface RollupRow {
  metric: string;
  bucket: Date;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** The dashboard's queries, exported so tests can EXPLAIN exactly what runs. */
export const DASHBOARD_SQL = {
  businessName: 'SELECT name FROM businesses WHERE id = $1',
  definitions: 'SELECT metric, label, unit FROM metric_definitions WHERE business_id = $1 ORDER BY metric',
  latestTwo: `SELECT d.metric, p.ts, p.value, p.rn
         FROM metric_definitions d
         CROSS JOIN LATERAL (
           SELECT mp.ts, mp.value, row_number() OVER (ORDER BY mp.ts DESC) AS rn
             FROM (SELECT ts, value FROM metric_points
                    WHERE business_id = d.business_id AND metric = d.metric
                    ORDER BY ts DESC LIMIT 2) mp
         ) p
        WHERE d.business_id = $1`,
  rollupsSince: `SELECT metric, bucket, count, sum, min, max FROM metric_rollups_hourly
        WHERE business_id = $1 AND bucket >= $2
        ORDER BY metric, bucket`,
};

/** Four index-backed reads: business (PK), definitions (PK), the last two points per metric (index-only), 24 h of hourly rollups. */
export class DashboardRepository {
  constructor(private readonly db: Database) {}

  async businessName(scope: Scope, businessId: number): Promise<string | undefined> {
    const rows = await this.db.read<{ name: string }>(scope, DASHBOARD_SQL.businessName, [businessId]);
    return rows[0]?.name;
  }

  definitions(scope: Scope, businessId: number): Promise<DefinitionRow[]> {
    return this.db.readBusiness<DefinitionRow>(businessId, scope, DASHBOARD_SQL.definitions, [businessId]);
  }

  latestTwo(scope: Scope, businessId: number): Promise<LatestRow[]> {
    return this.db.readBusiness<LatestRow>(businessId, scope, DASHBOARD_SQL.latestTwo, [businessId]);
  }

  rollupsSince(scope: Scope, businessId: number, since: Date): Promise<RollupRow[]> {
    return this.db.readBusiness<RollupRow>(businessId, scope, DASHBOARD_SQL.rollupsSince, [businessId, since]);
  }
}
