/**
 * The outbox table, unqualified, for a service's SQL migration (migrations run with the service's
 * schema as search_path). Services copy it into their migrations: a migration must never change once
 * applied, so it cannot import this constant. No index besides the primary key: the relay reads and
 * deletes by id only.
 */
export const OUTBOX_TABLE_SQL = `CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic text NOT NULL,
  message_key text,
  payload jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
`;
