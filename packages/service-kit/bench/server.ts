// One benchmark target per process, so the load generator (bench/run.ts) does not share its event loop.
// Prints the port it listens on, then serves until killed.
import Fastify, { type FastifyInstance } from 'fastify';
import { register } from 'prom-client';
import { baseConfigSchema, createService, loadConfig } from '../src/index.js';
import { registerMetrics } from '../src/metrics.js';

const [variant = 'bare', jwksFile = '', issuer = '', audience = ''] = process.argv.slice(2);

const route = async (request: { params: unknown }) => ({
  vessel: (request.params as { id: string }).id,
  status: 'active',
});

async function build(): Promise<FastifyInstance> {
  if (variant === 'bare' || variant === 'bare-metrics') {
    const app = Fastify({ logger: false });
    // Only the kit's metrics (swagger-stats through middie), to see what they cost on their own.
    if (variant === 'bare-metrics')
      await registerMetrics(app, { name: 'bench', version: '0', registry: register });
    app.get('/vessels/:id', route);
    return app;
  }
  const config = loadConfig(baseConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '100000000',
    AUTH_ISSUER: issuer,
    AUTH_AUDIENCE: audience,
    AUTH_JWKS_FILE: jwksFile,
  });
  const app = await createService({ name: 'bench', version: '0.0.0', config });
  app.get('/vessels/:id', variant === 'kit-jwt' ? { onRequest: app.authenticate } : {}, route);
  return app;
}

const app = await build();
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (address === null || typeof address === 'string') throw new Error('no port');
process.stdout.write(`PORT ${address.port}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
