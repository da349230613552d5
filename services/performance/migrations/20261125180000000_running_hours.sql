-- Up Migration

-- The last running-hours reading published per vessel and engine (src/running-hours). The writer
-- updates it in the transaction that stores the reading and enqueues its event, so it is always what
-- consumers of performance.running-hours.v1 have been told last: a reading is published only when it
-- is newer than this one and its counter differs from it.
CREATE TABLE running_hours_latest (
  tenant_id uuid NOT NULL,
  vessel_id uuid NOT NULL,
  -- The <id> of the Signal K path propulsion.<id>.runTime: 'main', 'port', '0', ...
  engine text NOT NULL,
  -- The reading's timestamp (telemetry_points.ts).
  observed_at timestamptz NOT NULL,
  -- The engine's counter at observed_at, in seconds.
  counter_seconds double precision NOT NULL CHECK (counter_seconds >= 0),
  -- The published reading's counter was below the one published before it (a replaced or reset
  -- counter, or a faulty reading), and its event said so.
  counter_reset boolean NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (vessel_id, engine)
);

ALTER TABLE running_hours_latest ENABLE ROW LEVEL SECURITY;
ALTER TABLE running_hours_latest FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON running_hours_latest
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_access ON running_hours_latest
  USING (current_setting('app.platform_access', true) = 'on')
  WITH CHECK (current_setting('app.platform_access', true) = 'on');

-- The service's events, written in the same transaction as the points they come from and relayed to
-- Kafka by the writer (packages/outbox; OUTBOX_TABLE_SQL, copied). Not tenant data: no row-level
-- security; the envelope's tenant says whose each event is.
CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic text NOT NULL,
  message_key text,
  payload jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE outbox;
DROP TABLE running_hours_latest;
