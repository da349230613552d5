import type { Principal } from './auth.js';
import { ProblemError, VALIDATION_PROBLEM_TYPE } from './problem.js';

/** The roles of the platform's users. Vessel device keys are a separate identity (packages/fleet-registry). */
export const PLATFORM_ADMIN = 'platform-admin';
export const OWNER_ADMIN = 'owner-admin';
export const FLEET_MANAGER = 'fleet-manager';
export const VIEWER = 'viewer';

/** Whose rows a request may touch: every tenant's (platform operators) or one tenant's. */
export type Scope = { kind: 'platform' } | { kind: 'tenant'; tenantId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The caller's scope: 401 without a principal, 403 for a tenant role without a (uuid) tenant. */
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

/** The same answer whether the resource does not exist or belongs to another tenant. */
export function notFound(what: string): ProblemError {
  return new ProblemError(404, { title: 'Not Found', detail: `${what} was not found.` });
}

/** A 400 validation problem for one field, shaped like the schema validator's. */
export function invalidField(location: string, pointer: string, message: string): ProblemError {
  return invalidFields(location, [{ pointer, message }]);
}

export function invalidFields(
  location: string,
  errors: { pointer: string; message: string }[],
): ProblemError {
  return new ProblemError(400, {
    type: VALIDATION_PROBLEM_TYPE,
    title: 'Request validation failed',
    detail: `The request ${location} is invalid.`,
    errors: errors.map((error) => ({ in: location, ...error })),
  });
}
