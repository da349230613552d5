import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * Settings every package and service's tests share (projects referenced by file do not inherit the
 * root config): workspace packages resolve to their TypeScript sources through the "source" export
 * condition, and tests get time for real PostgreSQL and Kafka round trips.
 */
export function defineFleetwatchProject(name: string): UserWorkspaceConfig {
  return defineProject({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 120_000,
    },
  });
}
