/**
 * argocd/: the Argo CD objects (root app, projects, platform applications, ApplicationSets) validate
 * strictly against the Argo CD CRDs; ApplicationSets keep their project fixed; the tenant projects
 * keep tenants inside tenant namespaces; platform charts are pinned; tenant files validate against
 * argocd/tenant-file.schema.json. The ApplicationSets are then run offline over the example tenant
 * files (deploy/test/support/appset.ts) and every generated Application is rendered with helm, checked
 * for tenant isolation (with the tenant's foundation) and against its project's allowed kinds and the
 * tier's quota.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';

import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

import {
  generateApplications,
  renderGoTemplate,
  resolveValueFiles,
  type GeneratedApplication,
} from './support/appset.js';
import {
  GUARDRAIL_KINDS,
  IN_CLUSTER_SERVER,
  isolationProblems,
  tenantNamespace,
} from './support/isolation.js';
import {
  REPO_ROOT,
  helmTemplate,
  kubeconform,
  parseManifests,
  pssCheck,
  type KubernetesManifest,
} from './support/tools.js';

/** The platform repository: set at bootstrap, one value everywhere. */
const REPO_URL = 'https://github.com/fleetwatch/fleetwatch.git';
const SERVICES = ['fleet', 'performance', 'crew', 'maintenance'] as const;
const ARGOCD_DIR = join(REPO_ROOT, 'argocd');
const INGRESS_DOMAIN = 'fleetwatch.example.com';

const scratch = mkdtempSync(join(tmpdir(), 'argocd-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function obj(value: unknown): Obj {
  if (!isObj(value)) throw new Error(`not an object: ${JSON.stringify(value)}`);
  return value;
}
function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = isObj(current) ? current[key] : undefined;
  return current;
}

/** Files under a directory, relative to it (posix separators). */
function walk(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path).map((f) => posix.join(name, f)) : [name];
    })
    .sort();
}

function readManifests(file: string): KubernetesManifest[] {
  return parseManifests(readFileSync(join(ARGOCD_DIR, file), 'utf8'));
}

