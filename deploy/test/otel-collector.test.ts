/**
 * The OpenTelemetry Collector configurations: the cluster's (Helm values of the Argo CD Application
 * argocd/platform/opentelemetry-collector.yaml) and the local stack's
 * (deploy/observability/otel-collector/config.yaml, mounted by docker-compose.yml).
 *
 * Both go through `otelcol validate` of .cache/tools/bin/otelcol, a collector built by
 * deploy/tools/install.sh from deploy/tools/otelcol with the components they use, at the release the
 * cluster runs: unknown components, pipelines naming undefined ones, bad settings and OTTL that does
 * not parse fail there. The tenant rule also runs, on sample spans through a real collector.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { REPO_ROOT, TOOLS_BIN, run } from './support/tools.js';

type Config = Record<string, unknown>;

const CLUSTER_FILE = join(REPO_ROOT, 'argocd/platform/opentelemetry-collector.yaml');
const LOCAL_FILE = join(REPO_ROOT, 'deploy/observability/otel-collector/config.yaml');
const BUILDER_MANIFEST = join(REPO_ROOT, 'deploy/tools/otelcol/builder-config.yaml');

function isRecord(value: unknown): value is Config {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, what: string): Config {
  if (!isRecord(value)) throw new Error(`${what} is not a mapping`);
  return value;
}

function otelcol(): string {
  const path = join(TOOLS_BIN, 'otelcol');
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`make deploy-tools\` (deploy/tools/install.sh) first`);
  }
  return path;
}

/** Helm's merge of user values into the chart's: a null removes the key (the chart's default). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== null)
      .map(([key, item]) => [key, withoutNulls(item)]),
  );
}

const application = record(parse(readFileSync(CLUSTER_FILE, 'utf8')), CLUSTER_FILE);
const values = record(
  record(record(record(application.spec, 'spec').source, 'source').helm, 'helm').valuesObject,
  'valuesObject',
);
const valuesConfig = record(values.config, 'valuesObject.config');
/** The collector configuration the chart renders: `config` over its defaults, nulls removing them. */
const clusterConfig = record(withoutNulls(valuesConfig), 'config');
const localConfig = record(parse(readFileSync(LOCAL_FILE, 'utf8')), LOCAL_FILE);

const section = (config: Config, name: string): Config => record(config[name] ?? {}, name);
const pipelines = (config: Config): Record<string, Config> =>
  Object.fromEntries(
    Object.entries(section(section(config, 'service'), 'pipelines')).map(([name, pipeline]) => [
      name,
      record(pipeline, `pipeline ${name}`),
    ]),
  );
const names = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** Pipeline references to components their section does not define (what validate also reports). */
function undefinedReferences(config: Config): string[] {
  const missing: string[] = [];
  for (const [pipeline, spec] of Object.entries(pipelines(config))) {
    for (const kind of ['receivers', 'processors', 'exporters']) {
      for (const name of names(spec[kind])) {
        if (!(name in section(config, kind))) missing.push(`${pipeline}: ${kind}.${name}`);
      }
    }
  }
  for (const name of names(section(config, 'service').extensions)) {
    if (!(name in section(config, 'extensions'))) missing.push(`service: extensions.${name}`);
  }
  return missing;
}

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'otelcol-test-'));
});
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

