-- Up Migration

-- Raw sensor points, one row per vessel, Signal K path and timestamp (the primary key makes a
-- redelivered batch a no-op). Partitioned by day: old days are dropped whole by retention.
CREATE TABLE telemetry_points (
  tenant_id uuid NOT NULL,
  vessel_id uuid NOT NULL,
  path text NOT NULL,
  ts timestamptz NOT NULL,
  -- Numbers in SI units; anything else (navigation.position's {latitude, longitude}) as JSON.
  value_num double precision,
  value_json jsonb,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (vessel_id, path, ts),
  CHECK ((value_num IS NULL) <> (value_json IS NULL))
) PARTITION BY RANGE (ts);

-- The newest value of each path per vessel.
CREATE TABLE telemetry_latest (
  tenant_id uuid NOT NULL,
  vessel_id uuid NOT NULL,
  path text NOT NULL,
  ts timestamptz NOT NULL,
  value_num double precision,
  value_json jsonb,
  PRIMARY KEY (vessel_id, path)
);

-- Aggregates of numeric paths for long ranges: per minute and per hour.
CREATE TABLE telemetry_rollup_1m (
  tenant_id uuid NOT NULL,
  vessel_id uuid NOT NULL,
  path text NOT NULL,
  bucket timestamptz NOT NULL,
  min double precision NOT NULL,
  max double precision NOT NULL,
  sum double precision NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (vessel_id, path, bucket)
);
CREATE TABLE telemetry_rollup_1h (LIKE telemetry_rollup_1m INCLUDING ALL);

-- Tenant isolation for the query API; the writer works across tenants with platform access.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['telemetry_points', 'telemetry_latest', 'telemetry_rollup_1m', 'telemetry_rollup_1h'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    EXECUTE format($p$CREATE POLICY platform_access ON %I
      USING (current_setting('app.platform_access', true) = 'on')
      WITH CHECK (current_setting('app.platform_access', true) = 'on')$p$, t);
  END LOOP;
END
$$;

-- Daily partitions, created ahead and dropped by retention by the writer. The service's role may not
-- create tables, so these run with the owner's rights (SECURITY DEFINER, fixed search_path). The
-- partitions themselves are closed to the service's role: reads and writes go through the parent,
-- where row-level security applies.
CREATE FUNCTION ensure_telemetry_partitions(days_back integer, days_ahead integer)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = performance, pg_temp
AS $$
DECLARE
  day date;
  name text;
  created integer := 0;
BEGIN
  IF days_back < 0 OR days_ahead < 0 OR days_back + days_ahead > 800 THEN
    RAISE EXCEPTION 'days_back and days_ahead must be between 0 and 800 together';
  END IF;
  FOR day IN SELECT generate_series(current_date - days_back, current_date + days_ahead, interval '1 day')::date LOOP
    name := format('telemetry_points_%s', to_char(day, 'YYYYMMDD'));
    IF to_regclass(format('performance.%I', name)) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE performance.%I PARTITION OF performance.telemetry_points FOR VALUES FROM (%L) TO (%L)',
        name, day::text || ' 00:00:00+00', (day + 1)::text || ' 00:00:00+00');
      EXECUTE format('REVOKE ALL ON performance.%I FROM PUBLIC, fleetwatch_app', name);
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END
$$;

CREATE FUNCTION drop_telemetry_partitions_before(cutoff date)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = performance, pg_temp
AS $$
DECLARE
  partition record;
  dropped integer := 0;
BEGIN
  FOR partition IN
    SELECT c.relname
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent
      JOIN pg_namespace n ON n.oid = p.relnamespace
     WHERE n.nspname = 'performance' AND p.relname = 'telemetry_points'
       AND c.relname ~ '^telemetry_points_[0-9]{8}$'
       AND to_date(substring(c.relname from '[0-9]{8}$'), 'YYYYMMDD') < cutoff
  LOOP
    EXECUTE format('DROP TABLE performance.%I', partition.relname);
    dropped := dropped + 1;
  END LOOP;
  RETURN dropped;
END
$$;

REVOKE ALL ON FUNCTION ensure_telemetry_partitions(integer, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION drop_telemetry_partitions_before(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ensure_telemetry_partitions(integer, integer) TO fleetwatch_app;
GRANT EXECUTE ON FUNCTION drop_telemetry_partitions_before(date) TO fleetwatch_app;

-- Down Migration
DROP FUNCTION drop_telemetry_partitions_before(date);
DROP FUNCTION ensure_telemetry_partitions(integer, integer);
DROP TABLE telemetry_rollup_1h;
DROP TABLE telemetry_rollup_1m;
DROP TABLE telemetry_latest;
DROP TABLE telemetry_points;
