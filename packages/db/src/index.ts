export { createPool, checkDatabase } from './pool.js';
export type { CreatePoolOptions, CheckDatabaseOptions } from './pool.js';
export { registerPoolMetrics } from './pool-metrics.js';
export type { PoolMetricsOptions } from './pool-metrics.js';
export { migrate, DEFAULT_APP_ROLE, MIGRATIONS_TABLE } from './migrate.js';
export type { MigrateOptions } from './migrate.js';
export { withTransaction } from './transaction.js';
export {
  withTenant,
  withPlatformAccess,
  withScope,
  tenantIsolationSql,
  platformAccessSql,
  TENANT_ID_SETTING,
  PLATFORM_ACCESS_SETTING,
  CURRENT_TENANT_ID_SQL,
} from './tenant.js';
export type { AccessScope } from './tenant.js';
