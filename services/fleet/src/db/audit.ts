import type pg from 'pg';
import type { Actor } from '../access.js';

export interface AuditEntry {
  tenantId: string;
  action: string;
  entityType: 'tenant' | 'vessel' | 'device-key';
  entityId: string;
  before: unknown;
  after: unknown;
}

export interface AuditRow {
  id: string;
  tenant_id: string;
  occurred_at: Date;
  actor_subject: string;
  actor_roles: string[];
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

/** Records a change in the same transaction as the change itself. */
export async function recordAudit(client: pg.ClientBase, actor: Actor, entry: AuditEntry): Promise<void> {
  await client.query(
    `INSERT INTO fleet.audit_log
       (tenant_id, actor_subject, actor_roles, action, entity_type, entity_id, before, after, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      entry.tenantId,
      actor.subject,
      actor.roles,
      entry.action,
      entry.entityType,
      entry.entityId,
      entry.before === null ? null : JSON.stringify(entry.before),
      entry.after === null ? null : JSON.stringify(entry.after),
      actor.requestId,
    ],
  );
}

export interface AuditQuery {
  tenantId?: string;
  entityType?: string;
  entityId?: string;
  /** Entries older than this id (newest first). */
  beforeId?: string;
  limit: number;
}

/** Newest first; row-level security limits it to what the scope may see. */
export async function listAudit(client: pg.ClientBase, query: AuditQuery): Promise<AuditRow[]> {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown): void => {
    values.push(value);
    conditions.push(sql.replace('?', `$${values.length}`));
  };
  if (query.tenantId) add('tenant_id = ?', query.tenantId);
  if (query.entityType) add('entity_type = ?', query.entityType);
  if (query.entityId) add('entity_id = ?', query.entityId);
  if (query.beforeId) add('id < ?', query.beforeId);
  values.push(query.limit);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const { rows } = await client.query<AuditRow>(
    `SELECT id::text, tenant_id, occurred_at, actor_subject, actor_roles, action, entity_type, entity_id,
            before, after, request_id
       FROM fleet.audit_log ${where}
      ORDER BY id DESC
      LIMIT $${values.length}`,
    values,
  );
  return rows;
}
