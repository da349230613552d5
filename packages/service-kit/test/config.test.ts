import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { baseConfigSchema, ConfigError, loadConfig } from '../src/index.js';

const sampleServer = fileURLToPath(new URL('./fixtures/sample-server.ts', import.meta.url));
const validEnv = {
  AUTH_ISSUER: 'https://auth.example/',
  AUTH_AUDIENCE: 'fleetwatch',
  AUTH_JWKS_URL: 'https://auth.example/.well-known/jwks.json',
};

describe('configuration from the environment', () => {
  it('applies defaults and coerces numbers', () => {
    const config = loadConfig(baseConfigSchema, { ...validEnv, PORT: '9000' });
    expect(config.PORT).toBe(9000);
    expect(config.NODE_ENV).toBe('production');
    expect(config.SHUTDOWN_TIMEOUT_MS).toBe(25_000);
  });

  it('names every offending variable at once', () => {
    let caught: unknown;
    try {
      loadConfig(baseConfigSchema, { ...validEnv, PORT: 'eighty', LOG_LEVEL: 'loud', AUTH_AUDIENCE: '' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const variables = (caught as ConfigError).problems.map((problem) => problem.variable).sort();
    expect(variables).toEqual(['AUTH_AUDIENCE', 'LOG_LEVEL', 'PORT']);
  });

  it('refuses a local JWKS file in production', () => {
    expect(() =>
      loadConfig(baseConfigSchema, {
        ...validEnv,
        AUTH_JWKS_URL: undefined,
        AUTH_JWKS_FILE: '/tmp/dev-jwks.json',
        NODE_ENV: 'production',
      }),
    ).toThrow(/AUTH_JWKS_FILE must not be set in production/);
  });

  it('stops a service started with two bad variables, naming both', () => {
    const result = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', sampleServer], {
      env: { PATH: process.env.PATH, ...validEnv, PORT: 'not-a-port', RATE_LIMIT_MAX: '-1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('RATE_LIMIT_MAX');
  });
});
