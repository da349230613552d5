-- Up Migration

-- One row per noon report (or other log-abstract event report): its identity and where its current
-- version sits in time. Ordering, paging and the neighbour look-ups of the consistency checks read this
-- table; the fields themselves live in the versions.
CREATE TABLE noon_reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  vessel_id uuid NOT NULL,
  current_version integer NOT NULL CHECK (current_version >= 1),
  -- The current version's report time and the start of the period it covers
  -- (reported_at - time since previous report).
  reported_at timestamptz NOT NULL,
  period_start timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (period_start <= reported_at),
  -- The service refuses a report at or before its predecessor's time; this is the last line of defence.
  UNIQUE (vessel_id, reported_at)
);
CREATE INDEX noon_reports_tenant_vessel_time_idx ON noon_reports (tenant_id, vessel_id, reported_at);
-- The fleet CII summary reads a year of every vessel of a tenant (or of all tenants).
CREATE INDEX noon_reports_tenant_time_idx ON noon_reports (tenant_id, reported_at);

-- Every version of every report, never updated or deleted: a correction adds a version, and the
-- history is the audit trail of what the vessel reported and who corrected it.
CREATE TABLE noon_report_versions (
  tenant_id uuid NOT NULL,
  report_id uuid NOT NULL REFERENCES noon_reports (id),
  version integer NOT NULL CHECK (version >= 1),
  vessel_id uuid NOT NULL,
  reported_at timestamptz NOT NULL,
  -- Copied out of `report` for the CII: distance and the fuel burned by all consumers, per fuel.
  distance_nm double precision NOT NULL CHECK (distance_nm >= 0),
  fuel_consumed jsonb NOT NULL,
  -- The report's fields as accepted by the API (reportedAt normalised to UTC).
  report jsonb NOT NULL,
  -- Consistency-check warnings found when this version was recorded.
  warnings jsonb NOT NULL DEFAULT '[]',
  recorded_at timestamptz NOT NULL DEFAULT now(),
  -- The token subject, or `device-key:<key id>` for a vessel's own submission.
  recorded_by text NOT NULL,
  PRIMARY KEY (report_id, version)
);
CREATE INDEX noon_report_versions_tenant_idx ON noon_report_versions (tenant_id, report_id);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['noon_reports', 'noon_report_versions'] LOOP
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

-- Down Migration
DROP TABLE noon_report_versions;
DROP TABLE noon_reports;
