// For `pnpm openapi` (fleetwatch-openapi): the app with a pool and a registry that are never
// connected, since the document needs only the routes and their schemas.
import { createFleetRegistryView } from '@fleetwatch/fleet-registry';
import { createKafka } from '@fleetwatch/messaging';
import { loadConfig } from '@fleetwatch/service-kit';
import pg from 'pg';
import { buildApp } from './app.js';
import { maintenanceConfigSchema } from './config.js';

export default async function openApiApp() {
  const config = loadConfig(maintenanceConfigSchema, {
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    KAFKA_BROKERS: '127.0.0.1:1',
    AUTH_ISSUER: 'https://issuer.invalid/',
    AUTH_AUDIENCE: 'fleetwatch',
    AUTH_JWKS_URL: 'https://issuer.invalid/jwks.json',
  });
  const kafka = createKafka({ clientId: 'openapi', brokers: ['127.0.0.1:1'] });
  return buildApp({
    config,
    pool: new pg.Pool({ connectionString: config.DATABASE_URL }),
    registry: createFleetRegistryView({ kafka, instanceId: 'openapi' }),
  });
}
