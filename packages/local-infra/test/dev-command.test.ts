import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dataRoot } from '../src/paths.js';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('the dev command (make dev)', () => {
  it('starts PostgreSQL and Kafka, and stops both cleanly on Ctrl-C', async () => {
    const ports = { postgres: await freePort(), kafka: await freePort(), controller: await freePort() };
    const profile = `dev-smoke-${process.pid}`;
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', cli, 'dev'], {
      env: {
        ...process.env,
        // Local processes even when the suite itself runs against external ones.
        DATABASE_URL: '',
        KAFKA_BROKERS: '',
        FLEETWATCH_INFRA: 'local',
        FLEETWATCH_DEV_PROFILE: profile,
        FLEETWATCH_DEV_POSTGRES_PORT: String(ports.postgres),
        FLEETWATCH_DEV_KAFKA_PORT: String(ports.kafka),
        FLEETWATCH_DEV_KAFKA_CONTROLLER_PORT: String(ports.controller),
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    try {
      const deadline = Date.now() + 90_000;
      while (!output.includes('ready; press Ctrl-C to stop')) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`dev did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await accepts(ports.postgres)).toBe(true);
      expect(await accepts(ports.kafka)).toBe(true);

      child.kill('SIGINT');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(output).toContain('[local-infra] stopped');
      expect(await accepts(ports.postgres)).toBe(false);
      expect(await accepts(ports.kafka)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(path.join(dataRoot, profile), { recursive: true, force: true });
    }
  });
});
