-- Up Migration

-- Ship owners. A tenant sees its own row; platform operators see all (platform_access).
CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL
);
CREATE UNIQUE INDEX tenants_name_key ON tenants (lower(name));

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
  USING (id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_access ON tenants
  USING (current_setting('app.platform_access', true) = 'on')
  WITH CHECK (current_setting('app.platform_access', true) = 'on');

CREATE TABLE vessels (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  imo char(7) NOT NULL CHECK (imo ~ '^[0-9]{7}$'),
  mmsi char(9) CHECK (mmsi ~ '^[0-9]{9}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  call_sign text,
  flag char(2) NOT NULL CHECK (flag ~ '^[A-Z]{2}$'),
  ship_type text NOT NULL,
  dwt integer CHECK (dwt >= 0),
  gt integer CHECK (gt >= 0),
  year_built integer CHECK (year_built BETWEEN 1900 AND 2100),
  status text NOT NULL CHECK (status IN ('active', 'laid-up', 'sold')),
  archived_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One live record per IMO number within a tenant; archived records keep their history. Uniqueness is
-- per tenant so that a 409 never reveals another owner's fleet.
CREATE UNIQUE INDEX vessels_tenant_imo_key ON vessels (tenant_id, imo) WHERE archived_at IS NULL;
-- Keyset pagination: (tenant, sort column, id).
CREATE INDEX vessels_tenant_name_idx ON vessels (tenant_id, name, id);
CREATE INDEX vessels_tenant_created_idx ON vessels (tenant_id, created_at, id);

ALTER TABLE vessels ENABLE ROW LEVEL SECURITY;
ALTER TABLE vessels FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON vessels
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_access ON vessels
  USING (current_setting('app.platform_access', true) = 'on')
  WITH CHECK (current_setting('app.platform_access', true) = 'on');

-- Telemetry credentials, one vessel each. Only the SHA-256 of the secret is kept.
CREATE TABLE device_keys (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9]{16}$'),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  vessel_id uuid NOT NULL REFERENCES vessels (id),
  label text CHECK (length(label) <= 100),
  secret_hash char(64) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  revoked_at timestamptz,
  revoked_by text
);
CREATE INDEX device_keys_vessel_idx ON device_keys (tenant_id, vessel_id, created_at);

ALTER TABLE device_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE device_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON device_keys
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_access ON device_keys
  USING (current_setting('app.platform_access', true) = 'on')
  WITH CHECK (current_setting('app.platform_access', true) = 'on');

-- Who changed what, when, from what to what.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_subject text NOT NULL,
  actor_roles text[] NOT NULL,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  before jsonb,
  after jsonb,
  request_id text
);
CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, id);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, id);

-- Policies for SELECT and INSERT only: with no policy for UPDATE or DELETE, the service's role can
-- neither change nor remove an entry.
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON audit_log FOR SELECT
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY tenant_append ON audit_log FOR INSERT
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_read ON audit_log FOR SELECT
  USING (current_setting('app.platform_access', true) = 'on');
CREATE POLICY platform_append ON audit_log FOR INSERT
  WITH CHECK (current_setting('app.platform_access', true) = 'on');

-- Registry events, written in the same transaction as the change and relayed to Kafka
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
DROP TABLE audit_log;
DROP TABLE device_keys;
DROP TABLE vessels;
DROP TABLE tenants;
