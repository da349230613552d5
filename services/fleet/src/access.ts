import { withPlatformAccess, withTenant } from '@fleetwatch/db';
import { ProblemError, type Principal } from '@fleetwatch/service-kit';
import type pg from 'pg';

/** The roles of the platform. Device keys are a separate identity (packages/fleet-registry). */
export const PLATFORM_ADMIN = 'platform-admin';
export const OWNER_ADMIN = 'owner-admin';
export const FLEET_MANAGER = 'fleet-manager';
export const VIEWER = 'viewer';

/** Who may do what; the README's access matrix is checked against the service by test/access-matrix.test.ts. */
export const CAN_READ = [PLATFORM_ADMIN, OWNER_ADMIN, FLEET_MANAGER, VIEWER];
export const CAN_WRITE_VESSELS = [PLATFORM_ADMIN, OWNER_ADMIN, FLEET_MANAGER];
export const CAN_ADMINISTER = [PLATFORM_ADMIN, OWNER_ADMIN];
export const OPERATORS_ONLY = [PLATFORM_ADMIN];

/** Whose rows a request may touch: every tenant's (operators) or one tenant's. */
export type Scope = { kind: 'platform' } | { kind: 'tenant'; tenantId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function scopeOf(principal: Principal | null): Scope {
  if (!principal)
    throw new ProblemError(401, { title: 'Unauthorized', detail: 'A bearer token is required.' });
  if (principal.roles.includes(PLATFORM_ADMIN)) return { kind: 'platform' };
  if (!principal.tenant || !UUID.test(principal.tenant)) {
    throw new ProblemError(403, {
      title: 'Forbidden',
      detail: 'The token carries no tenant; only platform operators work across tenants.',
    });
  }
  return { kind: 'tenant', tenantId: principal.tenant.toLowerCase() };
}

/**
 * Runs fn in a transaction under row-level security for the scope: a tenant's requests cannot read or
 * write another tenant's rows even where a query forgets its tenant condition.
 */
export function inScope<T>(
  pool: pg.Pool,
  scope: Scope,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return scope.kind === 'platform' ? withPlatformAccess(pool, fn) : withTenant(pool, scope.tenantId, fn);
}

/** The actor recorded in the audit log. */
export interface Actor {
  subject: string;
  roles: string[];
  requestId: string;
}

export function actorOf(principal: Principal | null, requestId: string): Actor {
  if (!principal) throw new ProblemError(401, { title: 'Unauthorized' });
  return { subject: principal.subject, roles: principal.roles, requestId };
}
