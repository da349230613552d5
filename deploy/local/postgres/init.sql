-- Run once against a new cluster by the local scripts (packages/local-infra) and by docker-compose.
-- The services connect as fleetwatch_app: no superuser, no BYPASSRLS, not the owner of any table,
-- so row-level security applies to every query they make. Migrations run as the owner (postgres).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fleetwatch_app') THEN
    CREATE ROLE fleetwatch_app LOGIN PASSWORD 'fleetwatch_app' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END
$$;
