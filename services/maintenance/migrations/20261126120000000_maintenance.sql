-- Up Migration

-- The vessel's equipment as a tree of codes ('601' Main engine › '601.01' Cylinder unit 1). Components
-- with a running-hour counter keep it here: running_hours only grows (cumulative since installation);
-- counter_meter is what the counter shows, which restarts when the counter is replaced.
CREATE TABLE components (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  vessel_id uuid NOT NULL,
  parent_id uuid REFERENCES components (id) ON DELETE RESTRICT,
  code text NOT NULL,
  name text NOT NULL,
  maker text,
  model text,
  serial_number text,
  criticality text NOT NULL,
  -- The Signal K engine id whose runTime counter drives this component ('main' for propulsion.main).
  telemetry_engine text,
  has_counter boolean NOT NULL DEFAULT false,
  running_hours numeric NOT NULL DEFAULT 0 CHECK (running_hours >= 0),
  counter_meter numeric NOT NULL DEFAULT 0 CHECK (counter_meter >= 0),
  counter_observed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (vessel_id, code),
  CHECK (telemetry_engine IS NULL OR has_counter)
);
CREATE UNIQUE INDEX components_telemetry_engine ON components (vessel_id, telemetry_engine)
  WHERE telemetry_engine IS NOT NULL;

-- Counter readings that were applied, manual or from telemetry. event_id makes a redelivered
-- running-hours event count once.
CREATE TABLE counter_readings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  component_id uuid NOT NULL REFERENCES components (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('reading', 'replacement')),
  meter numeric NOT NULL CHECK (meter >= 0),
  running_hours numeric NOT NULL,
  observed_at timestamptz NOT NULL,
  source text NOT NULL CHECK (source IN ('manual', 'telemetry')),
  event_id uuid UNIQUE,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX counter_readings_component ON counter_readings (component_id, observed_at);

CREATE TABLE jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  vessel_id uuid NOT NULL,
  component_id uuid NOT NULL REFERENCES components (id) ON DELETE CASCADE,
  title text NOT NULL,
  instructions text NOT NULL DEFAULT '',
  responsible_rank text NOT NULL,
  interval_unit text CHECK (interval_unit IN ('days', 'months')),
  interval_value integer CHECK (interval_value >= 1),
  interval_hours numeric CHECK (interval_hours > 0),
  tolerance_days integer NOT NULL DEFAULT 0 CHECK (tolerance_days >= 0),
  tolerance_hours numeric NOT NULL DEFAULT 0 CHECK (tolerance_hours >= 0),
  -- The last completion, or the baseline the job was set up with: the next due is counted from it.
  last_done_on date NOT NULL,
  last_done_hours numeric,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((interval_unit IS NULL) = (interval_value IS NULL)),
  CHECK (interval_unit IS NOT NULL OR interval_hours IS NOT NULL),
  CHECK (interval_hours IS NULL OR last_done_hours IS NOT NULL)
);
CREATE INDEX jobs_component ON jobs (component_id);

-- One open work order per job, for its current cycle; done ones stay as history. Its state (planned,
-- due, overdue) follows from the job's schedule, the counter and the date; an approved postponement
-- moves its due date or hours.
CREATE TABLE work_orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  vessel_id uuid NOT NULL,
  component_id uuid NOT NULL REFERENCES components (id) ON DELETE CASCADE,
  job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  postponed_due_date date,
  postponed_due_hours numeric,
  completed_on date,
  completed_hours numeric,
  remarks text,
  signed_by_name text,
  signed_by_rank text,
  completed_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  CHECK ((completed_on IS NULL) = (completed_at IS NULL))
);
CREATE UNIQUE INDEX work_orders_one_open_per_job ON work_orders (job_id) WHERE completed_on IS NULL;
CREATE INDEX work_orders_vessel_open ON work_orders (vessel_id) WHERE completed_on IS NULL;

CREATE TABLE postponements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  work_order_id uuid NOT NULL REFERENCES work_orders (id) ON DELETE CASCADE,
  requested_due_date date,
  requested_due_hours numeric,
  reason text NOT NULL,
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  decision text CHECK (decision IN ('approved', 'rejected')),
  decided_by text,
  decided_at timestamptz,
  CHECK (requested_due_date IS NOT NULL OR requested_due_hours IS NOT NULL)
);
CREATE UNIQUE INDEX postponements_one_pending ON postponements (work_order_id) WHERE decision IS NULL;

-- Append-only history per component and job: created, postponement requested/approved/rejected,
-- completed, counter readings and replacements.
CREATE TABLE maintenance_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL,
  component_id uuid NOT NULL REFERENCES components (id) ON DELETE CASCADE,
  job_id uuid REFERENCES jobs (id) ON DELETE CASCADE,
  work_order_id uuid REFERENCES work_orders (id) ON DELETE CASCADE,
  kind text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  actor text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX maintenance_history_component ON maintenance_history (component_id, id);
CREATE INDEX maintenance_history_job ON maintenance_history (job_id, id);

CREATE TABLE class_surveys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  vessel_id uuid NOT NULL,
  period_start date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('annual', 'intermediate', 'special')),
  number integer NOT NULL,
  due_date date NOT NULL,
  window_start date NOT NULL,
  window_end date NOT NULL,
  completed_on date,
  remarks text,
  UNIQUE (vessel_id, period_start, kind, number)
);

-- Which overdue notices have been published: once per work order and due date/hours (due_key), so a
-- postponement that moves them is noticed again.
CREATE TABLE overdue_notices (
  work_order_id uuid NOT NULL REFERENCES work_orders (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL,
  due_key text NOT NULL,
  noticed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (work_order_id, due_key)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['components', 'counter_readings', 'jobs', 'work_orders', 'postponements',
                           'class_surveys', 'overdue_notices'] LOOP
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

-- History is appended, never changed: policies for reading and appending only, so row-level security
-- refuses every UPDATE and DELETE.
ALTER TABLE maintenance_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE maintenance_history FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON maintenance_history FOR SELECT
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY tenant_append ON maintenance_history FOR INSERT
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_read ON maintenance_history FOR SELECT
  USING (current_setting('app.platform_access', true) = 'on');
CREATE POLICY platform_append ON maintenance_history FOR INSERT
  WITH CHECK (current_setting('app.platform_access', true) = 'on');

-- Overdue events, written in the same transaction as their notice and relayed to Kafka
-- (packages/outbox). Not tenant data: no row-level security.
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
DROP TABLE overdue_notices;
DROP TABLE class_surveys;
DROP TABLE maintenance_history;
DROP TABLE postponements;
DROP TABLE work_orders;
DROP TABLE jobs;
DROP TABLE counter_readings;
DROP TABLE components;
