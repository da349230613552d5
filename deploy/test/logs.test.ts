/**
 * The log pipeline (deploy/observability/), run on the lines a real service writes:
 *
 *   the fleet service, started as its container starts it (NODE_ENV=production, telemetry preloaded)
 *   against the test PostgreSQL and Kafka, answers a few requests (200, 400, 401, 404, one inside a
 *   W3C trace), logs a warning and an error with their error objects when the database drops its
 *   connections, and shuts down; its stdout is what the container runtime writes to the node, so each
 *   line is wrapped as containerd writes it (`<RFC 3339 nano time> stdout F <line>`), and one long line
 *   is also split into partial (P) records as containerd splits lines over 16 KiB. Then:
 *   (a) the CRI parser of custom_parsers.conf (its regular expression and time format, read from the
 *       file) takes each line apart and gives back the service's line; partial lines join;
 *   (b) every record, as the kubernetes filter's Merge_Log makes it, has no duplicate key and fits the
 *       index template's mappings (dates parse, keywords are strings, numbers are numbers);
 *   (c) fleetwatch.lua, run with LuaJIT (the engine Fluent Bit embeds), gives each record its tenant
 *       and index, and the OpenSearch output's settings turn that into logs-<tenant>-YYYY.MM.DD;
 *   (d) the kubernetes filter's tag expression takes namespace, pod and container out of the tag the
 *       tail input gives a real /var/log/containers file of the fleet chart's pod;
 *   (e) the Logstash pipeline parses (LSCL grammar) and routes to the same tenants and indices;
 *   (f) a real OpenSearch 2.19 node takes the index template, indexes every record into its
 *       logs-<tenant>-<day> index, twice with the same ids without duplicates, and finds them again
 *       by tenant, level and trace id. The ISM policy is checked statically: its plugin is not on
 *       Maven Central, and the node shows it is absent.
 * The configuration copies in argocd/platform/fluent-bit.yaml must equal the files.
 *
 * Needs `make deploy-tools` (LuaJIT, the OpenSearch jars, helm) and the test PostgreSQL and Kafka.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, jwksOf, signToken, type SigningKey } from '@fleetwatch/service-kit/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  get,
  must,
  one,
  onigmoToJs,
  parseClassicConfig,
  replaceDots,
  sectionsOf,
  strftimeUtc,
  strptimePattern,
  tailTag,
  type ClassicSection,
} from './support/fluent-bit.js';
import { attribute, parseLscl, pluginsOf, type LsclBranch, type LsclSection } from './support/lscl.js';
import { REPO_ROOT, TOOLS_DIR, helmTemplate, parseManifests, run } from './support/tools.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const OBSERVABILITY = join(REPO_ROOT, 'deploy/observability');
const FLUENT_BIT_DIR = join(OBSERVABILITY, 'fluent-bit');
const fluentBitConfText = readFileSync(join(FLUENT_BIT_DIR, 'fluent-bit.conf'), 'utf8');
const parsersText = readFileSync(join(FLUENT_BIT_DIR, 'custom_parsers.conf'), 'utf8');
const luaScriptPath = join(FLUENT_BIT_DIR, 'fleetwatch.lua');
const luaText = readFileSync(luaScriptPath, 'utf8');
const fluentBitConf = parseClassicConfig(fluentBitConfText);
const parsers = parseClassicConfig(parsersText);
const template = JSON.parse(
  readFileSync(join(OBSERVABILITY, 'opensearch/logs-index-template.json'), 'utf8'),
) as JsonObject;
const ismPolicy = JSON.parse(
  readFileSync(join(OBSERVABILITY, 'opensearch/logs-ism-policy.json'), 'utf8'),
) as {
  policy: JsonObject;
};
const logstashText = readFileSync(join(OBSERVABILITY, 'logstash/pipeline/fleetwatch.conf'), 'utf8');

const LUAJIT_ROOT = join(TOOLS_DIR, 'luajit');
const OPENSEARCH_LIBS = join(TOOLS_DIR, 'opensearch', 'libs');
const OPENSEARCH_LAUNCHER = join(REPO_ROOT, 'deploy/local/opensearch/OpenSearchNode.java');

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = isObject(current) ? current[key] : undefined;
  return current;
}

// ---------------------------------------------------------------------------------------------
// Capturing a real service's output

interface CapturedLine {
  stream: 'stdout' | 'stderr';
  line: string;
  /** The time the line was read, as containerd stamps it: RFC 3339 with nanoseconds, UTC. */
  time: string;
}

