import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@fleetwatch/service-kit';
import type { TObject } from '@sinclair/typebox';
import { crewConfigSchema } from '../../services/crew/src/config.js';
import { fleetConfigSchema } from '../../services/fleet/src/config.js';
import { maintenanceConfigSchema } from '../../services/maintenance/src/config.js';
import { apiConfigSchema, writerConfigSchema } from '../../services/performance/src/config.js';
import {
  REPO_ROOT,
  helmLint,
  helmTemplate,
  kubeconform,
  kubeScore,
  parseManifests,
  pssCheck,
  type KubernetesManifest,
} from './support/tools.js';

const SERVICES = ['fleet', 'performance', 'crew', 'maintenance'] as const;
type Service = (typeof SERVICES)[number];
const TIERS = ['pool', 'silo'] as const;
type Tier = (typeof TIERS)[number];

/** The values Argo CD gives a tenant's service (argocd/applicationsets/tenant-services.yaml). */
function valuesFiles(tier: Tier): string[] {
  return ['argocd/values/environment.yaml', `argocd/values/${tier}.yaml`];
}

const HOST = { 'ingress.host': 'northwind.fleetwatch.example.com' };

function render(service: Service, tier: Tier, set: Record<string, string> = {}): string {
  return helmTemplate({
    chart: `charts/${service}`,
    release: service,
    namespace: 'tenant-northwind',
    valuesFiles: valuesFiles(tier),
    set: { ...HOST, ...set },
  });
}

const renderedCache = new Map<string, KubernetesManifest[]>();
function manifests(service: Service, tier: Tier = 'silo'): KubernetesManifest[] {
  const key = `${service}/${tier}`;
  let parsed = renderedCache.get(key);
  if (!parsed) {
    parsed = parseManifests(render(service, tier));
    renderedCache.set(key, parsed);
  }
  return parsed;
}

function ofKind(objects: KubernetesManifest[], kind: string): KubernetesManifest[] {
  return objects.filter((object) => object.kind === kind);
}

function one(objects: KubernetesManifest[], kind: string, name?: string): KubernetesManifest {
  const found = ofKind(objects, kind).filter((object) => name === undefined || object.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0] as KubernetesManifest;
}

// Minimal shapes of the fields the assertions read.
interface Probe {
  httpGet: { path: string; port: string };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
}
interface Container {
  name: string;
  image: string;
  args: string[];
  env: EnvVar[];
  envFrom: { configMapRef: { name: string } }[];
  ports: { containerPort: number }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  livenessProbe: Probe;
  readinessProbe: Probe;
  startupProbe: Probe;
  lifecycle: { preStop: { sleep: { seconds: number } } };
  securityContext: Record<string, unknown>;
}
interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken: boolean;
  terminationGracePeriodSeconds: number;
  securityContext: { seccompProfile: { type: string; localhostProfile?: string }; runAsNonRoot: boolean };
  topologySpreadConstraints: { topologyKey: string }[];
  containers: Container[];
}
interface PodTemplateOwner {
  spec: { replicas?: number; template: { spec: PodSpec; metadata: { labels: Record<string, string> } } };
}

function podSpec(object: KubernetesManifest): PodSpec {
  return (object as unknown as PodTemplateOwner).spec.template.spec;
}
function container(object: KubernetesManifest): Container {
  const [first] = podSpec(object).containers;
  if (!first) throw new Error(`${object.kind} ${object.metadata.name} has no container`);
  return first;
}

/** The environment a container gets: the ConfigMap's data and its own env (secrets by placeholder). */
function environmentOf(
  objects: KubernetesManifest[],
  deployment: KubernetesManifest,
): Record<string, string> {
  const target = container(deployment);
  const env: Record<string, string> = {};
  for (const source of target.envFrom) {
    const configMap = one(objects, 'ConfigMap', source.configMapRef.name) as unknown as {
      data: Record<string, string>;
    };
    Object.assign(env, configMap.data);
  }
  for (const variable of target.env) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.fieldRef) env[variable.name] = 'pod-name-1';
    else if (variable.name === 'DATABASE_URL')
      env[variable.name] = 'postgres://app:secret@db.internal/fleetwatch';
    else env[variable.name] = 'from-a-secret';
  }
  return env;
}

/** The node and pod subnets of deploy/terraform's VPC (VPC CNI: pods take addresses there). */
const POD_SUBNETS = ['10.0.64.0/18', '10.0.128.0/18', '10.0.192.0/18'];

