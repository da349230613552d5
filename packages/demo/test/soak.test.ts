import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { dataRoot, repoRoot } from '@fleetwatch/local-infra';
import { runSoak } from '../src/soak.js';

/**
 * `make soak`, short: every service as a process, the simulator's fleet posting through its faulty
 * links for two minutes (a simulated day), then nothing lost and no runaway memory.
 */
describe('a short soak of the whole platform', () => {
  it('stores every acknowledged point and accepted noon report, with bounded memory', async () => {
    const result = await runSoak({
      databaseUrl: inject('databaseUrl'),
      adminDatabaseUrl: inject('adminDatabaseUrl'),
      kafkaBrokers: inject('kafkaBrokers'),
      servicesDir: path.join(repoRoot, 'services'),
      logsDir: path.join(dataRoot, 'soak-test', 'logs'),
      seconds: Number(process.env.SOAK_SECONDS ?? 120),
      vessels: 20,
      channels: 20,
      acceleration: 720,
      maxRssGrowthMiB: 150,
      log: (line) => console.log(`[soak] ${line}`),
    });
    console.log(
      `[soak] ${JSON.stringify({ ...result, runner: { ...result.runner, lastErrors: undefined } })}`,
    );
    expect(result.problems).toEqual([]);
    expect(result.runner.uniquePointsAccepted).toBeGreaterThan(10_000);
    expect(result.pointsStored).toBe(result.runner.uniquePointsAccepted);
    // 20 vessels, one simulated day: a noon report each.
    expect(result.runner.noonReportsSubmitted).toBeGreaterThanOrEqual(20);
    expect(result.noonReportsStored).toBe(result.runner.noonReportsSubmitted);
  }, 600_000);
});
