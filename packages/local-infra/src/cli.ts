/**
 * Local infrastructure commands (used by the Makefile):
 *   jars  fetch the Kafka broker jars into .cache/ (no-op when present)
 * `make dev` and `make soak` are packages/demo's (src/cli.ts).
 */
import { ensureKafkaJars } from './kafka.js';

const log = (line: string): void => console.log(`[local-infra] ${line}`);

const command = process.argv[2];
switch (command) {
  case 'jars':
    log(`Kafka jars in ${await ensureKafkaJars(log)}`);
    break;
  default:
    console.error('usage: cli.ts jars');
    process.exit(2);
}