function ipv4Range(cidr: string): [number, number] {
  const [address = '', bits = '32'] = cidr.split('/');
  const value = address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(value / size) * size;
  return [start, start + size - 1];
}
function overlaps(a: string, b: string): boolean {
  const [aStart, aEnd] = ipv4Range(a);
  const [bStart, bEnd] = ipv4Range(b);
  return aStart <= bEnd && bStart <= aEnd;
}
function contains(outer: string, inner: string): boolean {
  const [outerStart, outerEnd] = ipv4Range(outer);
  const [innerStart, innerEnd] = ipv4Range(inner);
  return outerStart <= innerStart && innerEnd <= outerEnd;
}

const CONFIG_SCHEMAS: Record<string, TObject> = {
  'fleet/api': fleetConfigSchema,
  'crew/api': crewConfigSchema,
  'maintenance/api': maintenanceConfigSchema,
  'performance/api': apiConfigSchema,
  'performance/writer': writerConfigSchema,
};

describe.each(SERVICES)('charts/%s', (service) => {
  it('passes helm lint --strict with the pool and the silo tier values', () => {
    for (const tier of TIERS) {
      const lint = helmLint(`charts/${service}`, valuesFiles(tier), { strict: true, set: HOST });
      expect(lint.errors, lint.stdout + lint.stderr).toEqual([]);
      expect(lint.ok, lint.stdout + lint.stderr).toBe(true);
    }
  });

  it.each(TIERS)('renders for the %s tier objects valid against Kubernetes 1.33 and the CRDs', (tier) => {
    const result = kubeconform(render(service, tier));
    expect(result.failures).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.summary.valid).toBeGreaterThanOrEqual(10);
  });

  it('has no kube-score findings (object-level ignores carry their reasons in the template)', () => {
    const result = kubeScore(render(service, 'silo'));
    expect(result.findings.map((f) => `${f.kind}/${f.name} ${f.check}: ${f.summary}`)).toEqual([]);
  });

  it('runs every pod under Pod Security "restricted", also with the Localhost seccomp profile', () => {
    const variants: Record<string, string>[] = [{}, { 'seccompProfile.type': 'Localhost' }];
    for (const set of variants) {
      const result = pssCheck(render(service, 'silo', set), { requirePods: true });
      expect(result.violations).toEqual([]);
      expect(result.ok).toBe(true);
    }
  });

  it('gives every process an environment its service accepts, without unknown variables', () => {
    const objects = manifests(service);
    const deployments = ofKind(objects, 'Deployment');
    expect(deployments.length).toBeGreaterThan(0);
    for (const deployment of deployments) {
      const component = container(deployment).name;
      const schema = CONFIG_SCHEMAS[`${service}/${component}`];
      if (!schema) throw new Error(`no config schema known for ${service}/${component}`);
      const env = environmentOf(objects, deployment);
      expect(Object.keys(env).filter((name) => !(name in schema.properties))).toEqual([]);
      // The service's own validation (defaults, types, production rules) accepts it.
      expect(() => loadConfig(schema, env)).not.toThrow();
    }
  });
});

