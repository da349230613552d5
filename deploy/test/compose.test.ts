/**
 * docker-compose.yml, the whole local stack for machines with Docker, checked offline (no engine here):
 *   - the document (merge keys resolved, variables interpolated as Compose does) against the Compose
 *     Specification's JSON schema (deploy/compose/compose-spec.json), and a broken one rejected;
 *   - pinned images, ports on 127.0.0.1, depends_on targets, mounted files, hardened own containers,
 *     each rule shown failing on a broken document;
 *   - the tests can still start postgres and kafka alone (packages/local-infra/src/infra.ts);
 *   - what the pieces say of each other: Kafka's listeners and the services' KAFKA_BROKERS, the
 *     environment each service gets (accepted by the service's own configuration schema over the
 *     image's ENV), the migrations, Prometheus' targets and rules, Grafana's provisioning, the
 *     logging driver and Fluent Bit, the OTLP path to Jaeger, the demo image and its key and tokens.
 */
import { execFile } from 'node:child_process';
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEV_AUDIENCE, DEV_ISSUER, loadConfig } from '@fleetwatch/service-kit';
import type { TObject } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { crewConfigSchema } from '../../services/crew/src/config.js';
import { fleetConfigSchema } from '../../services/fleet/src/config.js';
import { maintenanceConfigSchema } from '../../services/maintenance/src/config.js';
import { apiConfigSchema, writerConfigSchema } from '../../services/performance/src/config.js';
import { dockerignoreMatcher, parseDockerfile, type Stage } from './dockerfile.js';
import {
  composeSchemaValidator,
  dependencyProblems,
  dependenciesOf,
  environmentOf,
  hardeningProblems,
  imageProblems,
  interpolateString,
  isOwnImage,
  mountProblems,
  mountsOf,
  parseCompose,
  portProblems,
  portsOf,
  readCompose,
  schemaErrors,
  startedBy,
  COMPOSE_FILE,
  type ComposeDocument,
  type ComposeService,
} from './support/compose.js';
import { REPO_ROOT, TOOLS_BIN, run } from './support/tools.js';

const execFileAsync = promisify(execFile);

const compose = readCompose();
const composeText = readFileSync(COMPOSE_FILE, 'utf8');
const validate = composeSchemaValidator();

/** A deep copy of the document to break. */
function copy(): ComposeDocument {
  return structuredClone(compose);
}
function service(name: string, document: ComposeDocument = compose): ComposeService {
  const found = document.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}
function readYaml<T>(relativePath: string): T {
  return parse(readFileSync(join(REPO_ROOT, relativePath), 'utf8')) as T;
}

/** The services that run the API servers and the writer, with the configuration schema each reads. */
const APP_SERVICES: Record<string, TObject> = {
  fleet: fleetConfigSchema,
  'performance-api': apiConfigSchema,
  'performance-writer': writerConfigSchema,
  crew: crewConfigSchema,
  maintenance: maintenanceConfigSchema,
};
/** services/<name> folders: each has an image and its migrations. */
const SERVICE_FOLDERS = readdirSync(join(REPO_ROOT, 'services'), { withFileTypes: true })
  .filter(
    (entry) => entry.isDirectory() && existsSync(join(REPO_ROOT, 'services', entry.name, 'package.json')),
  )
  .map((entry) => entry.name)
  .sort();

const serviceDockerfile = parseDockerfile(readFileSync(join(REPO_ROOT, 'deploy/docker/Dockerfile'), 'utf8'));
const demoDockerfile = parseDockerfile(
  readFileSync(join(REPO_ROOT, 'deploy/compose/demo.Dockerfile'), 'utf8'),
);

/** ENV of a stage (KEY=value pairs, several per instruction). */
function envOfStage(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== 'ENV') continue;
    for (const [, key, value] of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) {
      if (key && value !== undefined) env[key] = value.replace(/^"|"$/g, '');
    }
  }
  return env;
}
const imageEnv = envOfStage(serviceDockerfile.at(-1) as Stage);

/** host and port of a URL or of host:port. */
function hostPort(address: string): { host: string; port: string } {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  return { host: url.hostname, port: url.port };
}

