/**
 * Local infrastructure commands:
 *   jars   fetch the Kafka broker jars into .cache/ (no-op when present; used by the Makefile)
 *   infra  start a fresh PostgreSQL and Kafka of your own on the given ports and print the variables
 *          that point the tests at them, until Ctrl-C; for running test files alongside another
 *          run that holds the default test ports:
 *            infra --name mine --postgres-port 46433 --kafka-port 46092 --controller-port 46093
 * `make dev` and `make soak` are packages/demo's (src/cli.ts).
 */
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { startInfra } from './infra.js';
import { ensureKafkaJars } from './kafka.js';

const log = (line: string): void => console.log(`[local-infra] ${line}`);

async function runInfra(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string', default: 'own' },
      'postgres-port': { type: 'string' },
      'kafka-port': { type: 'string' },
      'controller-port': { type: 'string' },
    },
  });
  const port = (name: 'postgres-port' | 'kafka-port' | 'controller-port'): number => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1024 || value > 65535) throw new Error(`--${name} <1024-65535>`);
    return value;
  };
  const infra = await startInfra({
    profile: {
      name: `infra-${values.name}`,
      postgresPort: port('postgres-port'),
      kafkaPort: port('kafka-port'),
      kafkaControllerPort: port('controller-port'),
      fresh: true,
    },
    env: { FLEETWATCH_INFRA: 'local' },
    log,
  });
  console.log(`DATABASE_URL=${infra.databaseUrl}`);
  console.log(`DATABASE_ADMIN_URL=${infra.adminDatabaseUrl}`);
  console.log(`KAFKA_BROKERS=${infra.kafkaBrokers.join(',')}`);
  log('ready; Ctrl-C stops');
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  await infra.stop();
}

const [command, ...rest] = process.argv.slice(2);
switch (command) {
  case 'jars':
    log(`Kafka jars in ${await ensureKafkaJars(log)}`);
    break;
  case 'infra':
    await runInfra(rest);
    break;
  default:
    console.error(
      'usage: cli.ts jars | infra --name <n> --postgres-port <p> --kafka-port <p> --controller-port <p>',
    );
    process.exit(2);
}
