import { Type, type Static, type TObject } from '@sinclair/typebox';
import envSchema from 'env-schema';

/** Raised when the environment does not describe a runnable service; names every offending variable. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `invalid configuration: ${problems.map(({ variable, message }) => `${variable} ${message}`).join('; ')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Settings every service has. Services add theirs with `Type.Composite([baseConfigSchema, ...])`. */
export const baseConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
    default: 'production',
  }),
  HOST: Type.String({ default: '0.0.0.0', minLength: 1 }),
  PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  /** Comma-separated origins allowed by CORS; empty means no cross-origin browser access. */
  CORS_ORIGINS: Type.String({ default: '' }),
  /** Behind the load balancer: take the client address from X-Forwarded-For (rate limits, logs). */
  TRUST_PROXY: Type.Boolean({ default: false }),
  RATE_LIMIT_MAX: Type.Integer({ default: 600, minimum: 1 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ default: 60_000, minimum: 1000 }),
  BODY_LIMIT_BYTES: Type.Integer({ default: 1_048_576, minimum: 1024 }),
  /** Load shedding: answer 503 (Retry-After) while the event loop lags more than this. */
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ default: 1000, minimum: 10 }),
  /** Upper bound for a graceful shutdown; the process exits non-zero when it is exceeded. */
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ default: 25_000, minimum: 100 }),
  /** JWKS of the identity provider (production). */
  AUTH_JWKS_URL: Type.Optional(Type.String({ pattern: '^https?://\\S+$' })),
  /** A local JWKS file (development and tests only). */
  AUTH_JWKS_FILE: Type.Optional(Type.String({ minLength: 1 })),
  AUTH_ISSUER: Type.String({ minLength: 1 }),
  AUTH_AUDIENCE: Type.String({ minLength: 1 }),
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://\\S+$' })),
  /** Read by register-telemetry before the config is loaded; listed so the whole environment is checked. */
  OTEL_SERVICE_NAME: Type.Optional(Type.String({ minLength: 1 })),
});

export type BaseConfig = Static<typeof baseConfigSchema>;

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function variableOf(error: AjvError): string {
  if (error.keyword === 'required') return String(error.params.missingProperty);
  return error.instancePath.split('/')[1] ?? '(environment)';
}

/**
 * Reads and validates the environment against a TypeBox object schema (defaults applied, numbers
 * coerced). Throws one ConfigError naming every bad or missing variable.
 */
export function loadConfig<S extends TObject>(schema: S, env: NodeJS.ProcessEnv = process.env): Static<S> {
  let config: Static<S>;
  try {
    // env-schema mutates the schema it is given (additionalProperties); give it a copy.
    config = envSchema<Static<S>>({ schema: structuredClone(schema), data: { ...env }, env: false });
  } catch (error) {
    const ajvErrors = (error as { errors?: AjvError[] }).errors;
    if (!ajvErrors) throw error;
    const problems = new Map<string, string>();
    for (const ajvError of ajvErrors) {
      const variable = variableOf(ajvError);
      // A union of literals reports one error per branch; one message per variable is enough.
      if (!problems.has(variable)) problems.set(variable, ajvError.message ?? 'is invalid');
    }
    throw new ConfigError([...problems].map(([variable, message]) => ({ variable, message })));
  }
  checkBaseRules(config);
  return config;
}

function checkBaseRules(config: Record<string, unknown>): void {
  if (!('AUTH_ISSUER' in config)) return;
  const problems: { variable: string; message: string }[] = [];
  const { NODE_ENV, AUTH_JWKS_URL, AUTH_JWKS_FILE } = config as Partial<BaseConfig>;
  if (NODE_ENV === 'production' && AUTH_JWKS_FILE) {
    problems.push({
      variable: 'AUTH_JWKS_FILE',
      message: 'must not be set in production (use AUTH_JWKS_URL)',
    });
  }
  if (!AUTH_JWKS_URL && !AUTH_JWKS_FILE) {
    problems.push({ variable: 'AUTH_JWKS_URL', message: 'or AUTH_JWKS_FILE must be set' });
  }
  if (AUTH_JWKS_URL && AUTH_JWKS_FILE) {
    problems.push({ variable: 'AUTH_JWKS_FILE', message: 'must not be set together with AUTH_JWKS_URL' });
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** For server.ts: a bad environment stops the process with one message naming every offending variable. */
export function loadConfigOrExit<S extends TObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): Static<S> {
  return exitOnConfigError(() => loadConfig(schema, env));
}

interface NamesVariables {
  message: string;
  problems: { variable: string; message: string }[];
}

/** A ConfigError, or another package's error of the same shape (messaging's KafkaConnectionConfigError). */
function namesVariables(error: unknown): error is NamesVariables {
  return (
    error instanceof ConfigError ||
    (error instanceof Error && Array.isArray((error as Partial<NamesVariables>).problems))
  );
}

/**
 * For server.ts: runs `derive`, which turns loaded settings into options and checks how variables
 * combine (`kafkaConnectionOptions(config)`). An error naming variables (`problems`, as ConfigError
 * has) stops the process the way a bad variable does: one fatal line, exit code 78.
 */
export function exitOnConfigError<T>(derive: () => T): T {
  try {
    return derive();
  } catch (error) {
    if (!namesVariables(error)) throw error;
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), message: error.message, variables: error.problems })}\n`,
    );
    process.exit(78); // EX_CONFIG
  }
}
