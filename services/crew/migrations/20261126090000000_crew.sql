-- Up Migration

-- Overlap exclusion on (seafarer, period) needs equality on uuid inside a GiST index.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE seafarers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  given_name text NOT NULL,
  family_name text NOT NULL,
  nationality char(2) NOT NULL,
  date_of_birth date NOT NULL,
  rank text NOT NULL,
  email text,
  phone text,
  status text NOT NULL DEFAULT 'active',
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX seafarers_tenant_name ON seafarers (tenant_id, family_name, given_name, id);

CREATE TABLE certificates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  seafarer_id uuid NOT NULL REFERENCES seafarers (id) ON DELETE CASCADE,
  type text NOT NULL,
  number text NOT NULL,
  issuing_authority text NOT NULL,
  issuing_country char(2),
  issued_on date NOT NULL,
  -- NULL: the document does not expire.
  expires_on date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (expires_on IS NULL OR expires_on > issued_on)
);
CREATE INDEX certificates_seafarer ON certificates (seafarer_id, type);
CREATE INDEX certificates_expiry ON certificates (tenant_id, expires_on) WHERE expires_on IS NOT NULL;

-- A seafarer's contract on a vessel. The period the seafarer is (or is planned to be) aboard is the
-- actual dates where known, else the planned ones; sign-on inclusive, sign-off exclusive, so signing off
-- one vessel and on another the same day is not an overlap.
CREATE TABLE assignments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  seafarer_id uuid NOT NULL REFERENCES seafarers (id) ON DELETE CASCADE,
  vessel_id uuid NOT NULL,
  rank text NOT NULL,
  planned_sign_on date NOT NULL,
  planned_sign_off date NOT NULL,
  actual_sign_on date,
  actual_sign_off date,
  -- The assignment this one relieves (crew change), on the same vessel.
  relieves_assignment_id uuid REFERENCES assignments (id) ON DELETE SET NULL,
  cancelled_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  period daterange GENERATED ALWAYS AS (
    daterange(coalesce(actual_sign_on, planned_sign_on), coalesce(actual_sign_off, planned_sign_off), '[)')
  ) STORED,
  CHECK (planned_sign_off > planned_sign_on),
  CHECK (actual_sign_off IS NULL OR actual_sign_on IS NOT NULL),
  CHECK (actual_sign_off IS NULL OR actual_sign_off > actual_sign_on),
  CONSTRAINT assignments_no_overlap EXCLUDE USING gist (seafarer_id WITH =, period WITH &&)
    WHERE (cancelled_at IS NULL)
);
CREATE INDEX assignments_vessel_period ON assignments USING gist (vessel_id, period) WHERE cancelled_at IS NULL;

-- Minimum manning per rank per vessel (the flag state's safe manning document) and the certificates
-- each holder of that rank must have.
CREATE TABLE safe_manning (
  tenant_id uuid NOT NULL,
  vessel_id uuid NOT NULL,
  rank text NOT NULL,
  minimum integer NOT NULL CHECK (minimum BETWEEN 0 AND 100),
  required_certificates text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (vessel_id, rank)
);

-- Per-vessel settings: which hours-of-rest regime the flag state applies.
CREATE TABLE vessel_settings (
  tenant_id uuid NOT NULL,
  vessel_id uuid PRIMARY KEY,
  rest_regime text NOT NULL DEFAULT 'minimum-rest',
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Recorded rest, per seafarer, on a vessel. Two records of one seafarer never overlap.
CREATE TABLE rest_periods (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  seafarer_id uuid NOT NULL REFERENCES seafarers (id) ON DELETE CASCADE,
  vessel_id uuid NOT NULL,
  period tstzrange NOT NULL CHECK (NOT isempty(period) AND lower_inc(period) AND NOT upper_inc(period)),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by text NOT NULL,
  CONSTRAINT rest_periods_no_overlap EXCLUDE USING gist (seafarer_id WITH =, period WITH &&)
);
CREATE INDEX rest_periods_vessel ON rest_periods USING gist (vessel_id, period);

-- Which expiry notices have been published, so each is sent once per certificate and expiry date
-- (a renewal with a new date is noticed again).
CREATE TABLE certificate_expiry_notices (
  certificate_id uuid NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('expiring', 'expired')),
  expires_on date NOT NULL,
  noticed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certificate_id, kind, expires_on)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['seafarers', 'certificates', 'assignments', 'safe_manning', 'vessel_settings',
                           'rest_periods', 'certificate_expiry_notices'] LOOP
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

-- Certificate expiry events, written in the same transaction as their notice and relayed to Kafka
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
DROP TABLE certificate_expiry_notices;
DROP TABLE rest_periods;
DROP TABLE vessel_settings;
DROP TABLE safe_manning;
DROP TABLE assignments;
DROP TABLE certificates;
DROP TABLE seafarers;