describe('docker-compose.yml: the Compose Specification', () => {
  it('is valid against the schema, with merge keys resolved and variables interpolated', () => {
    expect(schemaErrors(validate, compose)).toEqual([]);
    // Parsed without merge keys, `<<` would be a service property the schema refuses: the check bites.
    expect(schemaErrors(validate, parse(composeText)).join('\n')).toMatch(/additional properties/);
  });

  it('rejects a broken document', () => {
    const broken = copy();
    const fleet = service('fleet', broken) as Record<string, unknown>;
    fleet.imagee = 'fleetwatch/fleet:local';
    fleet.ports = '127.0.0.1:3001:8080';
    fleet.healthcheck = { test: ['CMD', 'true'], interval: 10 };
    fleet.depends_on = { postgres: { condition: 'service_ready' } };
    (broken as Record<string, unknown>).volumes = ['postgres-data'];
    const errors = schemaErrors(validate, broken);
    expect(errors.join('\n')).toMatch(/\/services\/fleet must NOT have additional properties/);
    expect(errors.join('\n')).toMatch(/\/services\/fleet\/ports must be array/);
    expect(errors.join('\n')).toMatch(/\/services\/fleet\/healthcheck\/interval must be string/);
    expect(errors.join('\n')).toMatch(
      /\/services\/fleet\/depends_on\/postgres\/condition must be equal to one of/,
    );
    expect(errors.join('\n')).toMatch(/\/volumes must be object/);
  });

  it('interpolates variables as Compose does', () => {
    const env = { SET: 'value', EMPTY: '' };
    expect(
      interpolateString('${SET} $SET $$SET ${UNSET:-fallback} ${EMPTY:-fallback} ${EMPTY-kept}', env),
    ).toBe('value value $SET fallback fallback ');
    expect(() => interpolateString('${UNSET:?must be set}', env)).toThrow(/UNSET/);
    expect(interpolateString('${SET:+on}|${EMPTY:+on}|${EMPTY+on}|${UNSET+on}', env)).toBe('on||on|');
    // The simulator's settings default to make dev's and follow the caller's environment.
    expect(environmentOf(service('simulator')).FLEETWATCH_SIM_VESSELS).toBe('650');
    const moved = parseCompose(composeText, { FLEETWATCH_SIM_VESSELS: '20' });
    expect(environmentOf(service('simulator', moved)).FLEETWATCH_SIM_VESSELS).toBe('20');
  });
});