let files = 0;
function writeConfig(config: Config): string {
  files += 1;
  const file = join(workDir, `config-${files}.yaml`);
  // JSON is YAML: the collector reads it as it reads the chart's rendered relay config.
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** `otelcol validate`, with the pod's environment the chart's config refers to. */
function validate(file: string): { ok: boolean; output: string } {
  const result = run(otelcol(), ['validate', `--config=${file}`], { env: { MY_POD_IP: '127.0.0.1' } });
  return { ok: result.code === 0, output: `${result.stderr}${result.stdout}` };
}

const clone = (config: Config): Config => record(structuredClone(config), 'clone');

describe('the cluster collector (argocd/platform/opentelemetry-collector.yaml)', () => {
  it('runs the k8s distribution as a Deployment, at the release deploy/tools/otelcol is built at', () => {
    const manifest = record(parse(readFileSync(BUILDER_MANIFEST, 'utf8')), BUILDER_MANIFEST);
    const builtRelease = String(record(manifest.dist, 'dist').version).replace(/-.*$/, '');
    expect(values.mode).toBe('deployment');
    expect(values.image).toEqual({ repository: 'otel/opentelemetry-collector-k8s', tag: builtRelease });
    // Tail sampling needs all spans of a trace in one collector (see the file's comment).
    expect(values.replicaCount).toBe(1);
    // The preset's ClusterRole lets k8s_attributes read pods, namespaces and replicasets.
    expect(values.presets).toEqual({ kubernetesAttributes: { enabled: true } });
  });

  it("takes OTLP on 4317 (gRPC) and 4318 (HTTP) only: the chart's other receivers and pipelines are removed", () => {
    const receivers = section(valuesConfig, 'receivers');
    expect(receivers).toMatchObject({ jaeger: null, zipkin: null, prometheus: null });
    expect(Object.keys(section(clusterConfig, 'receivers'))).toEqual(['otlp']);
    expect(section(clusterConfig, 'receivers').otlp).toEqual({
      protocols: {
        grpc: { endpoint: '${env:MY_POD_IP}:4317' },
        http: { endpoint: '${env:MY_POD_IP}:4318' },
      },
    });
    const ports = section(values, 'ports');
    for (const port of ['jaeger-compact', 'jaeger-thrift', 'jaeger-grpc', 'zipkin']) {
      expect(ports[port], port).toEqual({ enabled: false });
    }
    expect(section(section(valuesConfig, 'service'), 'pipelines')).toMatchObject({
      metrics: null,
      logs: null,
    });
    expect(Object.keys(pipelines(clusterConfig))).toEqual(['traces']);
  });

  it('limits memory first, adds Kubernetes attributes and the tenant before tail sampling, batches last', () => {
    expect(pipelines(clusterConfig).traces).toEqual({
      receivers: ['otlp'],
      processors: ['memory_limiter', 'k8s_attributes', 'transform/tenant', 'tail_sampling', 'batch'],
      exporters: ['otlp_grpc/traces'],
    });
    expect(undefinedReferences(clusterConfig)).toEqual([]);
    // The chart's probes need the health_check extension.
    expect(section(clusterConfig, 'service').extensions).toEqual(['health_check']);
    // Errors and slow traces are always kept; the rest is sampled.
    const sampling = record(section(clusterConfig, 'processors').tail_sampling, 'tail_sampling');
    expect(sampling.policies).toEqual([
      { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
      { name: 'slow', type: 'latency', latency: { threshold_ms: 2000 } },
      { name: 'baseline', type: 'probabilistic', probabilistic: { sampling_percentage: 10 } },
    ]);
  });

  it('passes otelcol validate', () => {
    const result = validate(writeConfig(clusterConfig));
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('fails otelcol validate with an undefined processor, bad OTTL or an unknown exporter', () => {
    const undefinedProcessor = clone(clusterConfig);
    record(pipelines(undefinedProcessor).traces, 'traces').processors = [
      'memory_limiter',
      'transform/tenants',
    ];
    const undefinedResult = validate(writeConfig(undefinedProcessor));
    expect(undefinedResult.ok).toBe(false);
    expect(undefinedResult.output).toMatch(
      /references processor "transform\/tenants" which is not configured/,
    );

    const badOttl = clone(clusterConfig);
    const transform = record(section(badOttl, 'processors')['transform/tenant'], 'transform/tenant');
    transform.trace_statements = [
      { context: 'resource', statements: ['set(attributes["tenant"], "x") where'] },
    ];
    const ottlResult = validate(writeConfig(badOttl));
    expect(ottlResult.ok).toBe(false);
    expect(ottlResult.output).toMatch(/processors::transform\/tenant: statement has invalid syntax/);

    const unknownExporter = clone(clusterConfig);
    section(unknownExporter, 'exporters').awsxray = {};
    record(pipelines(unknownExporter).traces, 'traces').exporters = ['awsxray'];
    const exporterResult = validate(writeConfig(unknownExporter));
    expect(exporterResult.ok).toBe(false);
    expect(exporterResult.output).toMatch(/unknown type: "awsxray"/);
  });

  it('sets tenant from the namespace: tenant-<id> gives <id>, others platform, a service cannot choose', async () => {
    // The values' transform/tenant, alone in a collector that prints what it gets.
    const endpoint = `127.0.0.1:${await freePort()}`;
    const config: Config = {
      receivers: { otlp: { protocols: { http: { endpoint } } } },
      processors: { 'transform/tenant': section(clusterConfig, 'processors')['transform/tenant'] },
      exporters: { debug: { verbosity: 'detailed' } },
      service: {
        telemetry: { metrics: { level: 'none' } },
        pipelines: {
          traces: { receivers: ['otlp'], processors: ['transform/tenant'], exporters: ['debug'] },
        },
      },
    };
    const printed = await withCollector(writeConfig(config), async () => {
      const response = await fetch(`http://${endpoint}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          resourceSpans: [
            resourceSpans('a', { 'k8s.namespace.name': 'tenant-northwind' }),
            resourceSpans('b', { 'k8s.namespace.name': 'tenant-pool-shared' }),
            resourceSpans('c', { 'k8s.namespace.name': 'observability' }),
            resourceSpans('d', { 'k8s.namespace.name': 'tenant-northwind', tenant: 'oceanic' }),
            resourceSpans('e', { tenant: 'oceanic' }),
            resourceSpans('f', { 'k8s.namespace.name': 'tenant-X_Y' }),
          ],
        }),
      });
      expect(response.status).toBe(200);
    });
    expect(tenantsByService(printed)).toEqual({
      a: 'northwind',
      b: 'pool-shared',
      c: 'platform',
      d: 'northwind',
      e: undefined,
      f: 'platform',
    });
  });
});

describe('the local collector (deploy/observability/otel-collector/config.yaml)', () => {
  it('takes OTLP on every interface and sends traces to Jaeger over OTLP/gRPC and to its log', () => {
    expect(section(localConfig, 'receivers').otlp).toEqual({
      protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } },
    });
    expect(section(localConfig, 'exporters')).toEqual({
      'otlp/jaeger': { endpoint: 'jaeger:4317', tls: { insecure: true } },
      debug: { verbosity: 'basic' },
    });
    expect(pipelines(localConfig).traces).toEqual({
      receivers: ['otlp'],
      processors: ['memory_limiter', 'batch'],
      exporters: ['otlp/jaeger', 'debug'],
    });
    expect(undefinedReferences(localConfig)).toEqual([]);
  });

  it('passes otelcol validate', () => {
    const result = validate(LOCAL_FILE);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Running a collector

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function resourceSpans(service: string, attributes: Record<string, string>): object {
  return {
    resource: {
      attributes: Object.entries({ 'service.name': service, ...attributes }).map(([key, value]) => ({
        key,
        value: { stringValue: value },
      })),
    },
    scopeSpans: [
      {
        scope: { name: 'otel-collector.test' },
        spans: [
          {
            traceId: '5b8efff798038103d269b633813fc60c',
            spanId: 'eee19b7ec3c1b174',
            name: 'GET /',
            kind: 2,
            startTimeUnixNano: '1700000000000000000',
            endTimeUnixNano: '1700000000100000000',
          },
        ],
      },
    ],
  };
}

/** The `tenant` resource attribute of each service, as the debug exporter printed the resources. */
function tenantsByService(printed: string): Record<string, string | undefined> {
  const tenants: Record<string, string | undefined> = {};
  for (const block of printed.split(/ResourceSpans #\d+/).slice(1)) {
    const resource = block.split('ScopeSpans #')[0] ?? '';
    const service = /-> service\.name: Str\(([^)]*)\)/.exec(resource)?.[1];
    if (service !== undefined) tenants[service] = /-> tenant: Str\(([^)]*)\)/.exec(resource)?.[1];
  }
  return tenants;
}

/** Starts otelcol with `file`, runs `work` once it is ready, and returns what it logged by then. */
async function withCollector(file: string, work: () => Promise<void>): Promise<string> {
  const child = spawn(otelcol(), [`--config=${file}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = async (pattern: RegExp, what: string): Promise<void> => {
    const deadline = Date.now() + 20_000;
    while (!pattern.test(output)) {
      if (child.exitCode !== null) throw new Error(`otelcol exited (${child.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`otelcol: no ${what} within 20 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  try {
    await waitFor(/Everything is ready/, 'start');
    await work();
    await waitFor(/ResourceSpans #\d+[\s\S]*ScopeSpans/, 'spans printed');
    // The debug exporter prints a request's resources in one log entry.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return output;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