describe('service chart contents', () => {
  it('probes /healthz and /readyz, and gives the drain time a longer grace period', () => {
    for (const service of SERVICES) {
      const objects = manifests(service);
      for (const deployment of ofKind(objects, 'Deployment')) {
        const spec = podSpec(deployment);
        const main = container(deployment);
        expect(main.livenessProbe.httpGet.path).toBe('/healthz');
        expect(main.startupProbe.httpGet.path).toBe('/healthz');
        expect(main.readinessProbe.httpGet.path).toBe('/readyz');
        const drainSeconds = Number(environmentOf(objects, deployment).SHUTDOWN_TIMEOUT_MS) / 1000;
        const preStop = main.lifecycle.preStop.sleep.seconds;
        expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(drainSeconds + preStop);
      }
    }
  });

  it('hardens every pod: non-root, read-only root, no escalation, no capabilities, no token', () => {
    for (const service of SERVICES) {
      const pods = manifests(service).filter((o) => o.kind === 'Deployment' || o.kind === 'Job');
      expect(pods.length).toBeGreaterThanOrEqual(2);
      for (const pod of pods) {
        const spec = podSpec(pod);
        expect(spec.automountServiceAccountToken).toBe(false);
        expect(spec.securityContext.runAsNonRoot).toBe(true);
        expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
        expect(container(pod).securityContext).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          privileged: false,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
  });

  it('selects the seccomp profile shipped in deploy/seccomp/ when asked for Localhost', () => {
    const objects = parseManifests(render('fleet', 'silo', { 'seccompProfile.type': 'Localhost' }));
    const profile = podSpec(one(objects, 'Deployment')).securityContext.seccompProfile;
    expect(profile.type).toBe('Localhost');
    // The kubelet resolves localhostProfile under its seccomp root (/var/lib/kubelet/seccomp).
    const shipped = (profile.localhostProfile ?? '').replace(/^fleetwatch\//, '');
    expect(existsSync(join(REPO_ROOT, 'deploy', 'seccomp', shipped))).toBe(true);
  });

  it('puts the IRSA role on the ServiceAccount and keeps its token unmounted', () => {
    const role = 'arn:aws:iam::123456789012:role/fleetwatch-fleet';
    const objects = parseManifests(
      render('fleet', 'silo', { 'serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn': role }),
    );
    const account = one(objects, 'ServiceAccount') as unknown as {
      metadata: { name: string; annotations: Record<string, string> };
      automountServiceAccountToken: boolean;
    };
    expect(account.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(role);
    expect(account.automountServiceAccountToken).toBe(false);
    expect(podSpec(one(objects, 'Deployment')).serviceAccountName).toBe(account.metadata.name);
  });

  it('scales the APIs on CPU and the performance writer on Kafka lag (KEDA), never both', () => {
    const performance = manifests('performance');
    const hpas = ofKind(performance, 'HorizontalPodAutoscaler') as unknown as {
      spec: { scaleTargetRef: { name: string } };
    }[];
    expect(hpas.map((hpa) => hpa.spec.scaleTargetRef.name)).toEqual(['performance-api']);
    const scaled = one(performance, 'ScaledObject') as unknown as {
      spec: {
        scaleTargetRef: { name: string };
        maxReplicaCount: number;
        triggers: { type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }[];
      };
    };
    expect(scaled.spec.scaleTargetRef.name).toBe('performance-writer');
    const [trigger] = scaled.spec.triggers;
    expect(trigger?.type).toBe('kafka');
    expect(trigger?.metadata).toMatchObject({
      consumerGroup: 'performance-writer',
      topic: 'telemetry.points.v1',
      sasl: 'scram_sha_512',
      tls: 'enable',
    });
    // No more consumers than partitions (TELEMETRY_TOPIC_PARTITIONS defaults to 12).
    expect(scaled.spec.maxReplicaCount).toBeLessThanOrEqual(12);
    expect(trigger?.authenticationRef?.name).toBe(one(performance, 'TriggerAuthentication').metadata.name);
    // The HPA (or KEDA) owns the replica count.
    for (const deployment of ofKind(performance, 'Deployment')) {
      expect((deployment as unknown as PodTemplateOwner).spec.replicas).toBeUndefined();
    }
    for (const service of SERVICES) {
      expect(ofKind(manifests(service), 'PodDisruptionBudget').length).toBe(
        ofKind(manifests(service), 'Deployment').length,
      );
    }
  });

  it('spreads replicas over zones and nodes', () => {
    for (const deployment of ofKind(manifests('crew'), 'Deployment')) {
      expect(podSpec(deployment).topologySpreadConstraints.map((c) => c.topologyKey)).toEqual([
        'topology.kubernetes.io/zone',
        'kubernetes.io/hostname',
      ]);
    }
  });

  it('allows ingress only from Prometheus and the load balancer, egress only to DNS, PostgreSQL, Kafka, the collector and the identity provider', () => {
    interface Peer {
      namespaceSelector?: { matchLabels: Record<string, string> };
      podSelector?: { matchLabels: Record<string, string> };
      ipBlock?: { cidr: string };
    }
    interface Rule {
      from?: Peer[];
      to?: Peer[];
      ports: { port: number | string; protocol: string }[];
    }
    const policies = ofKind(manifests('performance'), 'NetworkPolicy') as unknown as {
      metadata: { name: string; annotations?: Record<string, string> };
      spec: { policyTypes: string[]; ingress?: Rule[]; egress: Rule[] };
    }[];
    const api = policies.find((policy) => policy.metadata.name === 'performance-api');
    const writer = policies.find((policy) => policy.metadata.name === 'performance-writer');
    if (!api || !writer) throw new Error('missing NetworkPolicies');
    const describePeers = (rule: Rule): string =>
      (rule.from ?? rule.to ?? [])
        .map((peer) =>
          peer.ipBlock
            ? `cidr ${peer.ipBlock.cidr}`
            : `ns ${peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] ?? '?'}`,
        )
        .join(',') +
      ' ' +
      rule.ports.map((port) => `${port.protocol}/${port.port}`).join(',');
    expect(api.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(api.spec.ingress?.map(describePeers)).toEqual([
      'ns monitoring TCP/http',
      'cidr 10.0.0.0/22,cidr 10.0.4.0/22,cidr 10.0.8.0/22 TCP/http',
    ]);
    // The writer is not behind the load balancer.
    expect(writer.spec.ingress?.map(describePeers)).toEqual(['ns monitoring TCP/http']);
    for (const policy of [api, writer]) {
      expect(policy.spec.egress.map(describePeers)).toEqual([
        'ns kube-system UDP/53,TCP/53',
        'cidr 10.0.16.0/22,cidr 10.0.20.0/22,cidr 10.0.24.0/22 TCP/5432',
        'cidr 10.0.16.0/22,cidr 10.0.20.0/22,cidr 10.0.24.0/22 TCP/9096',
        'ns observability TCP/4317,TCP/4318',
        'cidr 0.0.0.0/0 TCP/443',
      ]);
    }
    // The migration hook's own policy: DNS and PostgreSQL only, created before the Job.
    const migrate = policies.find((policy) => policy.metadata.name === 'performance-migrate');
    expect(migrate?.spec.egress.map(describePeers)).toEqual([
      'ns kube-system UDP/53,TCP/53',
      'cidr 10.0.16.0/22,cidr 10.0.20.0/22,cidr 10.0.24.0/22 TCP/5432',
    ]);
    expect(migrate?.metadata.annotations?.['helm.sh/hook-weight']).toBe('-10');
  });

  it("never lets an ipBlock reach the node and pod subnets, where other tenants' pods live", () => {
    interface IpBlock {
      cidr: string;
      except?: string[];
    }
    const blocks: IpBlock[] = [];
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (typeof value === 'object' && value !== null) {
        for (const [key, inner] of Object.entries(value)) {
          if (key === 'ipBlock') blocks.push(inner as IpBlock);
          else collect(inner);
        }
      }
    };
    for (const service of SERVICES) collect(ofKind(manifests(service), 'NetworkPolicy'));
    expect(blocks.length).toBeGreaterThan(0);
    for (const podSubnet of POD_SUBNETS) {
      for (const block of blocks) {
        const reaches =
          overlaps(block.cidr, podSubnet) && !(block.except ?? []).some((e) => contains(e, podSubnet));
        expect(reaches, `${JSON.stringify(block)} reaches ${podSubnet}`).toBe(false);
      }
    }
  });

  it('labels the ServiceMonitors and the PrometheusRule with the configured release', () => {
    const objects = parseManifests(
      render('crew', 'silo', {
        'metrics.serviceMonitor.release': 'prom-stack',
        // Off in this platform (charts/fleetwatch-monitoring carries the alerts); on for this check.
        'metrics.prometheusRule.enabled': 'true',
        'metrics.prometheusRule.release': 'prom-stack',
      }),
    );
    for (const kind of ['ServiceMonitor', 'PrometheusRule']) {
      const [object] = ofKind(objects, kind);
      expect(object?.metadata.labels?.release).toBe('prom-stack');
    }
    const monitor = one(objects, 'ServiceMonitor') as unknown as {
      spec: { endpoints: { path: string; port: string }[] };
    };
    expect(monitor.spec.endpoints).toMatchObject([{ path: '/metrics', port: 'http' }]);
    const rule = one(objects, 'PrometheusRule') as unknown as {
      spec: { groups: { rules: { alert: string; expr: string }[] }[] };
    };
    const alerts = rule.spec.groups.flatMap((group) => group.rules);
    expect(alerts.map((alert) => alert.alert)).toContain('FleetwatchTargetDown');
    expect(alerts.find((alert) => alert.alert === 'FleetwatchTargetDown')?.expr).toContain('job="crew-api"');
  });

  it('runs the migrations as a pre-install/pre-upgrade hook with the schema owner credentials', () => {
    for (const service of SERVICES) {
      const job = one(manifests(service), 'Job') as unknown as KubernetesManifest & PodTemplateOwner;
      expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      const migrate = container(job);
      expect(migrate.args).toEqual([
        'node_modules/@fleetwatch/db/dist/migrate-cli.js',
        '--schema',
        service,
        '--dir',
        'migrations',
      ]);
      expect(migrate.env.map((variable) => variable.name)).toEqual(['DATABASE_ADMIN_URL']);
      expect(existsSync(join(REPO_ROOT, 'services', service, 'migrations'))).toBe(true);
    }
  });

  it('routes /v1/<service> on the tenant host through the shared ALB to the API only', () => {
    for (const service of SERVICES) {
      const ingress = one(manifests(service), 'Ingress') as unknown as KubernetesManifest & {
        spec: {
          ingressClassName: string;
          rules: {
            host: string;
            http: { paths: { path: string; backend: { service: { name: string } } }[] };
          }[];
        };
      };
      expect(ingress.spec.ingressClassName).toBe('alb');
      expect(ingress.metadata.annotations?.['alb.ingress.kubernetes.io/group.name']).toBe('fleetwatch');
      expect(ingress.metadata.annotations?.['alb.ingress.kubernetes.io/target-type']).toBe('ip');
      expect(ingress.spec.rules).toEqual([
        {
          host: 'northwind.fleetwatch.example.com',
          http: {
            paths: [
              {
                path: `/v1/${service}`,
                pathType: 'Prefix',
                backend: { service: { name: `${service}-api`, port: { name: 'http' } } },
              },
            ],
          },
        },
      ]);
    }
  });

  it('pins the image by digest when one is given', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const objects = parseManifests(
      render('maintenance', 'pool', { 'image.tag': '1.4.2', 'image.digest': digest }),
    );
    for (const pod of objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job')) {
      expect(container(pod).image).toBe(
        `123456789012.dkr.ecr.eu-west-1.amazonaws.com/fleetwatch/maintenance:1.4.2@${digest}`,
      );
    }
  });
});

describe('values.schema.json refuses what would break a deployment', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['a privileged port', { 'components.api.port': '80' }, /port/],
    ['a secret in the plain config', { 'config.DATABASE_URL': 'postgres://u:p@h/d' }, /config/],
    ['an unconfined seccomp profile', { 'seccompProfile.type': 'Unconfined' }, /seccompProfile/],
    ['a malformed digest', { 'image.digest': 'sha256:123' }, /digest/],
    ['an unknown top-level key', { hostNetwork: 'true' }, /hostNetwork|additional/i],
    ['SASL without its secret', { 'kafka.sasl.existingSecret': '' }, /existingSecret|sasl/],
    ['a JWKS URL over plain HTTP', { 'auth.jwksUrl': 'http://login.example/jwks.json' }, /jwksUrl/],
    ['a container without a CPU limit', { 'components.api.resources.limits.cpu': 'null' }, /cpu/],
  ];
  it.each(cases)('%s', (_name, set, message) => {
    expect(() => render('fleet', 'silo', set)).toThrow(message);
  });
});

describe('the checks fail on a deliberately broken manifest', () => {
  function brokenDeployment(): string {
    const objects = manifests('fleet');
    const deployment = structuredClone(one(objects, 'Deployment')) as unknown as PodTemplateOwner & {
      spec: { template: { spec: PodSpec & Record<string, unknown> } };
    };
    const spec = deployment.spec.template.spec;
    spec.hostNetwork = true;
    spec.securityContext = { runAsNonRoot: false } as PodSpec['securityContext'];
    const [main] = spec.containers;
    if (!main) throw new Error('no container');
    main.securityContext = { privileged: true, allowPrivilegeEscalation: true };
    delete (main as Partial<Container>).resources;
    delete (main as Partial<Container>).readinessProbe;
    (main as unknown as Record<string, unknown>).imagePullPolicyy = 'Always';
    return JSON.stringify(deployment);
  }

  it('kubeconform rejects the unknown field', () => {
    const result = kubeconform(brokenDeployment());
    expect(result.valid).toBe(false);
    expect(result.failures.flatMap((f) => f.errors.map((e) => e.msg)).join('\n')).toMatch(/imagePullPolicyy/);
  });

  it('Pod Security "restricted" rejects the privileged, host-network, root-capable pod', () => {
    const result = pssCheck(brokenDeployment());
    expect(result.ok).toBe(false);
    const reasons = result.violations.map((v) => v.reason).join('\n');
    expect(reasons).toMatch(/host namespaces/);
    expect(reasons).toMatch(/privileged/);
    expect(reasons).toMatch(/allowPrivilegeEscalation/);
  });

  it('kube-score reports the missing resources and readiness probe', () => {
    // kube-score judges probes of pods a Service sends traffic to: give it the chart's Service too.
    const service = JSON.stringify(one(manifests('fleet'), 'Service'));
    const checks = kubeScore(`${brokenDeployment()}\n---\n${service}`).findings.map((f) => f.check);
    expect(checks).toContain('container-resources');
    expect(checks).toContain('pod-probes');
  });
});