describe('docker-compose.yml: rules', () => {
  it('pins every image by tag and digest, or builds it in exactly one service', () => {
    expect(imageProblems(compose)).toEqual([]);
    expect(composeText).not.toMatch(/:latest\b/);

    const broken = copy();
    service('jaeger', broken).image = 'jaegertracing/all-in-one:latest';
    service('grafana', broken).image = 'grafana/grafana:12.1.0';
    service('prometheus', broken).image = 'prom/prometheus';
    service('fleet', broken).build = { context: '.', dockerfile: 'deploy/docker/Dockerfile' };
    delete service('crew', broken).pull_policy;
    service('simulator', broken).depends_on = ['performance-api'];
    service('performance-api', broken).depends_on = ['kafka'];
    expect(imageProblems(broken)).toEqual(
      expect.arrayContaining([
        'jaeger: jaegertracing/all-in-one:latest uses latest',
        'grafana: grafana/grafana:12.1.0 is not pinned by digest',
        'prometheus: prom/prometheus has no tag',
        'fleetwatch/fleet:local is built by migrate-fleet and fleet: build it in one service',
        'crew: runs fleetwatch/crew:local, built by migrate-crew, without pull_policy: never',
        'simulator: runs fleetwatch/demo:local but does not depend on dev-keys, which builds it',
      ]),
    );
  });

  it('builds the services from deploy/docker/Dockerfile, one image per services/ folder', () => {
    const built = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
    const serviceImages = built.filter(
      ([, s]) => typeof s.build === 'object' && s.build.dockerfile === 'deploy/docker/Dockerfile',
    );
    const builtFor = serviceImages.map(([, s]) => {
      const build = s.build as { context?: string; args?: Record<string, string> };
      expect(build.context).toBe('.');
      const folder = build.args?.SERVICE ?? '';
      expect(s.image).toBe(`fleetwatch/${folder}:local`);
      return folder;
    });
    expect(builtFor.sort()).toEqual(SERVICE_FOLDERS);
    for (const name of Object.keys(APP_SERVICES)) expect(isOwnImage(service(name).image)).toBe(true);
  });

  it('publishes ports on 127.0.0.1 only', () => {
    expect(portProblems(compose)).toEqual([]);
    const broken = copy();
    service('grafana', broken).ports = ['3000:3000'];
    service('jaeger', broken).ports = [{ target: 16686, published: 16686 }];
    service('opensearch', broken).ports = ['0.0.0.0:9200:9200'];
    expect(portProblems(broken)).toEqual([
      'grafana: port 3000->3000 is not bound to 127.0.0.1',
      'opensearch: port 9200->9200 is not bound to 127.0.0.1',
      'jaeger: port 16686->16686 is not bound to 127.0.0.1',
    ]);
  });

  it('depends only on services of the file, without cycles', () => {
    expect(dependencyProblems(compose)).toEqual([]);
    const broken = copy();
    service('grafana', broken).depends_on = ['prometheus', 'loki'];
    service('prometheus', broken).depends_on = { grafana: { condition: 'service_started' } };
    const problems = dependencyProblems(broken);
    expect(problems).toContain('grafana: depends on loki, which is not a service');
    expect(problems.some((problem) => problem.startsWith('dependency cycle: '))).toBe(true);
  });

  it('mounts files of the repository read-only, and named volumes it declares', () => {
    expect(mountProblems(compose)).toEqual([]);
    const broken = copy();
    service('prometheus', broken).volumes = [
      './deploy/observability/prometheus/missing.yml:/etc/prometheus/prometheus.yml:ro',
      './deploy/observability/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml',
      '/etc/passwd:/etc/passwd:ro',
      'metrics:/prometheus',
    ];
    expect(mountProblems(broken)).toEqual([
      'prometheus: ./deploy/observability/prometheus/missing.yml does not exist',
      'prometheus: ./deploy/observability/prometheus/prometheus.yml is mounted writable',
      'prometheus: /etc/passwd is not a path in the repository',
      'prometheus: volume metrics is not declared under volumes:',
    ]);
  });

  it('runs our own containers as a non-root user, read-only, without capabilities', () => {
    expect(hardeningProblems(compose)).toEqual([]);
    const own = Object.entries(compose.services).filter(([, s]) => isOwnImage(s.image));
    expect(own.map(([name]) => name).sort()).toEqual(
      [
        ...Object.keys(APP_SERVICES),
        ...SERVICE_FOLDERS.map((folder) => `migrate-${folder}`),
        'dev-keys',
        'simulator',
      ].sort(),
    );
    for (const [, s] of own) {
      // The image's user (deploy/docker/Dockerfile, demo.Dockerfile), and a writable /tmp only.
      expect(s.user).toBe('65532:65532');
      expect(s.tmpfs).toEqual(['/tmp:size=64m,mode=1777']);
    }
    const broken = copy();
    service('fleet', broken).user = '0';
    service('crew', broken).read_only = false;
    service('maintenance', broken).cap_drop = ['NET_RAW'];
    service('simulator', broken).security_opt = [];
    expect(hardeningProblems(broken)).toEqual([
      'fleet: user is not a numeric non-root uid',
      'crew: root filesystem is not read_only',
      'maintenance: capabilities are not dropped (ALL)',
      'simulator: no-new-privileges is not set',
    ]);
  });
});