/** Now, to the nanosecond: the wall clock's millisecond and the monotonic clock's sub-millisecond part. */
function rfc3339Nano(): string {
  const now = new Date();
  const subMillisecond = Number(process.hrtime.bigint() % 1_000_000n);
  return now
    .toISOString()
    .replace(/\.(\d{3})Z$/, (_m, ms: string) => `.${ms}${String(subMillisecond).padStart(6, '0')}Z`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface PgClient {
  connect(): Promise<void>;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
}
interface PgModule {
  Client: new (config: { connectionString: string }) => PgClient;
}
/** node-postgres from the fleet service (the deploy package has none of its own). */
const pg = createRequire(join(REPO_ROOT, 'services/fleet/package.json'))('pg') as PgModule;

async function withAdmin(url: string, work: (client: PgClient) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function runNode(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd = REPO_ROOT,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

interface IdentityProvider {
  issuer: string;
  audience: string;
  jwksUrl: string;
  token(roles: string[], tenant?: string): Promise<string>;
  close(): Promise<void>;
}

async function startIdentityProvider(): Promise<IdentityProvider> {
  const key: SigningKey = await generateSigningKey('ES256');
  const jwks = JSON.stringify(jwksOf(key));
  const server = createHttpServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the JWKS server has no port');
  const issuer = 'https://identity.logs.test/';
  const audience = 'fleetwatch';
  return {
    issuer,
    audience,
    jwksUrl: `http://127.0.0.1:${address.port}/.well-known/jwks.json`,
    token: (roles, tenant) =>
      signToken(
        key,
        { subject: 'logs-test', roles, ...(tenant === undefined ? {} : { tenant }) },
        { issuer, audience },
      ),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/**
 * Runs the fleet service as its image runs it (from source: node --import tsx), makes the requests,
 * stops it with SIGTERM, and returns every line it wrote with the time it was read.
 */
async function captureFleetServiceLines(): Promise<CapturedLine[]> {
  const database = `fleetwatch_logs_${randomBytes(6).toString('hex')}`;
  const adminUrl = inject('adminDatabaseUrl');
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${database}`));
  const identity = await startIdentityProvider();
  const captured: CapturedLine[] = [];
  let child: ChildProcess | undefined;
  try {
    const migrate = await runNode(
      [
        '--conditions=source',
        '--import',
        'tsx',
        'packages/db/src/migrate-cli.ts',
        '--schema',
        'fleet',
        '--dir',
        'services/fleet/migrations',
      ],
      { PATH: process.env.PATH ?? '/usr/bin:/bin', DATABASE_ADMIN_URL: withDatabase(adminUrl, database) },
    );
    if (migrate.code !== 0) throw new Error(`fleet migrations failed:\n${migrate.output}`);

    child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        '--import',
        '@fleetwatch/service-kit/register-telemetry',
        'src/server.ts',
      ],
      {
        cwd: join(REPO_ROOT, 'services/fleet'),
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          PORT: '0',
          LOG_LEVEL: 'info',
          DATABASE_URL: withDatabase(inject('databaseUrl'), database),
          KAFKA_BROKERS: inject('kafkaBrokers').join(','),
          KAFKA_CLIENT_ID: `logs-test-${randomBytes(3).toString('hex')}`,
          AUTH_ISSUER: identity.issuer,
          AUTH_AUDIENCE: identity.audience,
          AUTH_JWKS_URL: identity.jwksUrl,
          OTEL_SERVICE_NAME: '@fleetwatch/fleet',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const service = child;
    const exited = new Promise<number | null>((resolve) => service.once('exit', (code) => resolve(code)));
    // containerd reads each stream and stamps every complete line with the time it read it.
    const reader = (stream: 'stdout' | 'stderr') => {
      let pending = '';
      return (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) captured.push({ stream, line, time: rfc3339Nano() });
      };
    };
    service.stdout?.on('data', reader('stdout'));
    service.stderr?.on('data', reader('stderr'));

    const baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const listening = captured
          .map((entry) => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(entry.line)?.[1])
          .find((url) => url !== undefined);
        if (listening !== undefined) {
          clearInterval(timer);
          resolve(listening);
        }
      }, 50);
      void exited.then((code) => {
        clearInterval(timer);
        reject(
          new Error(
            `the fleet service exited (${code}):\n${captured
              .map((c) => c.line)
              .join('\n')
              .slice(-4000)}`,
          ),
        );
      });
    });

    const admin = { authorization: `Bearer ${await identity.token(['platform-admin'])}` };
    const requests: { path: string; init?: RequestInit; status: number }[] = [
      // A traced request: the caller's W3C trace context, carried into the service's log lines.
      {
        path: '/v1/fleet/tenants',
        init: { headers: { ...admin, traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` } },
        status: 200,
      },
      { path: '/v1/fleet/tenants', init: { headers: admin }, status: 200 },
      { path: '/v1/fleet/tenants', status: 401 },
      { path: '/v1/fleet/no-such-route', init: { headers: admin }, status: 404 },
      {
        path: '/v1/fleet/tenants',
        init: {
          method: 'POST',
          headers: { ...admin, 'content-type': 'application/json' },
          body: '{}',
        },
        status: 400,
      },
    ];
    for (const request of requests) {
      const response = await fetch(`${baseUrl}${request.path}`, request.init);
      await response.arrayBuffer();
      expect(response.status, `${request.init?.method ?? 'GET'} ${request.path}`).toBe(request.status);
    }
    // A failure the service logs as a warning with its error (pool: "idle PostgreSQL connection
    // failed"): the database ends the service's connections, as on a failover.
    await withAdmin(adminUrl, (client) =>
      client.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid()`,
      ),
    );
    const deadline = Date.now() + 10_000;
    while (!captured.some((entry) => /"level":"(warn|error)"/.test(entry.line)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    service.kill('SIGTERM');
    expect(
      await exited,
      captured
        .map((c) => c.line)
        .join('\n')
        .slice(-4000),
    ).toBe(0);
    return captured;
  } finally {
    // Never left behind, whatever failed above.
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await identity.close();
    await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  }
}

// ---------------------------------------------------------------------------------------------
// The fleet chart's pod, as the kubelet names its log file

interface PodIdentity {
  namespace: string;
  podName: string;
  containerName: string;
  containerId: string;
  labels: Record<string, string>;
  file: string;
}

function fleetPod(namespace: string): PodIdentity {
  const manifests = parseManifests(
    helmTemplate({
      chart: 'charts/fleet',
      release: 'fleet',
      namespace,
      valuesFiles: ['argocd/values/environment.yaml', 'argocd/values/silo.yaml'],
      set: { 'ingress.host': 'northwind.fleetwatch.example.com' },
    }),
  );
  const deployment = manifests.find((m) => m.kind === 'Deployment');
  if (deployment === undefined) throw new Error('charts/fleet renders no Deployment');
  const podTemplate = at(deployment, 'spec', 'template');
  const labels = at(podTemplate, 'metadata', 'labels');
  const containers = at(podTemplate, 'spec', 'containers');
  const container = Array.isArray(containers) ? (containers[0] as unknown) : undefined;
  const containerName = at(container, 'name');
  if (!isObject(labels) || typeof containerName !== 'string')
    throw new Error('the fleet pod has no labels or container');
  // Deployment -> ReplicaSet (pod-template-hash) -> pod (5 random characters), as Kubernetes names them.
  const podTemplateHash = '7d9f8b6c5d';
  const podName = `${String(deployment.metadata.name)}-${podTemplateHash}-x2k4q`;
  const containerId = createHash('sha256').update(podName).digest('hex');
  return {
    namespace,
    podName,
    containerName,
    containerId,
    labels: {
      ...Object.fromEntries(
        Object.entries(labels).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      ),
      'pod-template-hash': podTemplateHash,
    },
    file: `/var/log/containers/${podName}_${namespace}_${containerName}-${containerId}.log`,
  };
}

// ---------------------------------------------------------------------------------------------
// Fluent Bit's view of the lines

const tail = one(fluentBitConf, 'INPUT', 'tail');
const kubernetesFilter = one(fluentBitConf, 'FILTER', 'kubernetes');
const luaFilter = one(fluentBitConf, 'FILTER', 'lua');
const output = one(fluentBitConf, 'OUTPUT', 'opensearch');
const multilineParser = one(parsers, 'MULTILINE_PARSER', must(tail, 'multiline.parser'));
const criParser = one(parsers, 'PARSER', must(multilineParser, 'Parser'));
const kubeTagParser = one(parsers, 'PARSER', must(kubernetesFilter, 'Regex_Parser'));
const criRegex = onigmoToJs(must(criParser, 'Regex'));
const criTimePattern = strptimePattern(must(criParser, 'Time_Format'));

interface CriRecord {
  time: string;
  stream: string;
  flag: string;
  log: string;
}

function parseCri(line: string): CriRecord | undefined {
  const groups = criRegex.exec(line)?.groups;
  if (groups === undefined) return undefined;
  const { time, stream, log } = groups;
  const flag = groups[must(multilineParser, 'Key_Pattern')];
  if (time === undefined || stream === undefined || log === undefined || flag === undefined) return undefined;
  return { time, stream, flag, log };
}

/**
 * The multiline parser's joining (src/multiline/flb_ml.c, type equal): per Key_Group (the stream),
 * Key_Content is appended until Key_Pattern equals Match_String; that record is the joined line.
 */
function joinPartials(records: CriRecord[]): CriRecord[] {
  const matchString = must(multilineParser, 'Match_String');
  const pending = new Map<string, CriRecord>();
  const joined: CriRecord[] = [];
  for (const record of records) {
    const open = pending.get(record.stream);
    const merged = open === undefined ? record : { ...open, log: open.log + record.log, flag: record.flag };
    if (record.flag === matchString) {
      pending.delete(record.stream);
      joined.push(merged);
    } else {
      pending.set(record.stream, merged);
    }
  }
  expect([...pending.keys()], 'partial lines never closed').toEqual([]);
  return joined;
}

/** The runtime's time as Fluent Bit's parser takes it (nanoseconds kept), as a Date and its ns part. */
function criTime(time: string): { date: Date; nanos: string } {
  const m = /^(.*)\.(\d{1,9})(Z|[+-]\d{2}:?\d{2})$/.exec(time);
  if (m?.[1] === undefined || m[2] === undefined || m[3] === undefined)
    throw new Error(`not an RFC 3339 time: ${time}`);
  return { date: new Date(`${m[1]}.${m[2].slice(0, 3).padEnd(3, '0')}${m[3]}`), nanos: m[2].padEnd(9, '0') };
}

interface PipelineRecord {
  tag: string;
  timestamp: { date: Date; nanos: string };
  /** The record's keys in the order Fluent Bit appends them (duplicates kept). */
  keys: string[];
  record: JsonObject;
}

/**
 * What reaches the Lua filter: the parser's keys (Time_Keep Off: no `time`), then the kubernetes
 * filter (plugins/filter_kubernetes/kubernetes.c, merge_log_handler and the packing after it): the
 * original keys but `log`, then the keys of the parsed JSON line, then `kubernetes`.
 */
function afterKubernetesFilter(cri: CriRecord, pod: PodIdentity): PipelineRecord {
  const timeKept = get(criParser, 'Time_Keep')?.toLowerCase() === 'on';
  const original: [string, Json][] = [
    ...(timeKept ? [['time', cri.time] as [string, Json]] : []),
    ['stream', cri.stream],
    [must(multilineParser, 'Key_Pattern'), cri.flag],
  ];
  let merged: JsonObject | undefined;
  try {
    const parsed = JSON.parse(cri.log) as unknown;
    if (isObject(parsed)) merged = parsed;
  } catch {
    merged = undefined;
  }
  const keepLog = get(kubernetesFilter, 'Keep_Log')?.toLowerCase() !== 'off';
  const entries: [string, Json][] =
    merged === undefined
      ? [...original, ['log', cri.log]]
      : [...original, ...(keepLog ? [['log', cri.log] as [string, Json]] : []), ...Object.entries(merged)];
  const kubernetes: JsonObject = {
    pod_name: pod.podName,
    namespace_name: pod.namespace,
    pod_id: '0d1c2b3a-4f5e-6d7c-8b9a-0f1e2d3c4b5a',
    labels: pod.labels,
    host: 'ip-10-0-12-34.eu-west-1.compute.internal',
    container_name: pod.containerName,
    docker_id: pod.containerId,
    container_hash: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fleetwatch/fleet@sha256:' + 'ab'.repeat(32),
    container_image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fleetwatch/fleet:0.1.0',
  };
  entries.push(['kubernetes', kubernetes]);
  return {
    tag: tailTag(must(tail, 'Tag'), pod.file),
    timestamp: criTime(cri.time),
    keys: entries.map(([key]) => key),
    record: Object.fromEntries(entries),
  };
}

// ---------------------------------------------------------------------------------------------
// Running the Lua filter with LuaJIT

function luaLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0/0';
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    let out = '"';
    for (const byte of bytes) {
      if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
      else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
      else out += `\\${byte}`;
    }
    return `${out}"`;
  }
  if (Array.isArray(value)) return `{${value.map(luaLiteral).join(', ')}}`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, inner]) => `[${luaLiteral(key)}] = ${luaLiteral(inner)}`)
      .join(', ')}}`;
  }
  throw new Error(`no Lua literal for ${typeof value}`);
}

const LUA_JSON_ENCODER = `
local escapes = { ['"'] = '\\\\"', ['\\\\'] = '\\\\\\\\', ['\\n'] = '\\\\n', ['\\r'] = '\\\\r', ['\\t'] = '\\\\t' }
local function encode(v)
  local t = type(v)
  if t == "nil" then return "null" end
  if t == "boolean" then return tostring(v) end
  if t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then return "null" end
    return string.format("%.17g", v)
  end
  if t == "string" then
    local s = string.gsub(v, '[%c"\\\\]', function(c) return escapes[c] or string.format("\\\\u%04x", string.byte(c)) end)
    return '"' .. s .. '"'
  end
  if t == "table" then
    local count = 0
    for _ in pairs(v) do count = count + 1 end
    if count > 0 and count == #v then
      local items = {}
      for i = 1, #v do items[i] = encode(v[i]) end
      return "[" .. table.concat(items, ",") .. "]"
    end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    local items = {}
    for i, k in ipairs(keys) do items[i] = encode(k) .. ":" .. encode(v[k]) end
    return "{" .. table.concat(items, ",") .. "}"
  end
  error("cannot encode a " .. t)
