import { Type } from '@sinclair/typebox';
import { Writable } from 'node:stream';
import { createService, StringEnum, type ServiceApp, type ServiceOptions } from '../src/index.js';
import { loadConfig, baseConfigSchema, type BaseConfig } from '../src/config.js';
import { createTestAuth, type TestAuth } from '../src/testing.js';

/** Collects the JSON log lines an app writes. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim()) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    callback();
  }
}

export function testConfig(auth: TestAuth, env: Record<string, string> = {}): BaseConfig {
  return loadConfig(baseConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    AUTH_ISSUER: auth.issuer,
    AUTH_AUDIENCE: auth.audience,
    AUTH_JWKS_FILE: auth.jwksFile,
    ...env,
  });
}

export const Vessel = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    imo: Type.String({ pattern: '^[0-9]{7}$' }),
    dwt: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { $id: 'SampleVessel', title: 'SampleVessel', additionalProperties: false },
);

/** A small service built with the kit, with routes that exercise each behaviour under test. */
export async function buildSampleApp(
  options: {
    env?: Record<string, string>;
    auth?: TestAuth;
    logs?: LogCapture;
  } & Partial<ServiceOptions> = {},
): Promise<{ app: ServiceApp; auth: TestAuth; logs: LogCapture }> {
  const auth = options.auth ?? (await createTestAuth());
  const logs = options.logs ?? new LogCapture();
  const app = await createService({
    name: 'sample',
    version: '1.2.3',
    config: testConfig(auth, options.env),
    formats: { even: (value) => /^[0-9]+$/.test(value) && Number(value) % 2 === 0 },
    logDestination: logs,
    ...(options.readiness ? { readiness: options.readiness } : {}),
    ...(options.registry ? { registry: options.registry } : {}),
  });
  app.addSchema(Vessel);

  app.get('/x/:id', { schema: { params: Type.Object({ id: Type.String() }) } }, async (request) => ({
    id: request.params.id,
  }));
  app.post(
    '/vessels',
    {
      onRequest: app.requireRole('fleet-manager'),
      schema: { body: Type.Ref(Vessel), response: { 201: Type.Ref(Vessel) } },
    },
    async (request, reply) => reply.code(201).send(request.body),
  );
  app.get('/me', { onRequest: app.authenticate, schema: { summary: 'Who am I' } }, async (request) => ({
    subject: request.principal?.subject,
    tenant: request.principal?.tenant,
    roles: request.principal?.roles,
  }));
  app.get(
    '/even/:number',
    { schema: { params: Type.Object({ number: Type.String({ format: 'even' }) }) } },
    async (request) => ({ number: request.params.number }),
  );
  app.get(
    '/colours',
    { schema: { querystring: Type.Object({ colour: StringEnum(['red', 'green', 'blue']) }) } },
    async (request) => ({ colour: request.query.colour }),
  );
  app.get('/boom', async () => {
    throw new Error('connection to postgres://admin:hunter2@db failed');
  });
  app.get('/log-headers', async (request) => {
    request.log.info({ headers: request.headers, password: 'hunter2' }, 'echoing headers');
    return { ok: true };
  });
  await app.ready();
  return { app, auth, logs };
}
