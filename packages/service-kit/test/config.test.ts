import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { kafkaConnectionConfigSchema, kafkaConnectionOptions } from '@fleetwatch/messaging';
import { Type } from '@sinclair/typebox';
import { describe, expect, it, vi } from 'vitest';
import { baseConfigSchema, ConfigError, exitOnConfigError, loadConfig } from '../src/index.js';

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

  describe("with messaging's Kafka connection variables, as the services compose them", () => {
    const schema = Type.Object({ ...baseConfigSchema.properties, ...kafkaConnectionConfigSchema.properties });

    it('reads them from environment strings, KAFKA_SSL off by default', () => {
      expect(loadConfig(schema, validEnv)).toMatchObject({ KAFKA_SSL: false });
      const config = loadConfig(schema, {
        ...validEnv,
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'fleetwatch',
        KAFKA_SASL_PASSWORD: 's3cret',
      });
      expect(config).toMatchObject({
        KAFKA_SSL: true,
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'fleetwatch',
        KAFKA_SASL_PASSWORD: 's3cret',
      });
    });

    it('names a bad value', () => {
      let caught: unknown;
      try {
        loadConfig(schema, { ...validEnv, KAFKA_SSL: 'maybe', KAFKA_SASL_MECHANISM: 'gssapi' });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      const variables = (caught as ConfigError).problems.map((problem) => problem.variable).sort();
      expect(variables).toEqual(['KAFKA_SASL_MECHANISM', 'KAFKA_SSL']);
    });
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

describe('exitOnConfigError', () => {
  it('returns what it derives', () => {
    expect(exitOnConfigError(() => kafkaConnectionOptions({ KAFKA_SSL: true }))).toEqual({ ssl: true });
  });

  it('lets errors that name no variables through', () => {
    expect(() =>
      exitOnConfigError(() => {
        throw new TypeError('not about configuration');
      }),
    ).toThrow(TypeError);
  });

  it('stops the process like a bad variable when variables do not go together', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() =>
        exitOnConfigError(() =>
          kafkaConnectionOptions({ KAFKA_SSL: false, KAFKA_SASL_USERNAME: 'fleetwatch' }),
        ),
      ).toThrow('exit 78');
      expect(write).toHaveBeenCalledTimes(1);
      const line = JSON.parse(String(write.mock.calls[0]?.[0])) as {
        level: string;
        message: string;
        variables: { variable: string }[];
      };
      expect(line.level).toBe('fatal');
      expect(line.message).toContain('KAFKA_SASL_MECHANISM must be set when KAFKA_SASL_USERNAME is');
      expect(line.variables.map(({ variable }) => variable)).toEqual(['KAFKA_SASL_MECHANISM']);
    } finally {
      exit.mockRestore();
      write.mockRestore();
    }
  });
});