describe('docker-compose.yml: what the tests and `docker compose up` start', () => {
  it('lets the tests start postgres and kafka alone, with their ports and health checks', () => {
    // packages/local-infra/src/infra.ts: `up(['postgres', 'kafka'])`, waiting for both health checks,
    // PostgreSQL on container port 5432 and Kafka's host listener on 9092.
    const infra = readFileSync(join(REPO_ROOT, 'packages/local-infra/src/infra.ts'), 'utf8');
    expect(infra).toContain(".up(['postgres', 'kafka'])");
    expect(infra).toContain("'docker-compose.yml'");
    expect([...startedBy(compose, ['postgres', 'kafka'])].sort()).toEqual(['kafka', 'postgres']);
    for (const name of ['postgres', 'kafka']) {
      expect(service(name).profiles).toBeUndefined();
      expect(service(name).healthcheck?.test).toBeDefined();
    }
    expect(service('postgres').ports).toEqual(['127.0.0.1:5433:5432']);
    expect(service('kafka').ports).toEqual(['127.0.0.1:9092:9092']);
    expect(service('postgres').healthcheck?.test).toEqual([
      'CMD-SHELL',
      'pg_isready -U postgres -d fleetwatch',
    ]);
    expect(service('kafka').healthcheck?.test).toEqual([
      'CMD-SHELL',
      '/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server 127.0.0.1:9092 >/dev/null 2>&1',
    ]);
  });

  it('starts everything with a plain `docker compose up`: no profiles', () => {
    for (const [name, s] of Object.entries(compose.services)) expect(s.profiles, name).toBeUndefined();
    // …and everything is reachable from the simulator and the observability services.
    const all = startedBy(compose, ['simulator', 'grafana', 'opensearch-dashboards']);
    expect([...all].sort()).toEqual(Object.keys(compose.services).sort());
  });

  it('gives Kafka a listener for the host (127.0.0.1:9092) and one for containers (KAFKA_BROKERS)', () => {
    const env = environmentOf(service('kafka'));
    const listeners = (value: string | undefined): Map<string, string> =>
      new Map(
        (value ?? '').split(',').map((entry) => {
          const [name = '', address = ''] = entry.split('://');
          return [name, address];
        }),
      );
    const bound = listeners(env.KAFKA_LISTENERS);
    const advertised = listeners(env.KAFKA_ADVERTISED_LISTENERS);
    const protocols = listeners(env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP?.replaceAll(':', '://'));
    for (const name of bound.keys()) expect(protocols.has(name), name).toBe(true);
    expect(advertised.get('PLAINTEXT')).toBe('127.0.0.1:9092');
    expect(bound.get('PLAINTEXT')).toBe('0.0.0.0:9092');
    const internal = advertised.get('INTERNAL') ?? '';
    expect(hostPort(internal).host).toBe('kafka');
    expect(bound.get('INTERNAL')).toBe(`0.0.0.0:${hostPort(internal).port}`);
    // The containers' port is not published: the host keeps using 9092.
    expect(portsOf(service('kafka')).map((port) => port.target)).toEqual(['9092']);
    for (const name of Object.keys(APP_SERVICES)) {
      expect(environmentOf(service(name)).KAFKA_BROKERS, name).toBe(internal);
    }
  });
});

