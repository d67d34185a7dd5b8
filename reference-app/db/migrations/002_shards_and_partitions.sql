-- 002: sharding by business and time partitions for the raw points.
-- Applied to every shard: the main database (shard 0) keeps the global tables
-- (businesses, users, the shard map); every shard holds the per-business tables
-- (metric_definitions, metric_points, metric_rollups_hourly, metric_writes) of
-- the businesses the map assigns to it.

-- The shard map: which shard holds a business's rows. A business without a row
-- lives on shard 0. moving_to is set while `npm run shard -- move` copies it.
CREATE TABLE business_shards (
  business_id bigint PRIMARY KEY,
  shard       integer NOT NULL CHECK (shard >= 0),
  moving_to   integer CHECK (moving_to >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A shard has no businesses/users rows to point at: those foreign keys cannot cross databases.
ALTER TABLE metric_definitions DROP CONSTRAINT IF EXISTS metric_definitions_business_id_fkey;
ALTER TABLE metric_writes DROP CONSTRAINT IF EXISTS metric_writes_business_id_fkey;
ALTER TABLE metric_writes DROP CONSTRAINT IF EXISTS metric_writes_user_id_fkey;

-- metric_points becomes RANGE-partitioned by day on ts, so old days are dropped
-- as whole tables (no DELETE, no vacuum debt). Rows outside every day partition
-- land in the default partition; creating a day later moves them out of it.
ALTER TABLE metric_points RENAME TO metric_points_unpartitioned;
ALTER INDEX metric_points_business_metric_ts_idx RENAME TO metric_points_unpartitioned_idx;

CREATE TABLE metric_points (
  business_id bigint NOT NULL,
  metric      text NOT NULL,
  ts          timestamptz NOT NULL,
  value       double precision NOT NULL
) PARTITION BY RANGE (ts);
-- The same composite index, now partitioned: every partition gets its own copy, so
-- the series and latest-value queries stay (index-only) index scans per partition.
CREATE INDEX metric_points_business_metric_ts_idx ON metric_points (business_id, metric, ts DESC) INCLUDE (value);
CREATE TABLE metric_points_default PARTITION OF metric_points DEFAULT;

-- Creates the missing day partitions (UTC days) covering [from_ts, to_ts]; returns how many it made.
CREATE FUNCTION ensure_metric_partitions(from_ts timestamptz, to_ts timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  day   timestamptz := date_trunc('day', from_ts, 'UTC');
  made  integer := 0;
  part  text;
BEGIN
  -- Two callers (app instances, the seed) must not both create the same day.
  PERFORM pg_advisory_xact_lock(7243002);
  WHILE day <= to_ts LOOP
    part := 'metric_points_p' || to_char(day AT TIME ZONE 'UTC', 'YYYYMMDD');
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('CREATE TABLE %I (LIKE metric_points)', part);
      -- Rows of that day that reached the default partition move first, or ATTACH would refuse.
      EXECUTE format('WITH moved AS (DELETE FROM metric_points_default WHERE ts >= $1 AND ts < $2 RETURNING *)
                      INSERT INTO %I SELECT * FROM moved', part) USING day, day + interval '1 day';
      EXECUTE format('ALTER TABLE metric_points ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                     part, day, day + interval '1 day');
      made := made + 1;
    END IF;
    day := day + interval '1 day';
  END LOOP;
  RETURN made;
END $$;

-- Retention: drops every day partition that ends at or before `cutoff` (and deletes
-- older strays from the default partition); returns the partitions dropped.
CREATE FUNCTION drop_metric_partitions_before(cutoff timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  r       record;
  dropped integer := 0;
BEGIN
  FOR r IN
    SELECT c.relname,
           substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''([^'']+)''\)')::timestamptz AS upper_bound
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'metric_points'::regclass AND c.relname <> 'metric_points_default'
  LOOP
    IF r.upper_bound <= cutoff THEN
      EXECUTE format('DROP TABLE %I', r.relname);
      dropped := dropped + 1;
    END IF;
  END LOOP;
  DELETE FROM metric_points_default WHERE ts < cutoff;
  RETURN dropped;
END $$;

-- Existing rows move over: days from the oldest point to a week ahead of now.
SELECT ensure_metric_partitions(
  least(coalesce((SELECT min(ts) FROM metric_points_unpartitioned), now()), now() - interval '1 day'),
  greatest(coalesce((SELECT max(ts) FROM metric_points_unpartitioned), now()), now()) + interval '7 days');
INSERT INTO metric_points SELECT * FROM metric_points_unpartitioned;
DROP TABLE metric_points_unpartitioned;