const yamlFiles = walk(ARGOCD_DIR).filter((f) => f.endsWith('.yaml'));
const manifestFiles = yamlFiles.filter((f) => /^(projects|platform|applicationsets)\//.test(f));
const tenantFiles = yamlFiles.filter((f) => f.startsWith('tenants/'));

function project(name: string): Obj {
  const doc = readManifests(`projects/${name}.yaml`)[0];
  if (doc?.kind !== 'AppProject' || doc.metadata.name !== name)
    throw new Error(`projects/${name}.yaml is not AppProject ${name}`);
  return obj(doc.spec);
}

function applicationSet(name: string): KubernetesManifest {
  const doc = readManifests(`applicationsets/${name}.yaml`)[0];
  if (doc?.kind !== 'ApplicationSet' || doc.metadata.name !== name)
    throw new Error(`applicationsets/${name}.yaml is not ApplicationSet ${name}`);
  return doc;
}

function wave(doc: KubernetesManifest): number {
  return Number(doc.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0');
}

/** Glob match; `*` matches any run of characters, or within one path segment when segment is true. */
function globMatch(pattern: string, value: string, segment = false): boolean {
  const parts = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join(segment ? '[^/]*' : '.*')}$`).test(value);
}

function groupKinds(value: unknown): { group: string; kind: string }[] {
  return arr(value).map((e) => ({ group: String(at(e, 'group')), kind: String(at(e, 'kind')) }));
}

// ---------------------------------------------------------------------------------------------
// Tenant files and their schema

interface TenantFile {
  tenant: string;
  tier: 'pool' | 'silo';
  displayName: string;
  members?: string[];
  groups: { admin: string[]; viewer: string[] };
  images: Record<(typeof SERVICES)[number], string>;
  values?: Record<string, Obj>;
}

const schema = JSON.parse(readFileSync(join(ARGOCD_DIR, 'tenant-file.schema.json'), 'utf8')) as Obj;
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validateTenantFile = ajv.compile(schema);

function schemaErrors(data: unknown): string[] {
  return validateTenantFile(data)
    ? []
    : (validateTenantFile.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

function loadTenant(file: string): TenantFile {
  return parse(readFileSync(join(ARGOCD_DIR, file), 'utf8'), { version: '1.1' }) as TenantFile;
}

// ---------------------------------------------------------------------------------------------
// Generated applications, rendered

const generate = { repoRoot: REPO_ROOT, repoURL: REPO_URL };
let foundationsCache: GeneratedApplication[] | undefined;
let servicesCache: GeneratedApplication[] | undefined;
function foundations(): GeneratedApplication[] {
  foundationsCache ??= generateApplications(applicationSet('tenant-foundations'), generate);
  return foundationsCache;
}
function services(): GeneratedApplication[] {
  servicesCache ??= generateApplications(applicationSet('tenant-services'), generate);
  return servicesCache;
}

interface HelmSource {
  path: string;
  releaseName: string;
  valueFiles: string[];
  values: string;
  parameters: { name: string; value: string; forceString?: boolean }[];
}

function helmSource(app: GeneratedApplication): HelmSource {
  const source = obj(app.spec.source);
  const helm = obj(source.helm);
  return {
    path: String(source.path),
    releaseName: String(helm.releaseName),
    valueFiles: arr(helm.valueFiles).map(String),
    values: typeof helm.values === 'string' ? helm.values : '',
    parameters: arr(helm.parameters).map((p) => ({
      name: String(at(p, 'name')),
      value: String(at(p, 'value')),
      forceString: at(p, 'forceString') === true,
    })),
  };
}

let valuesCount = 0;
const rendered = new Map<string, string>();
/** helm template of a generated Application, the way Argo CD's repo server runs it. */
function renderApplication(app: GeneratedApplication): string {
  const cached = rendered.get(app.metadata.name);
  if (cached !== undefined) return cached;
  const helm = helmSource(app);
  const valuesFile = join(scratch, `values-${valuesCount++}.yaml`);
  writeFileSync(valuesFile, helm.values);
  const text = helmTemplate({
    chart: helm.path,
    release: helm.releaseName,
    namespace: String(at(app.spec, 'destination', 'namespace')),
    valuesFiles: [...resolveValueFiles(REPO_ROOT, helm.path, helm.valueFiles), valuesFile],
    set: Object.fromEntries(
      helm.parameters.filter((p) => p.forceString !== true).map((p) => [p.name, p.value]),
    ),
    setString: Object.fromEntries(
      helm.parameters.filter((p) => p.forceString === true).map((p) => [p.name, p.value]),
    ),
    apiVersions: ['monitoring.coreos.com/v1', 'keda.sh/v1alpha1'],
  });
  rendered.set(app.metadata.name, text);
  return text;
}

// Quantities (cpu in cores, memory in bytes).
function quantity(value: unknown): number {
  const text = String(value);
  const m = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(text);
  if (m === null) throw new Error(`unsupported quantity ${text}`);
  const factor: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  return Number(m[1]) * (m[2] === undefined ? 1 : (factor[m[2]] ?? 1));
}

interface Usage {
  pods: number;
  requestsCpu: number;
  requestsMemory: number;
  limitsMemory: number;
}

/** What a tenant's services use at their autoscaling maximum, plus a rolling update's surge and the hook Jobs. */
function usageAtMaximum(docs: KubernetesManifest[], limitRange: Obj): Usage {
  const usage: Usage = { pods: 0, requestsCpu: 0, requestsMemory: 0, limitsMemory: 0 };
  const maxOf = (name: string, fallback: number): number => {
    for (const d of docs) {
      if (d.kind === 'HorizontalPodAutoscaler' && at(d.spec, 'scaleTargetRef', 'name') === name)
        return Number(at(d.spec, 'maxReplicas'));
      if (d.kind === 'ScaledObject' && at(d.spec, 'scaleTargetRef', 'name') === name)
        return Number(at(d.spec, 'maxReplicaCount'));
    }
    return fallback;
  };
  const addPod = (podSpec: unknown, count: number): void => {
    for (const c of arr(at(podSpec, 'containers'))) {
      usage.requestsCpu +=
        count * quantity(at(c, 'resources', 'requests', 'cpu') ?? at(limitRange, 'defaultRequest', 'cpu'));
      usage.requestsMemory +=
        count *
        quantity(at(c, 'resources', 'requests', 'memory') ?? at(limitRange, 'defaultRequest', 'memory'));
      usage.limitsMemory +=
        count * quantity(at(c, 'resources', 'limits', 'memory') ?? at(limitRange, 'default', 'memory'));
    }
    usage.pods += count;
  };
  for (const d of docs) {
    if (d.kind === 'Deployment') {
      const max = maxOf(String(d.metadata.name), Number(at(d.spec, 'replicas') ?? 1));
      addPod(at(d.spec, 'template', 'spec'), max + Math.ceil(max * 0.25));
    }
    if (d.kind === 'Job') addPod(at(d.spec, 'template', 'spec'), Number(at(d.spec, 'parallelism') ?? 1));
  }
  return usage;
}

// ---------------------------------------------------------------------------------------------

describe('argocd/ manifests', () => {
  it('every YAML file under argocd/ parses', () => {
    expect(yamlFiles.length).toBeGreaterThan(10);
    for (const file of yamlFiles) {
      for (const doc of parseAllDocuments(readFileSync(join(ARGOCD_DIR, file), 'utf8'), { version: '1.1' })) {
        expect(
          doc.errors.map((e) => e.message),
          file,
        ).toEqual([]);
      }
    }
  });

  it('the root app and everything it applies pass kubeconform strict (Argo CD CRD schemas)', () => {
    const text = ['root.yaml', ...manifestFiles]
      .map((f) => `---\n${readFileSync(join(ARGOCD_DIR, f), 'utf8')}`)
      .join('\n');
    const result = kubeconform(text);
    expect(result.failures, JSON.stringify(result.failures, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
    const kinds = new Set(parseManifests(text).map((d) => d.kind));
    expect([...kinds].sort()).toEqual(['AppProject', 'Application', 'ApplicationSet', 'Namespace']);
    expect(result.summary.valid).toBe(parseManifests(text).length);
  });

  it('the root app applies exactly projects/, platform/ and applicationsets/, in sync-wave order', () => {
    const root = readManifests('root.yaml')[0];
    expect(root?.kind).toBe('Application');
    const source = obj(at(root, 'spec', 'source'));
    expect([source.repoURL, source.path, at(source, 'directory', 'recurse')]).toEqual([
      REPO_URL,
      'argocd',
      true,
    ]);
    expect(at(root, 'spec', 'project')).toBe('platform');
    // Argo CD's directory include: a glob, {a,b} alternatives, matched against paths under argocd/.
    const include = String(at(source, 'directory', 'include'));
    const alternatives = /^\{(.*)\}$/.exec(include)?.[1]?.split(',') ?? [include];
    const included = walk(ARGOCD_DIR).filter((f) => alternatives.some((p) => globMatch(p, f, true)));
    expect(included).toEqual(manifestFiles);

    const docs = manifestFiles.flatMap((f) => readManifests(f).map((d) => ({ file: f, doc: d })));
    const waveOf = (pred: (f: string, d: KubernetesManifest) => boolean): number[] => [
      ...new Set(docs.filter(({ file, doc }) => pred(file, doc)).map(({ doc }) => wave(doc))),
    ];
    const projects = waveOf((_f, d) => d.kind === 'AppProject');
    const namespaces = waveOf((_f, d) => d.kind === 'Namespace');
    // Platform applications: the upstream charts (with their CRDs), then this repository's platform
    // charts (charts/fleetwatch-monitoring), which need those CRDs.
    const isPlatformApp = (f: string, d: KubernetesManifest): boolean =>
      f.startsWith('platform/') && d.kind === 'Application';
    const platformApps = waveOf(
      (f, d) => isPlatformApp(f, d) && at(d, 'spec', 'source', 'chart') !== undefined,
    );
    const repositoryPlatformApps = waveOf(
      (f, d) => isPlatformApp(f, d) && at(d, 'spec', 'source', 'chart') === undefined,
    );
    const foundationSet = waveOf(
      (_f, d) => d.kind === 'ApplicationSet' && d.metadata.name === 'tenant-foundations',
    );
    const serviceSet = waveOf(
      (_f, d) => d.kind === 'ApplicationSet' && d.metadata.name === 'tenant-services',
    );
    for (const group of [projects, namespaces, platformApps, foundationSet, serviceSet])
      expect(group).toHaveLength(1);
    const order = [projects, namespaces, platformApps, foundationSet, serviceSet].map((g) => g[0] ?? NaN);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(new Set(order).size).toBe(order.length);
    // After the upstream charts' CRDs, before the tenant services (beside the tenant foundations).
    expect(repositoryPlatformApps.length).toBeGreaterThan(0);
    for (const w of repositoryPlatformApps) {
      expect(w).toBeGreaterThan(platformApps[0] ?? NaN);
      expect(w).toBeLessThan(serviceSet[0] ?? NaN);
    }
  });

  it('one repository URL everywhere (set at bootstrap)', () => {
    const files = [
      ...yamlFiles.map((f) => join(ARGOCD_DIR, f)),
      join(REPO_ROOT, 'charts/tenant/values.yaml'),
    ];
    const urls = new Set(
      files.flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/https:\/\/github\.com\/[^\s"'}]+/g)].map((m) => m[0]),
      ),
    );
    expect([...urls]).toEqual([REPO_URL]);
  });
});

describe('ApplicationSets', () => {
  const expectedProject: Record<string, string> = {
    'tenant-foundations': 'platform',
    'tenant-services': 'tenants',
  };

  it.each(Object.entries(expectedProject))(
    '%s: Go templates with missingkey=error and the fixed project %s',
    (name, projectName) => {
      const appset = applicationSet(name);
      const spec = obj(appset.spec);
      expect(spec.goTemplate).toBe(true);
      expect(spec.goTemplateOptions).toEqual(['missingkey=error']);
      // The project is a plain string: no template braces, and no templatePatch that could rewrite it.
      const project = at(spec, 'template', 'spec', 'project');
      expect(typeof project).toBe('string');
      expect(String(project)).not.toMatch(/[{}]/);
      expect(project).toBe(projectName);
      expect(spec.templatePatch).toBeUndefined();
      // Destination: the in-cluster server and tenant-<tenant>, nothing from the tenant file but the id.
      expect(at(spec, 'template', 'spec', 'destination')).toEqual({
        server: IN_CLUSTER_SERVER,
        namespace: 'tenant-{{ .tenant }}',
      });
      expect(at(spec, 'template', 'spec', 'syncPolicy', 'syncOptions')).toContain('CreateNamespace=false');
      expect(at(spec, 'syncPolicy')).toEqual({
        applicationsSync: 'create-update',
        preserveResourcesOnDeletion: true,
      });
    },
  );

  it('tenant-services: every service chart, values from the tenant file, automated sync with retry', () => {
    const spec = obj(applicationSet('tenant-services').spec);
    const matrix = arr(at(arr(spec.generators)[0], 'matrix', 'generators'));
    expect(at(matrix[0], 'git', 'files')).toEqual([{ path: 'argocd/tenants/*.yaml' }]);
    expect(arr(at(matrix[1], 'list', 'elements')).map((e) => at(e, 'service'))).toEqual([...SERVICES]);
    for (const service of SERVICES)
      expect(existsSync(join(REPO_ROOT, 'charts', service, 'Chart.yaml')), service).toBe(true);
    const syncPolicy = obj(at(spec, 'template', 'spec', 'syncPolicy'));
    expect(syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(Number(at(syncPolicy, 'retry', 'limit'))).toBeGreaterThan(0);
    expect(String(at(syncPolicy, 'retry', 'backoff', 'duration'))).toMatch(/^[0-9]+[smh]$/);
    expect(at(syncPolicy, 'retry', 'backoff', 'factor')).toBe(2);
  });
});

describe('AppProjects', () => {
  it('tenants: tenant namespaces only, no cluster resources, guardrail kinds blacklisted', () => {
    const spec = project('tenants');
    expect(arr(spec.clusterResourceWhitelist)).toEqual([]);
    expect(spec.clusterResourceBlacklist).toBeUndefined();
    expect(spec.destinations).toEqual([{ server: IN_CLUSTER_SERVER, namespace: 'tenant-*' }]);
    expect(spec.sourceRepos).toEqual([REPO_URL]);
    expect(arr(spec.sourceNamespaces)).toEqual([]);
    expect(spec.roles).toBeUndefined();
    const blacklist = groupKinds(spec.namespaceResourceBlacklist);
    const whitelist = groupKinds(spec.namespaceResourceWhitelist);
    for (const g of GUARDRAIL_KINDS) {
      expect(blacklist, g.kind).toContainEqual(g);
      expect(whitelist, g.kind).not.toContainEqual(g);
    }
    expect(whitelist.filter((g) => g.group === '*' || g.kind === '*')).toEqual([]);
    expect(whitelist.map((g) => g.kind)).not.toContain('Secret');
  });

  it("tenants and each tenant's own project (charts/tenant) allow and refuse the same kinds", () => {
    const chartValues = parse(readFileSync(join(REPO_ROOT, 'charts/tenant/values.yaml'), 'utf8')) as Obj;
    const spec = project('tenants');
    expect(groupKinds(at(chartValues, 'argocd', 'namespaceResourceWhitelist'))).toEqual(
      groupKinds(spec.namespaceResourceWhitelist),
    );
    expect(groupKinds(at(chartValues, 'argocd', 'namespaceResourceBlacklist'))).toEqual(
      groupKinds(spec.namespaceResourceBlacklist),
    );
  });

  it('platform: the platform namespaces and tenant-* only, an explicit list of cluster-scoped kinds', () => {
    const spec = project('platform');
    const destinations = arr(spec.destinations).map((d) => [at(d, 'server'), at(d, 'namespace')]);
    expect(destinations.every(([server]) => server === IN_CLUSTER_SERVER)).toBe(true);
    expect(destinations.map(([, ns]) => ns).sort()).toEqual(
      ['argocd', 'keda', 'kube-system', 'logging', 'monitoring', 'observability', 'tenant-*'].sort(),
    );
    const cluster = groupKinds(spec.clusterResourceWhitelist);
    expect(cluster.filter((g) => g.group === '*' || g.kind === '*')).toEqual([]);
    expect(cluster).toContainEqual({ group: '', kind: 'Namespace' });
    expect(
      arr(spec.sourceRepos)
        .map(String)
        .filter((r) => r.includes('*')),
    ).toEqual([]);
  });
});

describe('platform applications', () => {
  const apps = manifestFiles
    .filter((f) => f.startsWith('platform/'))
    .flatMap((f) => readManifests(f))
    .filter((d) => d.kind === 'Application');
  const namespaces = manifestFiles.flatMap((f) => readManifests(f)).filter((d) => d.kind === 'Namespace');

  const upstreamApps = apps.filter((a) => at(a, 'spec', 'source', 'chart') !== undefined);
  const repositoryApps = apps.filter((a) => at(a, 'spec', 'source', 'chart') === undefined);

  it('are the six upstream platform charts and the platform charts of this repository', () => {
    expect(upstreamApps.map((a) => at(a, 'spec', 'source', 'chart')).sort()).toEqual(
      [
        'aws-load-balancer-controller',
        'fluent-bit',
        'keda',
        'kube-prometheus-stack',
        'opensearch',
        'opentelemetry-collector',
      ].sort(),
    );
    expect(repositoryApps.map((a) => at(a, 'spec', 'source', 'path'))).toEqual([
      'charts/fleetwatch-monitoring',
    ]);
  });

  it.each(apps.map((a) => [String(a.metadata.name), a] as const))(
    '%s pins its chart version (or follows this repository) and stays in project platform',
    (_name, app) => {
      const source = obj(at(app, 'spec', 'source'));
      if (source.chart === undefined) {
        // A chart of this repository, at the branch the root app follows.
        expect([source.repoURL, source.targetRevision]).toEqual([REPO_URL, 'main']);
        expect(existsSync(join(REPO_ROOT, String(source.path), 'Chart.yaml')), String(source.path)).toBe(
          true,
        );
      } else {
        expect(String(source.targetRevision)).toMatch(/^[0-9]+\.[0-9]+\.[0-9]+$/);
        expect(String(source.targetRevision)).not.toMatch(/[*^~xX<>=|]|HEAD|latest/);
      }
      expect(at(app, 'spec', 'project')).toBe('platform');
      expect(arr(project('platform').sourceRepos)).toContain(source.repoURL);
      const ns = String(at(app, 'spec', 'destination', 'namespace'));
      expect(at(app, 'spec', 'destination', 'server')).toBe(IN_CLUSTER_SERVER);
      expect(ns === 'kube-system' || namespaces.some((n) => n.metadata.name === ns), ns).toBe(true);
      expect(at(app, 'spec', 'syncPolicy', 'syncOptions')).toContain('CreateNamespace=false');
    },
  );

  it('kube-prometheus-stack and keda apply server-side (their CRDs are too large for client-side apply)', () => {
    for (const name of ['kube-prometheus-stack', 'keda']) {
      const app = apps.find((a) => a.metadata.name === name);
      expect(at(app, 'spec', 'syncPolicy', 'syncOptions'), name).toContain('ServerSideApply=true');
    }
  });

  it('releases are named as the service charts expect (ServiceMonitor label, collector address)', () => {
    const release = (name: string): unknown =>
      at(
        apps.find((a) => a.metadata.name === name),
        'spec',
        'source',
        'helm',
        'releaseName',
      );
    expect(release('kube-prometheus-stack')).toBe('kube-prometheus-stack');
    expect(release('opentelemetry-collector')).toBe('opentelemetry-collector');
  });
});

describe('tenant files', () => {
  it('the schema is valid JSON Schema 2020-12', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(ajv.validateSchema(schema)).toBe(true);
  });

  it.each(tenantFiles)(
    '%s validates against argocd/tenant-file.schema.json and is named after its tenant',
    (file) => {
      const data = loadTenant(file);
      expect(schemaErrors(data)).toEqual([]);
      expect(posix.basename(file)).toBe(`${data.tenant}.yaml`);
    },
  );

  it('the examples: one pool with members, two silos; unique tenants', () => {
    const tenants = tenantFiles.map(loadTenant);
    expect(new Set(tenants.map((t) => t.tenant)).size).toBe(tenants.length);
    expect(tenants.filter((t) => t.tier === 'pool').map((t) => t.tenant)).toEqual(['pool-shared']);
    expect(
      tenants
        .filter((t) => t.tier === 'silo')
        .map((t) => t.tenant)
        .sort(),
    ).toEqual(['northwind', 'oceanic']);
    expect(tenants.find((t) => t.tier === 'pool')?.members?.length).toBeGreaterThan(0);
  });

  const good = (): TenantFile => loadTenant('tenants/northwind.yaml');
  const bad: [string, (t: TenantFile) => unknown][] = [
    ['an extra field project', (t) => ({ ...t, project: 'platform' })],
    ['an extra field namespace', (t) => ({ ...t, namespace: 'kube-system' })],
    ['a bad tier', (t) => ({ ...t, tier: 'gold' })],
    ['a bad name (uppercase)', (t) => ({ ...t, tenant: 'Northwind' })],
    ['a bad name (too long)', (t) => ({ ...t, tenant: `a${'b'.repeat(40)}` })],
    ['a bad name (underscore)', (t) => ({ ...t, tenant: 'north_wind' })],
    ['the reserved name platform', (t) => ({ ...t, tenant: 'platform' })],
    ['a missing image', (t) => ({ ...t, images: { fleet: '1.0.0', performance: '1.0.0', crew: '1.0.0' } })],
    ['an image tag latest', (t) => ({ ...t, images: { ...t.images, fleet: 'latest' } })],
    [
      'an image repository in values',
      (t) => ({ ...t, values: { fleet: { image: { repository: 'evil.example.com/x' } } } }),
    ],
    ['values for an unknown service', (t) => ({ ...t, values: { billing: {} } })],
    [
      'a writer component for fleet',
      (t) => ({ ...t, values: { fleet: { components: { writer: { replicaCount: 1 } } } } }),
    ],
    ['network policy values', (t) => ({ ...t, values: { fleet: { networkPolicy: { enabled: false } } } })],
    ['a secret in config', (t) => ({ ...t, values: { crew: { config: { DB_PASSWORD: 'hunter2' } } } })],
    ['a Kubernetes system: group', (t) => ({ ...t, groups: { admin: ['system:masters'], viewer: [] } })],
    ['a silo with members', (t) => ({ ...t, members: ['someone'] })],
    ['a pool without members', (t) => ({ ...t, tier: 'pool' })],
    ['a list of tenants in one file', (t) => [t, { ...t, tenant: 'other' }]],
  ];
  it.each(SERVICES)('every key a tenant file may set for %s is accepted by its chart', (service) => {
    const resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } };
    const maximal = {
      components: {
        api: { replicaCount: 2, resources, autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 3 } },
        ...(service === 'performance'
          ? { writer: { replicaCount: 1, resources, kafkaLagScaling: { minReplicas: 1, maxReplicas: 4 } } }
          : {}),
      },
      config: { LOG_LEVEL: 'debug' },
      database: { existingSecret: 'fleetwatch-database-x' },
      kafka: { brokers: 'b-1.example.com:9096,b-2.example.com:9096' },
      ingress: { enabled: true, host: `northwind.${INGRESS_DOMAIN}` },
    };
    expect(schemaErrors({ ...good(), values: { [service]: maximal } })).toEqual([]);
    const valuesFile = join(scratch, `maximal-${service}.yaml`);
    writeFileSync(valuesFile, JSON.stringify(maximal));
    const text = helmTemplate({
      chart: `charts/${service}`,
      release: service,
      namespace: 'tenant-northwind',
      valuesFiles: ['argocd/values/environment.yaml', 'argocd/values/silo.yaml', valuesFile],
      setString: { 'image.tag': '1.0.0' },
    });
    expect(parseManifests(text).length).toBeGreaterThan(0);
  });

  it.each(bad)('rejects %s', (_name, mutate) => {
    expect(schemaErrors(good())).toEqual([]);
    expect(schemaErrors(mutate(good())).length).toBeGreaterThan(0);
  });
});

describe('generated Applications (ApplicationSets run offline over argocd/tenants)', () => {
  const tenants = tenantFiles.map(loadTenant);

  it('the simulation renders the template subset it claims, and refuses the rest', () => {
    const params = { tenant: 'x', images: { fleet: '1.0.0' }, service: 'fleet', values: { fleet: { a: 1 } } };
    expect(renderGoTemplate('tenant-{{ .tenant }}', params)).toBe('tenant-x');
    expect(renderGoTemplate('{{ index .images .service }}', params)).toBe('1.0.0');
    expect(renderGoTemplate('{{ dig "values" .service (dict) . | toYaml }}', params)).toBe('a: 1');
    expect(renderGoTemplate('{{ dig "values" "crew" (dict) . | toYaml }}', params)).toBe('{}');
    expect(renderGoTemplate('{{ dig "members" (list) . | toJson }}', params)).toBe('[]');
    expect(() => renderGoTemplate('{{ .project }}', params)).toThrow(/no entry for key "project"/);
    expect(() => renderGoTemplate('{{ if .tenant }}x{{ end }}', params)).toThrow(/not supported/);
  });

  it('tenant-foundations: one per tenant file, project platform, into tenant-<tenant>', () => {
    const apps = foundations();
    expect(apps.map((a) => a.metadata.name).sort()).toEqual(
      tenants.map((t) => `${t.tenant}-foundation`).sort(),
    );
    for (const app of apps) {
      const tenant = String(app.params.tenant);
      expect(app.spec.project).toBe('platform');
      expect(app.spec.destination).toEqual({ server: IN_CLUSTER_SERVER, namespace: tenantNamespace(tenant) });
      expect(at(app.spec, 'source', 'path')).toBe('charts/tenant');
      expect(at(app.spec, 'source', 'repoURL')).toBe(REPO_URL);
    }
  });

  it('tenant-services: one per tenant file and service, project tenants, into tenant-<tenant>', () => {
    const apps = services();
    expect(apps.map((a) => a.metadata.name).sort()).toEqual(
      tenants.flatMap((t) => SERVICES.map((s) => `${t.tenant}-${s}`)).sort(),
    );
    const tenantsProject = project('tenants');
    for (const app of apps) {
      const tenant = String(app.params.tenant);
      const service = String(app.params.service) as (typeof SERVICES)[number];
      const file = tenants.find((t) => t.tenant === tenant);
      expect(app.spec.project).toBe('tenants');
      expect(app.spec.destination).toEqual({ server: IN_CLUSTER_SERVER, namespace: `tenant-${tenant}` });
      // The destination is one the tenants project allows.
      expect(
        arr(tenantsProject.destinations).some((d) =>
          globMatch(String(at(d, 'namespace')), `tenant-${tenant}`),
        ),
      ).toBe(true);
      expect(at(app.spec, 'source', 'path')).toBe(`charts/${service}`);
      expect(at(app.spec, 'syncPolicy', 'syncOptions')).toContain('CreateNamespace=false');
      const helm = helmSource(app);
      expect(helm.parameters).toContainEqual({
        name: 'image.tag',
        value: file?.images[service],
        forceString: true,
      });
      expect(helm.valueFiles).toEqual([
        '../../argocd/values/environment.yaml',
        `../../argocd/values/${String(file?.tier)}.yaml`,
      ]);
      expect(parse(helm.values) ?? {}).toEqual(file?.values?.[service] ?? {});
    }
  });

  it.each(tenantFiles.map((f) => loadTenant(f).tenant))(
    '%s: the generated foundation renders, validates and is isolated',
    (tenant) => {
      const app = foundations().find((a) => a.params.tenant === tenant);
      if (app === undefined) throw new Error(`no foundation for ${tenant}`);
      const text = renderApplication(app);
      const result = kubeconform(text);
      expect(result.failures, JSON.stringify(result.failures, null, 2)).toEqual([]);
      expect(isolationProblems(parseManifests(text), { tenant })).toEqual([]);
    },
  );

  it.each(tenantFiles.map((f) => loadTenant(f).tenant))(
    '%s: the generated services render, validate, stay isolated with the foundation, use only allowed kinds and fit the quota',
    (tenant) => {
      const foundation = foundations().find((a) => a.params.tenant === tenant);
      if (foundation === undefined) throw new Error(`no foundation for ${tenant}`);
      const foundationDocs = parseManifests(renderApplication(foundation));
      const apps = services().filter((a) => a.params.tenant === tenant);
      const texts = apps.map(renderApplication);
      const serviceDocs = texts.flatMap((t) => parseManifests(t));

      const result = kubeconform(texts.join('\n---\n'));
      expect(result.failures, JSON.stringify(result.failures, null, 2)).toEqual([]);

      const hosts = apps.map(
        (a) => helmSource(a).parameters.find((p) => p.name === 'ingress.host')?.value ?? '',
      );
      for (const host of hosts)
        expect(
          host === `${tenant}.${INGRESS_DOMAIN}` || host.endsWith(`.${tenant}.${INGRESS_DOMAIN}`),
          host,
        ).toBe(true);
      expect(
        isolationProblems([...foundationDocs, ...serviceDocs], { tenant, allowedIngressHosts: hosts }),
      ).toEqual([]);

      // The namespace enforces Pod Security "restricted", and every pod the tenant's services run
      // passes it (the upstream admission library's checks, at the version the namespace pins).
      const namespace = foundationDocs.find((d) => d.kind === 'Namespace');
      expect(namespace?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
      const pss = pssCheck(texts.join('\n---\n'), {
        requirePods: true,
        version: namespace?.metadata.labels?.['pod-security.kubernetes.io/enforce-version'] ?? 'latest',
      });
      expect(pss.violations).toEqual([]);
      expect(pss.podSpecsChecked).toBe(9);

      const spec = project('tenants');
      const whitelist = groupKinds(spec.namespaceResourceWhitelist);
      const blacklist = groupKinds(spec.namespaceResourceBlacklist);
      for (const doc of serviceDocs) {
        const group = doc.apiVersion.includes('/') ? (doc.apiVersion.split('/')[0] ?? '') : '';
        expect(whitelist, `${doc.kind} ${doc.metadata.name}`).toContainEqual({ group, kind: doc.kind });
        expect(blacklist, `${doc.kind} ${doc.metadata.name}`).not.toContainEqual({ group, kind: doc.kind });
      }

      const quota = obj(
        at(
          foundationDocs.find((d) => d.kind === 'ResourceQuota'),
          'spec',
          'hard',
        ),
      );
      const limitRange = obj(
        arr(
          at(
            foundationDocs.find((d) => d.kind === 'LimitRange'),
            'spec',
            'limits',
          ),
        )[0],
      );
      const usage = usageAtMaximum(serviceDocs, limitRange);
      const summary = JSON.stringify(usage);
      expect(usage.pods, summary).toBeLessThanOrEqual(quantity(quota.pods));
      expect(usage.requestsCpu, summary).toBeLessThanOrEqual(quantity(quota['requests.cpu']));
      expect(usage.requestsMemory, summary).toBeLessThanOrEqual(quantity(quota['requests.memory']));
      expect(usage.limitsMemory, summary).toBeLessThanOrEqual(quantity(quota['limits.memory']));
      const maxMemory = quantity(at(limitRange, 'max', 'memory'));
      for (const doc of serviceDocs.filter((d) => d.kind === 'Deployment' || d.kind === 'Job')) {
        for (const c of arr(at(doc.spec, 'template', 'spec', 'containers'))) {
          expect(
            quantity(at(c, 'resources', 'limits', 'memory')),
            `${doc.metadata.name}`,
          ).toBeLessThanOrEqual(maxMemory);
        }
      }
    },
  );

  it('generated names never collide across tenants and layers', () => {
    const names = [...foundations(), ...services()].map((a) => a.metadata.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