describe('docker-compose.yml: the services', () => {
  describe.each(Object.keys(APP_SERVICES))('%s', (name) => {
    const s = service(name);
    const env = { ...imageEnv, ...environmentOf(s) };

    it("gets an environment its configuration schema accepts, over the image's ENV", () => {
      // What the compose file overrides: the image runs in production mode (no AUTH_JWKS_FILE there).
      expect(imageEnv).toMatchObject({ NODE_ENV: 'production', PORT: '8080' });
      const schema = APP_SERVICES[name] as TObject;
      const config = loadConfig(schema, env) as Record<string, unknown>;
      expect(config.NODE_ENV).toBe('development');
      expect(config.PORT).toBe(8080);
      expect(config.AUTH_ISSUER).toBe(DEV_ISSUER);
      expect(config.AUTH_AUDIENCE).toBe(DEV_AUDIENCE);
      // The same environment in production mode is refused (AUTH_JWKS_FILE): the check bites.
      expect(() => loadConfig(schema, { ...env, NODE_ENV: 'production' })).toThrow(/AUTH_JWKS_FILE/);
      expect(() => loadConfig(schema, { ...env, DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    });

    it('reaches PostgreSQL, Kafka, the keys and the collector by their compose names', () => {
      const database = new URL(env.DATABASE_URL ?? '');
      expect(database.hostname).toBe('postgres');
      expect(database.port).toBe('5432');
      // The role under row-level security that deploy/local/postgres/init.sql creates, not the owner.
      expect(database.username).toBe('fleetwatch_app');
      const collector = new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '');
      expect(collector.hostname).toBe('otel-collector');
      expect(collector.port).toBe('4318');
      // AUTH_JWKS_FILE is in the volume dev-keys writes its key into, mounted read-only here.
      const keys = mountsOf(service('dev-keys')).find((mount) => mount.type === 'volume');
      const ours = mountsOf(s).find((mount) => mount.source === keys?.source);
      expect(ours?.readOnly).toBe(true);
      const keysDir = environmentOf(service('dev-keys')).FLEETWATCH_AUTH_DIR ?? '/dev-auth';
      expect(keys?.target).toBe(keysDir);
      expect(env.AUTH_JWKS_FILE).toBe(`${ours?.target}/dev-jwks.json`);
      expect(s.depends_on).toMatchObject({
        postgres: { condition: 'service_healthy' },
        kafka: { condition: 'service_healthy' },
        'dev-keys': { condition: 'service_completed_successfully' },
      });
    });

    it('is published on its make dev port, and healthy when /readyz answers', () => {
      const ports = portsOf(s);
      expect(ports).toHaveLength(1);
      expect(ports[0]?.target).toBe(env.PORT);
      const devPort = {
        fleet: '3001',
        'performance-api': '3002',
        'performance-writer': '3012',
        crew: '3003',
        maintenance: '3004',
      };
      expect(ports[0]?.published).toBe(devPort[name as keyof typeof devPort]);
      const test = s.healthcheck?.test as string[];
      expect(test.slice(0, 3)).toEqual(['CMD', '/nodejs/bin/node', '-e']);
      expect(test[3]).toContain(`fetch('http://127.0.0.1:${env.PORT}/readyz')`);
    });

    it('logs through the fluentd driver to Fluent Bit', () => {
      expect(s.logging?.driver).toBe('fluentd');
      expect(s.logging?.options?.['fluentd-async']).toBe('true');
      expect(s.logging?.options?.mode).toBe('non-blocking');
    });
  });

  it('runs the API server by default and the writer with the chart’s arguments', () => {
    const chart = readYaml<{ components: { writer: { args: string[] } } }>('charts/performance/values.yaml');
    expect(service('performance-writer').command).toEqual(chart.components.writer.args);
    for (const name of ['fleet', 'performance-api', 'crew', 'maintenance']) {
      expect(service(name).command, name).toBeUndefined();
      expect(service(name).entrypoint, name).toBeUndefined();
    }
    expect(serviceDockerfile.at(-1)?.instructions.find(({ keyword }) => keyword === 'CMD')?.args).toContain(
      'dist/server.js',
    );
  });

  it('migrates every schema, as its owner, before the services that use it start', () => {
    for (const folder of SERVICE_FOLDERS) {
      if (!existsSync(join(REPO_ROOT, 'services', folder, 'migrations'))) continue;
      const migrate = service(`migrate-${folder}`);
      expect(migrate.image).toBe(`fleetwatch/${folder}:local`);
      expect(migrate.command).toEqual([
        'node_modules/@fleetwatch/db/dist/migrate-cli.js',
        '--schema',
        folder,
        '--dir',
        'migrations',
      ]);
      expect(migrate.restart).toBe('no');
      expect(new URL(environmentOf(migrate).DATABASE_ADMIN_URL ?? '').username).toBe('postgres');
      expect(migrate.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
      for (const [name, s] of Object.entries(compose.services)) {
        if (s.image !== migrate.image || name === `migrate-${folder}`) continue;
        expect(s.depends_on, name).toMatchObject({
          [`migrate-${folder}`]: { condition: 'service_completed_successfully' },
        });
      }
    }
  });
});

describe('docker-compose.yml: observability', () => {
  interface StaticConfig {
    targets: string[];
    labels?: Record<string, string>;
  }
  interface PrometheusConfig {
    rule_files?: string[];
    scrape_configs: { job_name: string; metrics_path?: string; static_configs?: StaticConfig[] }[];
  }
  const prometheusFile = 'deploy/observability/prometheus/prometheus.yml';
  const prometheus = readYaml<PrometheusConfig>(prometheusFile);

  function mountTarget(serviceName: string, source: string): string | undefined {
    return mountsOf(service(serviceName)).find((mount) => mount.source === source)?.target;
  }

  it("Prometheus scrapes every service's /metrics on its PORT", () => {
    expect(service('prometheus').command).toContain(
      `--config.file=${mountTarget('prometheus', `./${prometheusFile}`)}`,
    );
    const scraped = new Map<string, string>();
    for (const job of prometheus.scrape_configs) {
      for (const group of job.static_configs ?? []) {
        for (const target of group.targets)
          scraped.set(target, `${job.job_name} ${job.metrics_path ?? '/metrics'}`);
      }
    }
    for (const name of Object.keys(APP_SERVICES)) {
      const port = environmentOf(service(name)).PORT ?? imageEnv.PORT;
      expect(scraped.get(`${name}:${port}`), name).toMatch(/ \/metrics$/);
    }
    // Jobs named as the ServiceMonitors' (the Service's name, <release>-<component>).
    expect(prometheus.scrape_configs.map((job) => job.job_name)).toEqual(
      expect.arrayContaining([
        'fleet-api',
        'performance-api',
        'performance-writer',
        'crew-api',
        'maintenance-api',
      ]),
    );
  });

  it('Prometheus loads the rule files of the monitoring chart', () => {
    const rulesDir = mountTarget('prometheus', './charts/fleetwatch-monitoring/files/rules');
    expect(rulesDir).toBe('/etc/prometheus/rules');
    expect(prometheus.rule_files).toEqual([`${rulesDir}/*.yaml`]);
  });

  it('promtool accepts prometheus.yml with the rule files it loads', async () => {
    const promtool = join(TOOLS_BIN, 'promtool');
    // make deploy-tools (a dependency of make test) installs it.
    expect(existsSync(promtool), 'promtool is not installed: make deploy-tools').toBe(true);
    // The same configuration, with the rules where they are in the repository rather than in the container.
    const dir = await mkdtemp(join(tmpdir(), 'fleetwatch-prometheus-'));
    try {
      const text = readFileSync(join(REPO_ROOT, prometheusFile), 'utf8').replace(
        '/etc/prometheus/rules/*.yaml',
        join(REPO_ROOT, 'charts/fleetwatch-monitoring/files/rules/*.yaml'),
      );
      await writeFile(join(dir, 'prometheus.yml'), text);
      const result = run(promtool, ['check', 'config', join(dir, 'prometheus.yml')]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const ruleFiles = readdirSync(join(REPO_ROOT, 'charts/fleetwatch-monitoring/files/rules')).filter(
        (file) => file.endsWith('.yaml'),
      );
      expect(ruleFiles.length).toBeGreaterThan(0);
      expect(result.stdout).toContain(`SUCCESS: ${ruleFiles.length} rule files found`);
      // A broken configuration fails: the check bites.
      await writeFile(join(dir, 'broken.yml'), text.replace('scrape_interval: 15s', 'scrape_interval: soon'));
      expect(run(promtool, ['check', 'config', join(dir, 'broken.yml')]).code).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('Grafana provisions the Prometheus data source and the dashboards of the monitoring chart', () => {
    const provisioning = mountTarget('grafana', './deploy/observability/grafana/provisioning');
    expect(provisioning).toBe('/etc/grafana/provisioning');
    const datasources = readYaml<{
      datasources: { type: string; url: string; uid: string; isDefault?: boolean }[];
    }>('deploy/observability/grafana/provisioning/datasources/prometheus.yaml');
    const [datasource] = datasources.datasources;
    expect(datasource?.type).toBe('prometheus');
    expect(datasource?.isDefault).toBe(true);
    const url = new URL(datasource?.url ?? '');
    expect(url.hostname).toBe('prometheus');
    expect(portsOf(service('prometheus')).map((port) => port.target)).toContain(url.port);
    const dashboards = readYaml<{ providers: { type: string; options: { path: string } }[] }>(
      'deploy/observability/grafana/provisioning/dashboards/fleetwatch.yaml',
    );
    const [provider] = dashboards.providers;
    expect(provider?.type).toBe('file');
    expect(provider?.options.path).toBe(
      mountTarget('grafana', './charts/fleetwatch-monitoring/files/dashboards'),
    );
    // Each dashboard's data sources resolve here (a variable, Grafana's own, or the provisioned uid),
    // and its namespace selector takes this stack's (tenant-local, see prometheus.yml).
    const dashboardsDir = join(REPO_ROOT, 'charts/fleetwatch-monitoring/files/dashboards');
    const files = readdirSync(dashboardsDir).filter((file) => file.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    const namespaces = new Set(
      prometheus.scrape_configs.flatMap((job) =>
        (job.static_configs ?? []).map((group) => group.labels?.namespace),
      ),
    );
    for (const file of files) {
      const text = readFileSync(join(dashboardsDir, file), 'utf8');
      const uids = new Set<string>();
      JSON.parse(text, (key, value: unknown) => {
        if (key === 'datasource' && value !== null && typeof value === 'object') {
          const { uid } = value as { uid?: unknown };
          if (typeof uid === 'string') uids.add(uid);
        }
        return value;
      });
      for (const uid of uids) {
        expect(['${datasource}', '-- Grafana --', datasource?.uid], `${file}: ${uid}`).toContain(uid);
      }
      for (const [, selector] of text.matchAll(/namespace=~\\"([^"\\]+)\\"/g)) {
        if (selector?.startsWith('$')) continue;
        for (const namespace of namespaces) {
          if (namespace) expect(namespace, `${file}: ${selector}`).toMatch(new RegExp(`^(?:${selector})$`));
        }
      }
    }
  });

  it('Fluent Bit receives the logging driver’s records and sends them to OpenSearch', () => {
    interface Plugin {
      name: string;
      match?: string;
      port?: number;
      host?: string;
      parser?: string;
    }
    const configFile = './deploy/observability/fluent-bit/compose.yaml';
    const target = mountTarget('fluent-bit', configFile);
    expect(service('fluent-bit').command).toEqual(['-c', target]);
    const config = readYaml<{
      parsers: { name: string; format: string }[];
      pipeline: { inputs: Plugin[]; filters: Plugin[]; outputs: Plugin[] };
    }>(configFile);
    const forward = config.pipeline.inputs.find((input) => input.name === 'forward');
    const published = portsOf(service('fluent-bit')).find((port) => port.target === String(forward?.port));
    expect(published?.hostIp).toBe('127.0.0.1');
    const tags = new Set<string>();
    for (const [name, s] of Object.entries(compose.services)) {
      if (!isOwnImage(s.image)) continue;
      expect(s.logging?.driver, name).toBe('fluentd');
      // The engine connects to the published port, and Fluent Bit is started first.
      expect(s.logging?.options?.['fluentd-address'], name).toBe(`127.0.0.1:${published?.published}`);
      expect(startedBy(compose, [name]).has('fluent-bit'), name).toBe(true);
      tags.add(s.logging?.options?.tag ?? '');
    }
    expect([...tags]).toEqual(['fleetwatch.{{.Name}}']);
    const parser = config.pipeline.filters.find((filter) => filter.name === 'parser');
    expect(parser?.match).toBe('fleetwatch.*');
    expect(config.parsers.map((p) => p.name)).toContain(parser?.parser);
    const output = config.pipeline.outputs.find((out) => out.name === 'opensearch');
    expect(output?.match).toBe('fleetwatch.*');
    expect(output?.host).toBe('opensearch');
    expect(portsOf(service('opensearch')).map((port) => port.target)).toContain(String(output?.port));
    // Local only: the security plugin is off on both OpenSearch and its Dashboards.
    expect(environmentOf(service('opensearch')).DISABLE_SECURITY_PLUGIN).toBe('true');
    expect(environmentOf(service('opensearch-dashboards')).DISABLE_SECURITY_DASHBOARDS_PLUGIN).toBe('true');
    expect(environmentOf(service('opensearch-dashboards')).OPENSEARCH_HOSTS).toBe(
      '["http://opensearch:9200"]',
    );
  });

  it('the OpenTelemetry Collector reads its configuration and Jaeger accepts OTLP', () => {
    const target = mountTarget('otel-collector', './deploy/observability/otel-collector/config.yaml');
    expect(service('otel-collector').command).toEqual([`--config=${target}`]);
    expect(environmentOf(service('jaeger')).COLLECTOR_OTLP_ENABLED).toBe('true');
    expect(startedBy(compose, ['otel-collector']).has('jaeger')).toBe(true);
    // The collector listens where the services send (OTLP/HTTP) and sends its traces on to Jaeger.
    interface CollectorConfig {
      receivers: Record<string, { protocols?: Record<string, { endpoint?: string }> }>;
      exporters: Record<string, { endpoint?: string }>;
      service: { pipelines: Record<string, { receivers: string[]; exporters: string[] }> };
    }
    const config = readYaml<CollectorConfig>('deploy/observability/otel-collector/config.yaml');
    const traces = config.service.pipelines.traces;
    const otlpHttp = config.receivers.otlp?.protocols?.http?.endpoint ?? '';
    expect(traces?.receivers).toContain('otlp');
    for (const name of Object.keys(APP_SERVICES)) {
      const endpoint = new URL(environmentOf(service(name)).OTEL_EXPORTER_OTLP_ENDPOINT ?? '');
      expect(hostPort(otlpHttp).port, name).toBe(endpoint.port);
    }
    const toJaeger = (traces?.exporters ?? []).filter(
      (exporter) => hostPort(config.exporters[exporter]?.endpoint ?? 'none:0').host === 'jaeger',
    );
    expect(toJaeger).toHaveLength(1);
    expect(hostPort(config.exporters[toJaeger[0] as string]?.endpoint ?? '').port).toBe('4317');
    for (const name of Object.keys(APP_SERVICES)) {
      expect(startedBy(compose, [name]).has('otel-collector'), name).toBe(true);
    }
  });
});

describe('the demo image (deploy/compose/demo.Dockerfile) and deploy/compose/demo.ts', () => {
  it('starts from the services’ pinned build image, runs as the compose user, owns its volumes', () => {
    const [stage] = demoDockerfile;
    expect(demoDockerfile).toHaveLength(1);
    expect(stage?.from).toBe(serviceDockerfile[0]?.from);
    expect(stage?.from).toMatch(/@sha256:[0-9a-f]{64}$/);
    const instructions = stage?.instructions ?? [];
    expect(instructions.filter(({ keyword }) => keyword === 'USER').at(-1)?.args).toBe('65532:65532');
    expect(instructions.find(({ keyword }) => keyword === 'ENTRYPOINT')?.args).toContain(
      'deploy/compose/demo.ts',
    );
    // A new named volume takes the ownership of the folder it is mounted on: the image creates them.
    const chown = instructions.find(
      ({ keyword, args }) => keyword === 'RUN' && args.includes('chown 65532:65532'),
    );
    for (const name of ['dev-keys', 'simulator']) {
      for (const mount of mountsOf(service(name)).filter((m) => m.type === 'volume')) {
        expect(chown?.args, `${name} ${mount.target}`).toContain(mount.target);
      }
    }
    // The build context keeps what the image runs.
    const ignored = dockerignoreMatcher(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));
    for (const needed of [
      'deploy/compose/demo.ts',
      'packages/demo/src/index.ts',
      'pnpm-lock.yaml',
      'package.json',
    ]) {
      expect(ignored(needed), needed).toBe(false);
    }
  });

  it('creates a signing key whose JWKS verifies the tokens it prints, for the services’ issuer and audience', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleetwatch-dev-auth-'));
    const script = (...args: string[]) =>
      execFileAsync(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', 'deploy/compose/demo.ts', ...args],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, FLEETWATCH_AUTH_DIR: dir },
        },
      );
    try {
      const keys = await script('keys');
      expect(keys.stdout).toContain(`AUTH_JWKS_FILE=${dir}/dev-jwks.json`);
      const jwks = JSON.parse(await readFile(join(dir, 'dev-jwks.json'), 'utf8')) as {
        keys: (JsonWebKey & { kid?: string; alg?: string })[];
      };
      const tenant = '0b6a3c4e-2f1d-4c8e-9a7b-5d6e7f8a9b0c';
      const { stdout } = await script('token', '--roles', 'fleet-manager', '--tenant', tenant);
      const [header = '', payload = '', signature = ''] = stdout.trim().split('.');
      const decode = (part: string) =>
        JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
      const claims = decode(payload);
      expect(claims).toMatchObject({ iss: DEV_ISSUER, aud: DEV_AUDIENCE, tenant, roles: ['fleet-manager'] });
      const { kid, alg } = decode(header);
      expect(alg).toBe('ES256');
      const jwk = jwks.keys.find((key) => key.kid === kid);
      expect(jwk).toBeDefined();
      const publicKey = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
      const signed = Buffer.from(`${header}.${payload}`);
      expect(
        verify(
          'sha256',
          signed,
          { key: publicKey, dsaEncoding: 'ieee-p1363' },
          Buffer.from(signature, 'base64url'),
        ),
      ).toBe(true);
      // A second start keeps the key (the services already read its JWKS).
      await script('keys');
      expect(JSON.parse(await readFile(join(dir, 'dev-jwks.json'), 'utf8'))).toEqual(jwks);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reaches the services by their compose names and keeps its state in a volume', () => {
    const simulator = service('simulator');
    const env = environmentOf(simulator);
    for (const [variable, name] of [
      ['FLEETWATCH_FLEET_URL', 'fleet'],
      ['FLEETWATCH_PERFORMANCE_URL', 'performance-api'],
      ['FLEETWATCH_CREW_URL', 'crew'],
      ['FLEETWATCH_MAINTENANCE_URL', 'maintenance'],
    ] as const) {
      const url = new URL(env[variable] ?? '');
      expect(url.hostname).toBe(name);
      expect(url.port).toBe(environmentOf(service(name)).PORT);
      expect(simulator.depends_on, name).toMatchObject({ [name]: { condition: 'service_healthy' } });
    }
    const state = mountsOf(simulator).find((mount) =>
      env.FLEETWATCH_DEMO_STATE?.startsWith(`${mount.target}/`),
    );
    expect(state?.type).toBe('volume');
    expect(state?.readOnly).toBe(false);
    expect(dependenciesOf(simulator)).toContain('performance-writer');
  });
});
