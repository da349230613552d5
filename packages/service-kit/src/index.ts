export { createService } from './service.js';
export type { Closeable, ServiceApp, ServiceOptions } from './service.js';
export { runService } from './run.js';
export { packageInfo } from './package-info.js';
export type { PackageInfo } from './package-info.js';
export {
  baseConfigSchema,
  loadConfig,
  loadConfigOrExit,
  exitOnConfigError,
  ConfigError,
  parseList,
} from './config.js';
export type { BaseConfig } from './config.js';
export {
  ProblemError,
  ProblemDetails,
  InvalidParam,
  PROBLEM_CONTENT_TYPE,
  VALIDATION_PROBLEM_TYPE,
  sendProblem,
} from './problem.js';
export { ACCEPTED_ALGORITHMS } from './auth.js';
export type { Principal } from './auth.js';
export type { ReadinessCheck } from './health.js';
export { createLogger, REDACTED_PATHS } from './logger.js';
export { UNMATCHED_ROUTE } from './metrics.js';
export { writeOpenApiDocument } from './openapi.js';
export { DEV_AUDIENCE, DEV_ISSUER, devKeyFiles, loadOrCreateDevKey, mintDevToken } from './dev-token.js';
export { Nullable, StringEnum } from './schemas.js';
export { etagOf, ifNoneMatchHits, versionFromIfMatch } from './http/etag.js';
export { decodeCursor, encodeCursor } from './http/cursor.js';
export type { Cursor } from './http/cursor.js';
export {
  FLEET_MANAGER,
  OWNER_ADMIN,
  PLATFORM_ADMIN,
  VIEWER,
  invalidField,
  invalidFields,
  notFound,
  scopeOf,
} from './tenancy.js';
export type { Scope } from './tenancy.js';
export { isCountryCode } from './formats.js';
