export { startInfra, devProfile, testProfile } from './infra.js';
export type { Infra, InfraMode, InfraProfile, StartInfraOptions } from './infra.js';
export { startLocalPostgres, postgresUrls } from './postgres.js';
export type { LocalPostgres, LocalPostgresOptions } from './postgres.js';
export { startLocalKafka, ensureKafkaJars, KAFKA_VERSION } from './kafka.js';
export type { LocalKafka, LocalKafkaOptions, LocalKafkaSecurity } from './kafka.js';
export { freePort } from './ports.js';
export {
  findServices,
  labelOf,
  portTaken,
  startProcesses,
  stopProcesses,
  waitUntilReady,
} from './services.js';
export type { RunningProcess, ServicePackage } from './services.js';
export { cacheDir, dataRoot, repoRoot } from './paths.js';
