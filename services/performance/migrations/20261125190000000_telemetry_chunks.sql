-- Up Migration

-- The row-per-point table and its 1-minute rollup give way to telemetry_chunks (below). They are
-- dropped, not converted: this ships before the service holds production data.
DROP TABLE telemetry_points;
DROP TABLE telemetry_rollup_1m;

-- Raw telemetry, stored by columns: one row per vessel, Signal K path and minute holds that minute's
-- points as parallel arrays, plus the minute's aggregates of the numeric values (the 1-minute rollup).
-- A row per point cost PostgreSQL about 18 µs of CPU per point at fleet rates (primary-key index,
-- tuple header and per-row rollup work for every point); a chunk row carries up to 60 points of a 1 Hz
-- channel. The writer appends to the minute's row as batches arrive (src/writer/store.ts); the
-- primary key stays the natural one, so a redelivered batch merges into the rows it already wrote.
CREATE TABLE telemetry_chunks (
  tenant_id uuid NOT NULL,
  vessel_id uuid NOT NULL,
  path text NOT NULL,
  -- The minute (UTC) every point of the row falls in.
  bucket timestamptz NOT NULL,
  -- The points' times, ascending and distinct.
  ts timestamptz[] NOT NULL,
  -- Per point: the value in SI units when it is a number, else NULL.
  value_num double precision[] NOT NULL,
  -- Per point: the value when it is not a number (navigation.position's {latitude, longitude}), else
  -- NULL; the column is NULL when every point of the row is a number.
  value_json jsonb[],
  points integer NOT NULL,
  -- The 1-minute rollup of the numeric values (NULLs when there are none).
  num_count integer NOT NULL,
  num_min double precision,
  num_max double precision,
  num_sum double precision,
  -- What the row's latest write added (points, numeric points and their sum): the writer's statement
  -- reads them back (RETURNING) to advance the hourly rollup by exactly the points that were new.
  added_points integer NOT NULL DEFAULT 0,
  added_num_count integer NOT NULL DEFAULT 0,
  added_num_sum double precision,
  PRIMARY KEY (vessel_id, path, bucket),
  CHECK (points > 0 AND cardinality(ts) = points AND cardinality(value_num) = points
         AND (value_json IS NULL OR cardinality(value_json) = points)),
  CHECK (bucket = date_trunc('minute', bucket, 'UTC'))
) PARTITION BY RANGE (bucket);

ALTER TABLE telemetry_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE telemetry_chunks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON telemetry_chunks
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_access ON telemetry_chunks
  USING (current_setting('app.platform_access', true) = 'on')
  WITH CHECK (current_setting('app.platform_access', true) = 'on');

-- One point per row, as the chunks hold them: for reading by hand and in tests. Queries of the service
-- read telemetry_chunks with bounds on `bucket`, which this view cannot push down from `ts`.
-- security_invoker: the caller's row-level security applies, not the view owner's.
CREATE VIEW telemetry_points WITH (security_invoker = true) AS
SELECT c.tenant_id, c.vessel_id, c.path, p.ts, p.value_num, p.value_json
  FROM telemetry_chunks c
  CROSS JOIN LATERAL unnest(c.ts, c.value_num, coalesce(c.value_json, array_fill(NULL::jsonb, ARRAY[c.points])))
    AS p(ts, value_num, value_json);

CREATE TYPE telemetry_chunk_merged AS (
  ts timestamptz[],
  value_num double precision[],
  value_json jsonb[],
  points integer,
  num_count integer,
  num_min double precision,
  num_max double precision,
  num_sum double precision,
  added_points integer,
  added_num_count integer,
  added_num_sum double precision
);

-- A stored chunk row merged with new points of the same minute (the writer's ON CONFLICT). New points
-- later than every stored one are appended (the usual case: a vessel's batches arrive in order);
-- otherwise the points are merged by time and a point at a time already stored keeps its stored value
-- (a redelivery, or a batch sent twice). The added_* fields count exactly the points that were new.
CREATE FUNCTION telemetry_chunk_merge(stored telemetry_chunks, incoming telemetry_chunks)
RETURNS telemetry_chunk_merged
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = performance, pg_temp
AS $$
DECLARE
  merged telemetry_chunk_merged;
BEGIN
  IF incoming.ts[1] > stored.ts[stored.points] THEN
    merged.ts := stored.ts || incoming.ts;
    merged.value_num := stored.value_num || incoming.value_num;
    merged.value_json := CASE
      WHEN stored.value_json IS NULL AND incoming.value_json IS NULL THEN NULL
      ELSE coalesce(stored.value_json, array_fill(NULL::jsonb, ARRAY[stored.points]))
        || coalesce(incoming.value_json, array_fill(NULL::jsonb, ARRAY[incoming.points]))
    END;
    merged.points := stored.points + incoming.points;
    merged.num_count := stored.num_count + incoming.num_count;
    merged.num_min := least(stored.num_min, incoming.num_min);
    merged.num_max := greatest(stored.num_max, incoming.num_max);
    merged.num_sum := CASE WHEN incoming.num_count = 0 THEN stored.num_sum
                           ELSE coalesce(stored.num_sum, 0) + incoming.num_sum END;
    merged.added_points := incoming.points;
    merged.added_num_count := incoming.num_count;
    merged.added_num_sum := incoming.num_sum;
    RETURN merged;
  END IF;

  WITH point AS (
    SELECT DISTINCT ON (p.ts) p.ts, p.value_num, p.value_json, p.is_new
      FROM (
        SELECT s.ts, s.value_num, s.value_json, false AS is_new
          FROM unnest(stored.ts, stored.value_num,
                      coalesce(stored.value_json, array_fill(NULL::jsonb, ARRAY[stored.points])))
            AS s(ts, value_num, value_json)
        UNION ALL
        SELECT i.ts, i.value_num, i.value_json, true
          FROM unnest(incoming.ts, incoming.value_num,
                      coalesce(incoming.value_json, array_fill(NULL::jsonb, ARRAY[incoming.points])))
            AS i(ts, value_num, value_json)
      ) AS p
     ORDER BY p.ts, p.is_new
  )
  SELECT array_agg(ts ORDER BY ts),
         array_agg(value_num ORDER BY ts),
         CASE WHEN bool_or(value_json IS NOT NULL) THEN array_agg(value_json ORDER BY ts) END,
         count(*),
         count(value_num),
         min(value_num),
         max(value_num),
         sum(value_num),
         count(*) FILTER (WHERE is_new),
         count(value_num) FILTER (WHERE is_new),
         sum(value_num) FILTER (WHERE is_new)
    INTO merged.ts, merged.value_num, merged.value_json, merged.points, merged.num_count,
         merged.num_min, merged.num_max, merged.num_sum,
         merged.added_points, merged.added_num_count, merged.added_num_sum
    FROM point;
  RETURN merged;
END
$$;

-- Daily partitions of telemetry_chunks, as before for telemetry_points: created ahead and dropped by
-- retention by the writer, with the owner's rights. fillfactor leaves room on each page for the
-- minute's row to be rewritten as it grows (an update on the same page needs no index entry).
CREATE OR REPLACE FUNCTION ensure_telemetry_partitions(days_back integer, days_ahead integer)
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
    name := format('telemetry_chunks_%s', to_char(day, 'YYYYMMDD'));
    IF to_regclass(format('performance.%I', name)) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE performance.%I PARTITION OF performance.telemetry_chunks FOR VALUES FROM (%L) TO (%L) WITH (fillfactor = 70)',
        name, day::text || ' 00:00:00+00', (day + 1)::text || ' 00:00:00+00');
      EXECUTE format('REVOKE ALL ON performance.%I FROM PUBLIC, fleetwatch_app', name);
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END
$$;

CREATE OR REPLACE FUNCTION drop_telemetry_partitions_before(cutoff date)
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
     WHERE n.nspname = 'performance' AND p.relname = 'telemetry_chunks'
       AND c.relname ~ '^telemetry_chunks_[0-9]{8}$'
       AND to_date(substring(c.relname from '[0-9]{8}$'), 'YYYYMMDD') < cutoff
  LOOP
    EXECUTE format('DROP TABLE performance.%I', partition.relname);
    dropped := dropped + 1;
  END LOOP;
  RETURN dropped;
END
$$;

-- Down Migration
-- Back to the row-per-point layout, empty: the chunks' points are not carried back.
DROP VIEW telemetry_points;
DROP FUNCTION telemetry_chunk_merge(telemetry_chunks, telemetry_chunks);
DROP TYPE telemetry_chunk_merged;
DROP TABLE telemetry_chunks;

CREATE TABLE telemetry_points (
  tenant_id uuid NOT NULL,
  vessel_id uuid NOT NULL,
  path text NOT NULL,
  ts timestamptz NOT NULL,
  value_num double precision,
  value_json jsonb,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (vessel_id, path, ts),
  CHECK ((value_num IS NULL) <> (value_json IS NULL))
) PARTITION BY RANGE (ts);
CREATE TABLE telemetry_rollup_1m (LIKE telemetry_rollup_1h INCLUDING ALL);
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['telemetry_points', 'telemetry_rollup_1m'] LOOP
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

CREATE OR REPLACE FUNCTION ensure_telemetry_partitions(days_back integer, days_ahead integer)
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

CREATE OR REPLACE FUNCTION drop_telemetry_partitions_before(cutoff date)
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
