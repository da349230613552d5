import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createConnection } from 'node:net';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { terminate } from './process-utils.js';

/** A service folder under services/: its package, schema and the processes its scripts start. */
export interface ServicePackage {
  name: string;
  dir: string;
  /** The service's PostgreSQL schema: its folder name. */
  schema: string;
  /** Its `dev` and `dev:<process>` scripts: one process each (an API and a writer, say). */
  devScripts: string[];
  /** Where each script's process listens (package.json `fleetwatch.ports`), for the readiness wait. */
  ports: Record<string, number>;
  migrationsDir?: string;
}

async function isDirectory(candidate: string): Promise<boolean> {
  return stat(candidate).then(
    (found) => found.isDirectory(),
    () => false,
  );
}

/** services/* with a package.json, in folder order. */
export async function findServices(servicesDir: string): Promise<ServicePackage[]> {
  const entries = await readdir(servicesDir, { withFileTypes: true }).catch(() => []);
  const found: ServicePackage[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(servicesDir, entry.name);
    const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8').catch(() => '{}')) as {
      name?: string;
      scripts?: Record<string, string>;
      fleetwatch?: { ports?: Record<string, number> };
    };
    if (!manifest.name) continue;
    const migrationsDir = path.join(dir, 'migrations');
    found.push({
      name: manifest.name,
      dir,
      schema: entry.name,
      devScripts: Object.keys(manifest.scripts ?? {}).filter((script) => /^dev(:[\w-]+)?$/.test(script)),
      ports: manifest.fleetwatch?.ports ?? {},
      ...((await isDirectory(migrationsDir)) ? { migrationsDir } : {}),
    });
  }
  return found;
}

/** `fleet`, `performance:writer`: the schema and the script's suffix. */
export function labelOf(service: ServicePackage, script: string): string {
  return script === 'dev' ? service.schema : `${service.schema}:${script.slice('dev:'.length)}`;
}

export interface RunningProcess {
  /** `fleet`, `performance:writer`: the schema and the script's suffix. */
  label: string;
  port?: number;
  logFile: string;
  child: ChildProcess;
}

/** Whether something already accepts connections on the port (another `make dev`, say). */
export function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts each service script in its own process group (so stopping reaches the service behind pnpm
 * and tsx), its output appended to `<logsDir>/<label>.log`.
 */
export async function startProcesses(
  services: ServicePackage[],
  {
    logsDir,
    env,
    ports: portOverrides = {},
  }: {
    logsDir: string;
    env: NodeJS.ProcessEnv;
    /** Ports by process label instead of the packages' own (a soak beside a running make dev). */
    ports?: Record<string, number>;
  },
): Promise<RunningProcess[]> {
  await mkdir(logsDir, { recursive: true });
  // A process already on a service's port would answer its readiness probe in its place.
  for (const service of services) {
    for (const [script, ownPort] of Object.entries(service.ports)) {
      const port = portOverrides[labelOf(service, script)] ?? ownPort;
      if (await portTaken(port)) {
        throw new Error(`port ${port} (${service.schema} ${script}) is in use: is another make dev running?`);
      }
    }
  }
  const running: RunningProcess[] = [];
  for (const service of services) {
    for (const script of service.devScripts) {
      const label = labelOf(service, script);
      const logFile = path.join(logsDir, `${label.replace(':', '-')}.log`);
      const log = createWriteStream(logFile, { flags: 'a' });
      const child = spawn('pnpm', ['run', '--silent', script], {
        cwd: service.dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
        env: {
          ...env,
          ...(portOverrides[label] === undefined ? {} : { PORT: String(portOverrides[label]) }),
        },
      });
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
      const port = portOverrides[label] ?? service.ports[script];
      running.push({ label, logFile, child, ...(port === undefined ? {} : { port }) });
    }
  }
  return running;
}

/**
 * Waits until the process answers 200 on /readyz (or, without a port, simply keeps running for a
 * moment); throws with its log file when it exits first or the timeout passes.
 */
export async function waitUntilReady(process: RunningProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process.child.exitCode !== null || process.child.signalCode !== null) {
      throw new Error(
        `${process.label} exited (${process.child.exitCode ?? process.child.signalCode}); see ${process.logFile}`,
      );
    }
    if (process.port === undefined) return;
    const ready = await fetch(`http://127.0.0.1:${process.port}/readyz`, {
      signal: AbortSignal.timeout(2_000),
    }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${process.label} not ready on port ${process.port} within ${timeoutMs / 1000} s; see ${process.logFile}`,
      );
    }
    await sleep(250);
  }
}

/** SIGTERM to each process group, SIGKILL after the grace period (their SHUTDOWN_TIMEOUT_MS is shorter). */
export async function stopProcesses(processes: RunningProcess[], graceMs = 30_000): Promise<void> {
  await Promise.all(
    processes.flatMap(({ child }) =>
      child.pid === undefined ? [] : [terminate(-child.pid, 'SIGTERM', graceMs)],
    ),
  );
}
