import type { TestProject } from 'vitest/node';
import { startInfra, testProfile } from './infra.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Services' connection (row-level security applies). */
    databaseUrl: string;
    /** Owner connection, for migrations and test fixtures. */
    adminDatabaseUrl: string;
    kafkaBrokers: string[];
  }
}

/** Starts PostgreSQL and Kafka once per `vitest run`, shared by every project. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const infra = await startInfra({
    profile: testProfile,
    log: (line) => {
      if (process.env.FLEETWATCH_INFRA_VERBOSE) console.log(line);
    },
  });
  console.log(`test infrastructure (${infra.mode}) ready in ${Date.now() - started} ms`);
  project.provide('databaseUrl', infra.databaseUrl);
  project.provide('adminDatabaseUrl', infra.adminDatabaseUrl);
  project.provide('kafkaBrokers', infra.kafkaBrokers);
  return () => infra.stop();
}
