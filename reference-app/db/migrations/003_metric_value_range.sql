-- 003: metric values within the range the API accepts (reference-app/API.md: |value| <= 1e15).
-- The API validates first; these checks hold for writes that go around it (seed, scripts,
-- psql), so that no stored point is NaN or infinite and no rollup sum can overflow float8.

-- Values stored before the API checked them (e.g. 1.7e308) made the 24 h figures null:
-- such points go, and the hourly rollups they broke are recomputed from the points left.
DELETE FROM metric_points WHERE NOT (value BETWEEN -1e15 AND 1e15);

CREATE TEMP TABLE broken_rollups ON COMMIT DROP AS
  SELECT business_id, metric, bucket FROM metric_rollups_hourly
   WHERE NOT (min BETWEEN -1e15 AND 1e15 AND max BETWEEN -1e15 AND 1e15
              AND sum > '-Infinity'::float8 AND sum < 'Infinity'::float8);
DELETE FROM metric_rollups_hourly r USING broken_rollups b
 WHERE r.business_id = b.business_id AND r.metric = b.metric AND r.bucket = b.bucket;
INSERT INTO metric_rollups_hourly (business_id, metric, bucket, count, sum, min, max)
SELECT p.business_id, p.metric, b.bucket, count(*), sum(p.value), min(p.value), max(p.value)
  FROM broken_rollups b
  JOIN metric_points p ON p.business_id = b.business_id AND p.metric = b.metric
   AND p.ts >= b.bucket AND p.ts < b.bucket + interval '1 hour'
 GROUP BY p.business_id, p.metric, b.bucket;

-- On the partitioned metric_points the check reaches every partition, present and future.
ALTER TABLE metric_points
  ADD CONSTRAINT metric_points_value_range CHECK (value BETWEEN -1e15 AND 1e15);

-- As in 002, but a new day table copies the parent's checks: ATTACH refuses a table without them.
CREATE OR REPLACE FUNCTION ensure_metric_partitions(from_ts timestamptz, to_ts timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  day   timestamptz := date_trunc('day', from_ts, 'UTC');
  made  integer := 0;
  part  text;
BEGIN
  PERFORM pg_advisory_xact_lock(7243002);
  WHILE day <= to_ts LOOP
    part := 'metric_points_p' || to_char(day AT TIME ZONE 'UTC', 'YYYYMMDD');
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('CREATE TABLE %I (LIKE metric_points INCLUDING CONSTRAINTS)', part);
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

-- A rollup's sum may exceed 1e15 (many points) but stays finite; NaN sorts above
-- 'Infinity' in PostgreSQL, so these comparisons refuse it too.
ALTER TABLE metric_rollups_hourly
  ADD CONSTRAINT metric_rollups_hourly_value_range CHECK (
    min BETWEEN -1e15 AND 1e15
    AND max BETWEEN -1e15 AND 1e15
    AND sum > '-Infinity'::float8 AND sum < 'Infinity'::float8
  );
