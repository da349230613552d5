import {
  FLEET_MANAGER,
  OWNER_ADMIN,
  PLATFORM_ADMIN,
  ProblemError,
  VIEWER,
  type Principal,
} from '@fleetwatch/service-kit';

/** Who may do what; the README's access matrix is checked against the service by test/access-matrix.test.ts. */
export const CAN_READ = [PLATFORM_ADMIN, OWNER_ADMIN, FLEET_MANAGER, VIEWER];
export const CAN_WRITE_VESSELS = [PLATFORM_ADMIN, OWNER_ADMIN, FLEET_MANAGER];
export const CAN_ADMINISTER = [PLATFORM_ADMIN, OWNER_ADMIN];
export const OPERATORS_ONLY = [PLATFORM_ADMIN];

export { withScope } from '@fleetwatch/db';
export { scopeOf } from '@fleetwatch/service-kit';

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