end
`;

interface LuaResult {
  code: number;
  timestamp: number;
  record: JsonObject;
}

/** Calls the filter's function (its `call`) on each record with LuaJIT, as Fluent Bit does. */
function runLuaFilter(cases: { tag: string; timestamp: number; record: JsonObject }[]): LuaResult[] {
  const luajit = join(LUAJIT_ROOT, 'usr/bin/luajit');
  if (!existsSync(luajit))
    throw new Error(`${luajit} is missing: run \`make deploy-tools\` (deploy/tools/install.sh)`);
  const call = must(luaFilter, 'call');
  const driver = `${LUA_JSON_ENCODER}
dofile(${luaLiteral(luaScriptPath)})
local filter = _G[${luaLiteral(call)}]
if type(filter) ~= "function" then error("no global function " .. ${luaLiteral(call)}) end
local cases = ${luaLiteral(cases)}
local results = {}
for i, c in ipairs(cases) do
  local code, timestamp, record = filter(c.tag, c.timestamp, c.record)
  results[i] = { code = code, timestamp = timestamp, record = record }
end
io.write(encode(results))
`;
  const dir = mkdtempSync(join(tmpdir(), 'logs-lua-'));
  try {
    const driverPath = join(dir, 'driver.lua');
    writeFileSync(driverPath, driver);
    const result = run(luajit, [driverPath], {
      env: {
        LD_LIBRARY_PATH: join(
          LUAJIT_ROOT,
          `usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`,
        ),
      },
    });
    if (result.code !== 0) throw new Error(`luajit failed (${result.code}):\n${result.stderr}`);
    return JSON.parse(result.stdout) as LuaResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The opensearch output: the index (Logstash_Format) and the document (Replace_Dots, Time_Key). */
function toOpenSearch(
  record: JsonObject,
  timestamp: { date: Date; nanos: string },
): { index: string; document: JsonObject } {
  const prefixKey = must(output, 'Logstash_Prefix_Key').replace(/^\$/, '');
  const prefixValue = record[prefixKey];
  const prefix = typeof prefixValue === 'string' ? prefixValue : must(output, 'Logstash_Prefix');
  const separator = get(output, 'Logstash_Prefix_Separator') ?? '-';
  const index = `${prefix}${separator}${strftimeUtc(get(output, 'Logstash_DateFormat') ?? '%Y.%m.%d', timestamp.date)}`;
  const nanos = get(output, 'Time_Key_Nanos')?.toLowerCase() === 'on';
  const seconds = timestamp.date.toISOString().slice(0, 19);
  const stamp = `${seconds}.${nanos ? timestamp.nanos : timestamp.nanos.slice(0, 3)}Z`;
  const dotted = replaceDots(record) as JsonObject;
  return { index, document: { [get(output, 'Time_Key') ?? '@timestamp']: stamp, ...dotted } };
}

// ---------------------------------------------------------------------------------------------
// The index template's mappings

interface FieldMapping {
  type: string;
  format?: string;
}

/** The mapping a document's field gets: explicit properties first, then the dynamic templates. */
function mappingOf(path: string[], value: Json): FieldMapping | 'object' | undefined {
  let properties = at(template, 'template', 'mappings', 'properties');
  let mapping: unknown;
  for (const part of path) {
    mapping = isObject(properties) ? properties[part] : undefined;
    properties = at(mapping, 'properties');
  }
  if (isObject(mapping)) {
    if (typeof mapping.type === 'string' && !['object', 'nested'].includes(mapping.type)) {
      return {
        type: mapping.type,
        ...(typeof mapping.format === 'string' ? { format: mapping.format } : {}),
      };
    }
    return 'object';
  }
  const dynamicTemplates = at(template, 'template', 'mappings', 'dynamic_templates');
  for (const entry of Array.isArray(dynamicTemplates) ? dynamicTemplates : []) {
    const definition = isObject(entry) ? Object.values(entry)[0] : undefined;
    if (!isObject(definition)) continue;
    const pathMatch = definition.path_match;
    const mappingType = definition.match_mapping_type;
    const matchesPath =
      typeof pathMatch !== 'string' ||
      new RegExp(
        `^${pathMatch
          .split('*')
          .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ).test(path.join('.'));
    const matchesType =
      typeof mappingType !== 'string' || (mappingType === 'string' && typeof value === 'string');
    const type = at(definition, 'mapping', 'type');
    if (matchesPath && matchesType && typeof type === 'string') return { type };
  }
  return undefined;
}

const NUMERIC = new Set([
  'long',
  'integer',
  'short',
  'byte',
  'double',
  'float',
  'half_float',
  'scaled_float',
]);

/** The problems OpenSearch would have with a field's value under its mapping ([] when none). */
function checkAgainstMappings(document: JsonObject, path: string[] = []): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(document)) {
    const fieldPath = [...path, key];
    const name = fieldPath.join('.');
    if (key.includes('.')) problems.push(`${name}: a dot in a field name`);
    const mapping = mappingOf(fieldPath, value);
    if (isObject(value)) {
      if (mapping !== undefined && mapping !== 'object')
        problems.push(`${name}: an object where ${mapping.type} is mapped`);
      problems.push(...checkAgainstMappings(value, fieldPath));
      continue;
    }
    if (mapping === 'object') {
      problems.push(`${name}: ${JSON.stringify(value)} where an object is mapped`);
      continue;
    }
    if (mapping === undefined || value === null) continue; // dynamic: OpenSearch's defaults
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      const { type, format } = mapping;
      const ok =
        type === 'keyword' || type === 'text'
          ? typeof item === 'string'
          : NUMERIC.has(type)
            ? typeof item === 'number'
            : type === 'date' || type === 'date_nanos'
              ? (typeof item === 'string' &&
                  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(item) &&
                  !Number.isNaN(Date.parse(item))) ||
                (typeof item === 'number' && (format ?? '').includes('epoch_millis'))
              : type === 'boolean'
                ? typeof item === 'boolean'
                : true;
      if (!ok) problems.push(`${name}: ${JSON.stringify(item)} does not fit ${type}`);
      if (type === 'short' && typeof item === 'number' && Math.abs(item) > 32767)
        problems.push(`${name}: ${item} overflows short`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// A single OpenSearch node

interface OpenSearchNode {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

async function startOpenSearch(): Promise<OpenSearchNode> {
  if (!existsSync(join(OPENSEARCH_LIBS, '.complete'))) {
    throw new Error(`${OPENSEARCH_LIBS} is missing: run \`make deploy-tools\` (deploy/tools/install.sh)`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'logs-opensearch-'));
  const [httpPort, transportPort] = [await freePort(), await freePort()];
  const child = spawn(
    'java',
    [
      '-Xms512m',
      '-Xmx512m',
      '-cp',
      `${OPENSEARCH_LIBS}/*`,
      OPENSEARCH_LAUNCHER,
      dataDir,
      String(httpPort),
      String(transportPort),
    ],
    { cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${httpPort}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`OpenSearch did not start within 120 s:\n${output.slice(-4000)}`)),
      120_000,
    );
    const poll = setInterval(() => {
      if (output.includes(`opensearch ready on ${url}`)) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      }
    }, 100);
    void exited.then(() => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`OpenSearch exited before it was ready:\n${output.slice(-4000)}`));
    });
  });
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function os(
  node: OpenSearchNode,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: JsonObject }> {
  const ndjson = typeof body === 'string';
  const response = await fetch(`${node.url}${path}`, {
    method,
    headers: { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' },
    ...(body === undefined ? {} : { body: ndjson ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as JsonObject) };
}

// ---------------------------------------------------------------------------------------------

const TENANT_NAMESPACE = 'tenant-northwind';

let captured: CapturedLine[] = [];
let criLines: string[] = [];
let serviceLines: JsonObject[] = [];
let pod: PodIdentity;
let records: PipelineRecord[] = [];
let routed: { index: string; document: JsonObject }[] = [];
let opensearch: Promise<OpenSearchNode> | undefined;
const started = Date.now();

beforeAll(async () => {
  // The node starts while the service runs (each takes seconds).
  opensearch = startOpenSearch();
  opensearch.catch(() => {}); // reported by the tests that use it
  pod = fleetPod(TENANT_NAMESPACE);
  captured = await captureFleetServiceLines();
  const levels = new Map<string, number>();
  for (const entry of captured) {
    const level = /"level":"(\w+)"/.exec(entry.line)?.[1] ?? `${entry.stream}, not JSON`;
    levels.set(level, (levels.get(level) ?? 0) + 1);
  }
  console.log(
    `logs test: ${captured.length} lines from the fleet service in ${Date.now() - started} ms (${[...levels]
      .map(([level, n]) => `${n} ${level}`)
      .join(', ')})`,
  );
  criLines = captured.map((entry) => `${entry.time} ${entry.stream} F ${entry.line}`);
  // The containerd log file these lines make, e.g. to replay through a real Fluent Bit elsewhere.
  const dump = process.env.FLEETWATCH_LOGS_TEST_DUMP;
  if (dump !== undefined && dump !== '') writeFileSync(dump, `${criLines.join('\n')}\n`);
  serviceLines = captured
    .filter((entry) => entry.stream === 'stdout')
    .map((entry) => JSON.parse(entry.line) as JsonObject);
  records = criLines.map((line) => {
    const cri = parseCri(line);
    if (cri === undefined) throw new Error(`the CRI parser does not match: ${line}`);
    return afterKubernetesFilter(cri, pod);
  });
  const filtered = runLuaFilter(
    records.map((r) => ({ tag: r.tag, timestamp: r.timestamp.date.getTime() / 1000, record: r.record })),
  );
  routed = filtered.map((result, i) => toOpenSearch(result.record, (records[i] as PipelineRecord).timestamp));
}, 180_000);

afterAll(async () => {
  const node = await opensearch?.catch(() => undefined);
  await node?.stop();
});

describe('argocd/platform/fluent-bit.yaml holds the configuration files verbatim', () => {
  const app = parseYaml(readFileSync(join(REPO_ROOT, 'argocd/platform/fluent-bit.yaml'), 'utf8')) as unknown;
  const values = at(app, 'spec', 'source', 'helm', 'valuesObject');

  it('fluent-bit.conf is config.service + inputs + filters + outputs, as the chart joins them', () => {
    const parts = ['service', 'inputs', 'filters', 'outputs'].map((key) => at(values, 'config', key));
    for (const part of parts) expect(typeof part).toBe('string');
    expect(parts.join('\n')).toBe(fluentBitConfText);
    // The chart runs every value through tpl: a "{{" would be a template.
    expect(fluentBitConfText + parsersText + luaText).not.toContain('{{');
  });

  it('custom_parsers.conf is config.customParsers, fleetwatch.lua is the Lua script the filter loads', () => {
    expect(at(values, 'config', 'customParsers')).toBe(parsersText);
    expect(at(values, 'luaScripts', 'fleetwatch.lua')).toBe(luaText);
    // The chart mounts luaScripts at /fluent-bit/scripts and the ConfigMap's files at /fluent-bit/etc/conf.
    expect(must(luaFilter, 'script')).toBe('/fluent-bit/scripts/fleetwatch.lua');
    const service = sectionsOf(fluentBitConf, 'SERVICE')[0] as ClassicSection;
    expect(service.entries.filter(([key]) => key === 'Parsers_File').map(([, v]) => v)).toContain(
      '/fluent-bit/etc/conf/custom_parsers.conf',
    );
    // The tail database and the filesystem buffer live on the node's volume the values mount.
    expect(at(values, 'extraVolumeMounts')).toEqual([{ name: 'state', mountPath: '/var/fluent-bit/state' }]);
    expect(must(tail, 'DB').startsWith('/var/fluent-bit/state/')).toBe(true);
    expect(must(service, 'storage.path').startsWith('/var/fluent-bit/state/')).toBe(true);
    expect(must(tail, 'storage.type')).toBe('filesystem');
  });
});

describe('the fleet service writes one JSON object per stdout line', () => {
  it('every stdout line is JSON with the logger fields; the requests and the trace are there', () => {
    const stdout = captured.filter((entry) => entry.stream === 'stdout');
    expect(stdout.length).toBeGreaterThan(10);
    for (const line of serviceLines) {
      expect(line).toMatchObject({ service: 'fleet' });
      expect(typeof line.level).toBe('string');
      expect(typeof line.time).toBe('string');
      expect(typeof line.message).toBe('string');
    }
    const statuses = serviceLines.map((line) => at(line, 'res', 'statusCode')).filter((s) => s !== undefined);
    expect(new Set(statuses)).toEqual(new Set([200, 400, 401, 404]));
    const traced = serviceLines.filter((line) => line.trace_id === TRACE_ID);
    expect(traced.length).toBeGreaterThanOrEqual(2); // incoming request, request completed
    for (const line of traced) expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(serviceLines.some((line) => line.message === 'shutdown complete')).toBe(true);
  });
});

describe('(a) the CRI parser of custom_parsers.conf', () => {
  it('takes every containerd line apart and gives back the service line and the runtime time', () => {
    expect(criLines.length).toBe(captured.length);
    criLines.forEach((line, i) => {
      const cri = parseCri(line);
      const entry = captured[i] as CapturedLine;
      expect(cri, line).toEqual({ time: entry.time, stream: entry.stream, flag: 'F', log: entry.line });
      expect(cri?.time).toMatch(criTimePattern);
    });
  });

  it('joins a line containerd split into partial records (P ... F) back into the JSON line', () => {
    // containerd splits at 16 KiB; the longest real line is split smaller here to exercise the join.
    const longest = [...captured].sort((x, y) => y.line.length - x.line.length)[0] as CapturedLine;
    const chunk = Math.ceil(longest.line.length / 4);
    const pieces = Array.from({ length: 4 }, (_, i) => longest.line.slice(i * chunk, (i + 1) * chunk));
    const other = captured.find((entry) => entry !== longest) as CapturedLine;
    const lines = [
      ...pieces.slice(0, -1).map((piece) => `${longest.time} stdout P ${piece}`),
      // A line of the other stream in between does not break the join (Key_Group stream).
      `${other.time} stderr F ${other.line}`,
      `${longest.time} stdout F ${pieces.at(-1) ?? ''}`,
    ];
    const parsed = lines.map((line) => parseCri(line));
    expect(parsed.every((p) => p !== undefined)).toBe(true);
    const joined = joinPartials(parsed as CriRecord[]);
    const joinedLine = joined.find((record) => record.stream === 'stdout');
    expect(joinedLine?.log).toBe(longest.line);
    expect(JSON.parse(joinedLine?.log ?? 'null')).toEqual(JSON.parse(longest.line));
  });

  it('is wired as the built-in cri parser is, keeping no `time` key of its own', () => {
    expect(must(multilineParser, 'Type').toLowerCase()).toBe('equal');
    const groups = Object.keys(criRegex.exec('2026-01-01T00:00:00.000000001Z stdout F x')?.groups ?? {});
    for (const key of ['Key_Pattern', 'Key_Content', 'Key_Group'])
      expect(groups).toContain(must(multilineParser, key));
    expect(groups).toContain(must(criParser, 'Time_Key'));
    expect(must(criParser, 'Time_Keep')).toBe('Off');
    expect(parseCri('2026-01-01T00:00:00Z stdout X {}')).toBeUndefined();
    expect(parseCri('not a cri line')).toBeUndefined();
  });
});

describe('(b) the records fit the index template', () => {
  it('Merge_Log makes no duplicate key (OpenSearch refuses a document with one)', () => {
    for (const record of records) {
      const duplicates = record.keys.filter((key, i) => record.keys.indexOf(key) !== i);
      expect(duplicates, JSON.stringify(record.keys)).toEqual([]);
    }
  });

  it('every field of every record has a value its mapping accepts', () => {
    expect(routed.length).toBe(captured.length);
    for (const { document } of routed)
      expect(checkAgainstMappings(document), JSON.stringify(document)).toEqual([]);
  });

  it('the template maps what the service logs: time, level, service, message, trace, request and response', () => {
    const documents = routed.map((r) => r.document);
    const has = (...path: string[]) => documents.some((d) => at(d, ...path) !== undefined);
    for (const path of [
      ['@timestamp'],
      ['time'],
      ['level'],
      ['service'],
      ['version'],
      ['message'],
      ['tenant'],
      ['trace_id'],
      ['span_id'],
      ['request_id'],
      ['responseTime'],
      ['req', 'method'],
      ['req', 'url'],
      ['res', 'statusCode'],
      ['err', 'type'],
      ['err', 'message'],
      ['err', 'stack'],
      ['kubernetes', 'namespace_name'],
      ['kubernetes', 'labels', 'app_kubernetes_io/name'],
    ]) {
      expect(has(...path), path.join('.')).toBe(true);
      const mapping = mappingOf(
        path,
        at(
          documents.find((d) => at(d, ...path) !== undefined),
          ...path,
        ) as Json,
      );
      expect(mapping, path.join('.')).toBeDefined();
    }
    expect(mappingOf(['responseTime'], 1)).toEqual({ type: 'float' });
    expect(mappingOf(['level'], 'info')).toEqual({ type: 'keyword' });
    expect(mappingOf(['some', 'unknown_field'], 'x')).toEqual({ type: 'keyword' });
  });

  it('the checks catch what OpenSearch would refuse', () => {
    expect(checkAgainstMappings({ res: { statusCode: '200' } })).toEqual([
      'res.statusCode: "200" does not fit short',
    ]);
    expect(checkAgainstMappings({ time: 'yesterday' })).toEqual(['time: "yesterday" does not fit date']);
    expect(checkAgainstMappings({ level: 30 })).toEqual(['level: 30 does not fit keyword']);
    expect(checkAgainstMappings({ req: 'GET /' })).toEqual(['req: "GET /" where an object is mapped']);
    expect(checkAgainstMappings({ 'a.b': 1 })).toEqual(['a.b: a dot in a field name']);
  });
});

describe('(c) tenant and index: fleetwatch.lua under LuaJIT, then the output settings', () => {
  it('the service records of tenant-northwind go to logs-northwind-<day of the runtime time>', () => {
    for (const [i, { index, document }] of routed.entries()) {
      const day = strftimeUtc('%Y.%m.%d', (records[i] as PipelineRecord).timestamp.date);
      expect(index).toBe(`logs-northwind-${day}`);
      expect(document.tenant).toBe('northwind');
      expect(document._p).toBeUndefined();
      expect(index).toMatch(/^[a-z0-9][a-z0-9._-]{0,254}$/); // a valid OpenSearch index name
    }
  });

  it('keeps every other field of a real record as it was', () => {
    const record = (records.find((r) => at(r.record, 'req', 'url') !== undefined) as PipelineRecord).record;
    const [result] = runLuaFilter([{ tag: 'kube.x', timestamp: 1, record }]);
    expect(result?.code).toBe(2);
    const { tenant, index_prefix: prefix, ...rest } = result?.record ?? {};
    const { _p: flag, ...expected } = record;
    expect(flag).toBe('F');
    expect(rest).toEqual(expected);
    expect([tenant, prefix]).toEqual(['northwind', 'logs-northwind']);
  });

  it('routes by namespace only: tenant-<id> to its own index, every other namespace to logs-platform', () => {
    const base: JsonObject = serviceLines[0] ?? {};
    const withNamespace = (namespace: string, extra: JsonObject = {}): JsonObject => ({
      ...base,
      ...extra,
      kubernetes: { namespace_name: namespace, pod_name: 'p' },
    });
    const cases: [JsonObject, string][] = [
      [withNamespace('tenant-northwind'), 'northwind'],
      [withNamespace('tenant-pool-shared'), 'pool-shared'],
      [withNamespace('kube-system'), 'platform'],
      [withNamespace('logging'), 'platform'],
      [withNamespace('monitoring'), 'platform'],
      [withNamespace('tenants'), 'platform'],
      [withNamespace('tenant-'), 'platform'],
      [withNamespace('tenant-Upper'), 'platform'],
      [withNamespace('tenant-a_b'), 'platform'],
      [withNamespace('my-tenant-x'), 'platform'],
      // A tenant named platform never gets into another index, and nobody gets into its logs.
      [withNamespace('tenant-platform'), 'platform'],
      // A service cannot choose its index by logging tenant or index_prefix itself.
      [withNamespace('tenant-northwind', { tenant: 'oceanic', index_prefix: 'logs-oceanic' }), 'northwind'],
      [withNamespace('kube-system', { tenant: 'oceanic', index_prefix: 'logs-oceanic' }), 'platform'],
    ];
    const results = runLuaFilter(cases.map(([record]) => ({ tag: 'kube.x', timestamp: 1, record })));
    results.forEach((result, i) => {
      const [record, tenant] = cases[i] as [JsonObject, string];
      expect([at(record, 'kubernetes', 'namespace_name'), result.record.tenant]).toEqual([
        at(record, 'kubernetes', 'namespace_name'),
        tenant,
      ]);
      expect(toOpenSearch(result.record, criTime('2026-03-01T23:59:59.999999999Z')).index).toBe(
        `logs-${tenant}-2026.03.01`,
      );
    });
  });

  it('without Kubernetes metadata (API server unreachable), the namespace comes from the tag', () => {
    const record = { ...(serviceLines[0] ?? {}) };
    const tag = tailTag(must(tail, 'Tag'), pod.file);
    const platformTag = tailTag(
      must(tail, 'Tag'),
      `/var/log/containers/coredns-5d78c9869d-abcde_kube-system_coredns-${'0'.repeat(64)}.log`,
    );
    const [tenant, platform] = runLuaFilter([
      { tag, timestamp: 1, record },
      { tag: platformTag, timestamp: 1, record },
    ]);
    expect(tenant?.record.tenant).toBe('northwind');
    expect(platform?.record.tenant).toBe('platform');
  });

  it('a record without the prefix field still has an index (Logstash_Prefix)', () => {
    expect(toOpenSearch({ message: 'x' }, criTime('2026-03-01T00:00:00.5Z')).index).toBe(
      'logs-platform-2026.03.01',
    );
    expect(must(output, 'Logstash_Format')).toBe('On');
    expect(must(output, 'Generate_ID')).toBe('On');
    expect(must(output, 'Replace_Dots')).toBe('On');
    expect(must(output, 'Suppress_Type_Name')).toBe('On');
    expect(Number(must(output, 'Retry_Limit'))).toBeGreaterThan(0);
  });
});

describe('(d) the kubernetes filter reads namespace, pod and container from the tag', () => {
  it('of the fleet chart pod log file, after Kube_Tag_Prefix', () => {
    const tag = tailTag(must(tail, 'Tag'), pod.file);
    const prefix = must(kubernetesFilter, 'Kube_Tag_Prefix');
    expect(tag.startsWith(prefix), `${tag} does not start with ${prefix}`).toBe(true);
    const groups = onigmoToJs(must(kubeTagParser, 'Regex')).exec(tag.slice(prefix.length))?.groups;
    expect(groups).toEqual({
      pod_name: pod.podName,
      namespace_name: TENANT_NAMESPACE,
      container_name: pod.containerName,
      docker_id: pod.containerId,
    });
    expect(pod.podName).toMatch(/^fleet-api-/);
  });

  it('and of other pods: dotted pod names, containers with dashes, platform namespaces', () => {
    const prefix = must(kubernetesFilter, 'Kube_Tag_Prefix');
    const regex = onigmoToJs(must(kubeTagParser, 'Regex'));
    const id = 'f'.repeat(64);
    const groupsOf = (file: string) =>
      regex.exec(tailTag(must(tail, 'Tag'), file).slice(prefix.length))?.groups;
    expect(groupsOf(`/var/log/containers/fluent-bit-8x7kq_logging_fluent-bit-${id}.log`)).toMatchObject({
      pod_name: 'fluent-bit-8x7kq',
      namespace_name: 'logging',
      container_name: 'fluent-bit',
    });
    expect(
      groupsOf(`/var/log/containers/web.example-0_tenant-pool-shared_db-migrate-${id}.log`),
    ).toMatchObject({
      pod_name: 'web.example-0',
      namespace_name: 'tenant-pool-shared',
      container_name: 'db-migrate',
    });
    expect(groupsOf('/var/log/containers/not-a-kubelet-file.log')).toBeUndefined();
  });
});

describe('(e) the Logstash pipeline (parsed with the LSCL grammar; no Logstash can run here)', () => {
  let sections: LsclSection[] = [];
  beforeAll(() => {
    sections = parseLscl(logstashText);
  });

  it('parses into input, filter and output with the expected plugins', () => {
    expect(sections.map((s) => s.type)).toEqual(['input', 'filter', 'output']);
    const names = sections.map((s) => pluginsOf(s.body).map((p) => p.name));
    expect(names[0]).toEqual(['kafka']);
    expect(new Set(names[1])).toEqual(new Set(['json', 'mutate', 'date', 'ruby', 'fingerprint']));
    expect(names[2]).toEqual(['opensearch']);
    expect(() => parseLscl('filter { mutate { add_field => } }')).toThrow(/line 1/);
  });

  it('dates from `time`, then fingerprints (so the id does not depend on arrival), then indexes by it', () => {
    const filters = pluginsOf(sections[1]?.body ?? []);
    const date = filters.find((p) => p.name === 'date');
    const fingerprint = filters.find((p) => p.name === 'fingerprint');
    expect(attribute(date ?? filters[0]!, 'match')).toEqual(['time', 'ISO8601']);
    expect(filters.indexOf(date!)).toBeLessThan(filters.indexOf(fingerprint!));
    const target = attribute(fingerprint!, 'target');
    const out = pluginsOf(sections[2]?.body ?? [])[0]!;
    expect(attribute(out, 'document_id')).toBe(`%{${String(target)}}`);
    expect(attribute(out, 'manage_template')).toBe('false');
  });

  it('routes the real records to the same tenants and daily indices as Fluent Bit', () => {
    const branch = sections[1]?.body.find(
      (n): n is LsclBranch =>
        n.kind === 'branch' && (n.clauses[0]?.condition ?? '').includes('namespace_name'),
    );
    const condition = branch?.clauses[0]?.condition ?? '';
    const regex = /=~ \/(.*?)\/ and \[kubernetes\]\[namespace_name\] != "([^"]+)"$/.exec(condition);
    expect(regex, condition).not.toBeNull();
    const tenantPattern = new RegExp(regex?.[1] ?? '$^');
    const excluded = regex?.[2];
    const logstashTenant = (namespace: string): string =>
      tenantPattern.test(namespace) && namespace !== excluded
        ? namespace.replace(/^tenant-/, '')
        : 'platform';
    const namespaces = [
      'tenant-northwind',
      'tenant-pool-shared',
      'kube-system',
      'tenant-platform',
      'tenant-Upper',
      'tenant-',
    ];
    const lua = runLuaFilter(
      namespaces.map((ns) => ({
        tag: 'kube.x',
        timestamp: 1,
        record: { kubernetes: { namespace_name: ns } },
      })),
    );
    expect(namespaces.map(logstashTenant)).toEqual(lua.map((r) => r.record.tenant));
    // index => "logs-%{[@metadata][tenant]}-%{+YYYY.MM.dd}", the day of @timestamp (the service's time) in UTC.
    const index = String(attribute(pluginsOf(sections[2]?.body ?? [])[0]!, 'index'));
    for (const line of serviceLines) {
      const day = strftimeUtc('%Y.%m.%d', new Date(typeof line.time === 'string' ? line.time : NaN));
      const name = index
        .replace('%{[@metadata][tenant]}', logstashTenant(TENANT_NAMESPACE))
        .replace('%{+YYYY.MM.dd}', day);
      expect(name).toBe(`logs-northwind-${day}`);
    }
  });
});

describe('(f) OpenSearch: the template, the real records, idempotent ids, searches', () => {
  let node: OpenSearchNode;
  const TEMPLATE = 'fleetwatch-logs';
  /** A stand-in for Generate_ID (Fluent Bit hashes the packed record): the same record, the same id. */
  const idOf = (document: JsonObject): string =>
    createHash('sha256').update(JSON.stringify(document)).digest('hex').slice(0, 32);
  const bulkBody = (items: { index: string; document: JsonObject }[]): string =>
    items
      .map(
        ({ index, document }) =>
          `${JSON.stringify({ create: { _index: index, _id: idOf(document) } })}\n${JSON.stringify(document)}\n`,
      )
      .join('');

  beforeAll(async () => {
    const begun = Date.now();
    if (opensearch === undefined) throw new Error('OpenSearch was not started');
    node = await opensearch;
    console.log(
      `logs test: OpenSearch ready ${Date.now() - started} ms after the start (waited ${Date.now() - begun} ms here)`,
    );
  }, 150_000);

  it('takes the index template; a logs-<tenant>-<day> index gets its settings and mappings', async () => {
    const put = await os(node, 'PUT', `/_index_template/${TEMPLATE}`, template);
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    const simulated = await os(node, 'POST', '/_index_template/_simulate_index/logs-northwind-2026.03.01');
    expect(simulated.status, JSON.stringify(simulated.json)).toBe(200);
    expect(at(simulated.json, 'template', 'settings', 'index', 'number_of_shards')).toBe('1');
    expect(at(simulated.json, 'template', 'mappings', 'properties', 'trace_id', 'type')).toBe('keyword');
  });

  it('indexes every record into its daily tenant index; sent again, not one duplicate', async () => {
    const first = await os(node, 'POST', '/_bulk?refresh=wait_for', bulkBody(routed));
    const items = (first.json.items ?? []) as JsonObject[];
    const failed = items.filter((item) => at(item, 'create', 'status') !== 201);
    expect(failed, JSON.stringify(failed.slice(0, 3))).toEqual([]);
    expect(first.json.errors).toBe(false);

    // A retried chunk: Write_Operation create with the same ids -> 409 each (the output counts it done).
    const again = await os(node, 'POST', '/_bulk?refresh=wait_for', bulkBody(routed));
    const statuses = ((again.json.items ?? []) as JsonObject[]).map((item) => at(item, 'create', 'status'));
    expect(new Set(statuses)).toEqual(new Set([409]));

    const indices = [...new Set(routed.map((r) => r.index))];
    const count = await os(node, 'GET', `/${indices.join(',')}/_count`);
    expect(count.json.count).toBe(routed.length);
    expect(must(output, 'Write_Operation')).toBe('create');

    // What Generate_ID prevents: the same chunk without ids is stored twice.
    const noIds = routed
      .slice(0, 3)
      .map(({ document }) => `{"create":{"_index":"logs-idless-2026.03.01"}}\n${JSON.stringify(document)}\n`)
      .join('');
    await os(node, 'POST', '/_bulk?refresh=wait_for', noIds);
    await os(node, 'POST', '/_bulk?refresh=wait_for', noIds);
    expect((await os(node, 'GET', '/logs-idless-2026.03.01/_count')).json.count).toBe(6);
    expect((await os(node, 'DELETE', '/logs-idless-2026.03.01')).status).toBe(200);
  });

  it('the stored mapping is the template one: no field was mapped by guesswork against it', async () => {
    const index = routed[0]?.index ?? '';
    const mapping = await os(node, 'GET', `/${index}/_mapping`);
    const properties = at(mapping.json, index, 'mappings', 'properties');
    expect(at(properties, '@timestamp', 'type')).toBe('date_nanos');
    expect(at(properties, 'time', 'type')).toBe('date');
    expect(at(properties, 'res', 'properties', 'statusCode', 'type')).toBe('short');
    expect(at(properties, 'responseTime', 'type')).toBe('float');
    // An error's other properties stay in _source unindexed (a pg error carries its whole client).
    expect(
      Object.keys(
        isObject(at(properties, 'err', 'properties'))
          ? (at(properties, 'err', 'properties') as JsonObject)
          : {},
      ).sort(),
    ).toEqual(['code', 'message', 'stack', 'type']);
    const withClient = routed.find((r) => at(r.document, 'err', 'client') !== undefined);
    if (withClient !== undefined) {
      const stored = await os(node, 'GET', `/${withClient.index}/_doc/${idOf(withClient.document)}`);
      expect(at(stored.json, '_source', 'err', 'client')).toBeDefined();
    }
    expect(
      at(properties, 'kubernetes', 'properties', 'labels', 'properties', 'app_kubernetes_io/name', 'type'),
    ).toBe('keyword');
    // Fields the template does not name (e.g. pino's `hostname` is absent; the service's own extras) are keywords.
    const dynamicStrings = Object.entries(isObject(properties) ? properties : {}).filter(
      ([name, value]) => at(value, 'type') === 'text' && !['message', 'log'].includes(name),
    );
    expect(dynamicStrings).toEqual([]);
  });

  it('finds the records by tenant, level and trace id', async () => {
    const search = async (query: JsonObject) =>
      (await os(node, 'POST', '/logs-*/_search?size=500', { query })).json;
    const byTenant = await search({ term: { tenant: 'northwind' } });
    expect(at(byTenant, 'hits', 'total', 'value')).toBe(routed.length);
    const warnings = routed.filter((r) => r.document.level === 'warn').length;
    const byLevel = await search({
      bool: { filter: [{ term: { tenant: 'northwind' } }, { term: { level: 'warn' } }] },
    });
    expect(at(byLevel, 'hits', 'total', 'value')).toBe(warnings);
    const byTrace = await search({ term: { trace_id: TRACE_ID } });
    const hits = (at(byTrace, 'hits', 'hits') ?? []) as JsonObject[];
    expect(hits.length).toBe(routed.filter((r) => r.document.trace_id === TRACE_ID).length);
    expect(hits.length).toBeGreaterThanOrEqual(2);
    expect(new Set(hits.map((hit) => at(hit, '_source', 'req', 'url')))).toEqual(
      new Set(['/v1/fleet/tenants', undefined]),
    );
    const text = await search({ match: { message: 'request completed' } });
    expect(Number(at(text, 'hits', 'total', 'value'))).toBeGreaterThanOrEqual(5);
    expect((await search({ term: { tenant: 'oceanic' } })).hits).toMatchObject({ total: { value: 0 } });
  });

  it('the ISM plugin is not in this node (not on Maven Central): the policy is checked without it', async () => {
    const plugins = await fetch(`${node.url}/_cat/plugins?format=json`).then(
      (r) => r.json() as Promise<unknown[]>,
    );
    const components = plugins.map((plugin) => String(at(plugin, 'component')));
    expect(components).toContain('org.opensearch.transport.Netty4Plugin');
    expect(components.filter((c) => /indexmanagement|jobscheduler/i.test(c))).toEqual([]);
    const put = await os(node, 'PUT', '/_plugins/_ism/policies/fleetwatch-logs-retention', ismPolicy);
    expect(put.status, JSON.stringify(put.json)).toBeGreaterThanOrEqual(400);
    // Why the template does not attach the policy with the legacy index setting: without the plugin
    // (or before it is installed) such a template is refused.
    const legacy = { ...structuredClone(template), index_patterns: ['legacy-logs-*'] };
    const settings = at(legacy, 'template', 'settings', 'index');
    if (isObject(settings))
      settings['plugins.index_state_management.policy_id'] = 'fleetwatch-logs-retention';
    const refused = await os(node, 'PUT', '/_index_template/fleetwatch-logs-legacy', legacy);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain(
      'unknown setting [index.plugins.index_state_management.policy_id]',
    );
  });
});

describe('the ISM retention policy (static: states, transitions, the indices it attaches to)', () => {
  const policy = ismPolicy.policy;
  const states = (Array.isArray(policy.states) ? policy.states : []).filter(isObject);
  const names = states.map((s) => s.name);

  it('hot, then deleted 30 days after the index was created; no rollover (indices are daily)', () => {
    expect(policy.default_state).toBe('hot');
    expect(names).toEqual(['hot', 'delete']);
    for (const state of states) {
      for (const transition of (Array.isArray(state.transitions) ? state.transitions : []).filter(isObject)) {
        expect(names).toContain(transition.state_name);
        const age = at(transition, 'conditions', 'min_index_age');
        expect(age === undefined || (typeof age === 'string' && /^\d+(d|h|m|s|ms)$/.test(age))).toBe(true);
      }
    }
    expect(at(states[0], 'transitions')).toEqual([
      { state_name: 'delete', conditions: { min_index_age: '30d' } },
    ]);
    const deleteActions = (at(states[1], 'actions') ?? []) as JsonObject[];
    expect(deleteActions.some((action) => isObject(action.delete))).toBe(true);
    expect(at(states[1], 'transitions')).toEqual([]);
    const actions = states.flatMap((state) => (Array.isArray(state.actions) ? state.actions : []));
    expect(actions.filter((action) => isObject(action) && 'rollover' in action)).toEqual([]);
  });

  it('attaches itself to every index the template covers (ism_template), not through a deprecated setting', () => {
    const ismTemplates = (Array.isArray(policy.ism_template) ? policy.ism_template : []).filter(isObject);
    const patterns = ismTemplates.flatMap((t) => (Array.isArray(t.index_patterns) ? t.index_patterns : []));
    expect(patterns).toEqual(template.index_patterns);
    expect(JSON.stringify(template)).not.toContain('index_state_management');
  });
});
