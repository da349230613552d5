/**
 * The validation tools themselves: each one must be able to fail and to pass, or the chart tests
 * built on them prove nothing. Small inline manifests, no charts of the repository.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  TOOLS_BIN,
  helmLint,
  helmTemplate,
  kubeScore,
  kubeconform,
  parseManifests,
  promtool,
  pssCheck,
  run,
} from './support/tools.js';

const deployment = (spec: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: fleet
spec:
${spec}
`;

const validDeployment = deployment(`
  replicas: 1
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: registry.example.com/fleetwatch/api:1.2.3
          ports: [{name: http, containerPort: 8080}]
`);

/** A Deployment with its Service, PodDisruptionBudget and NetworkPolicy, done by the book. */
const hardened = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: fleet
  labels: {app.kubernetes.io/name: api}
spec:
  replicas: 2
  selector:
    matchLabels: {app.kubernetes.io/name: api}
  strategy: {type: RollingUpdate}
  template:
    metadata:
      labels: {app.kubernetes.io/name: api}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
        seccompProfile: {type: RuntimeDefault}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels: {app.kubernetes.io/name: api}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels: {app.kubernetes.io/name: api}
      containers:
        - name: api
          image: registry.example.com/fleetwatch/api:1.2.3
          imagePullPolicy: Always
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: http}, periodSeconds: 5}
          livenessProbe: {httpGet: {path: /health, port: http}, periodSeconds: 10, failureThreshold: 6}
          resources:
            requests: {cpu: 250m, memory: 256Mi, ephemeral-storage: 100Mi}
            limits: {cpu: 250m, memory: 256Mi, ephemeral-storage: 100Mi}
          securityContext:
            runAsNonRoot: true
            runAsUser: 10001
            runAsGroup: 10001
            allowPrivilegeEscalation: false
            privileged: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: fleet}
spec:
  selector: {app.kubernetes.io/name: api}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: fleet}
spec:
  minAvailable: 1
  selector:
    matchLabels: {app.kubernetes.io/name: api}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: fleet}
spec:
  podSelector:
    matchLabels: {app.kubernetes.io/name: api}
  policyTypes: [Ingress, Egress]
  ingress: [{ports: [{port: 8080}]}]
  egress: [{}]
`;

const serviceMonitor = (endpoint: string, metadata = 'labels: {release: prometheus}'): string => `
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: api
  namespace: fleet
  ${metadata}
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: api}
  endpoints:
    - ${endpoint}
`;

describe('the installed tools', () => {
  it.each([
    ['helm', ['version', '--short'], /^v3\.21\.4/],
    ['kubeconform', ['-v'], /^v0\.7\.0/],
    ['kube-score', ['version'], /1\.20\.0/],
    ['promtool', ['--version'], /^promtool, version 2\.42\.0\+ds .*2\.42\.0\+ds-5\+deb12u1/],
  ])('%s reports its pinned version', (tool, args, version) => {
    const result = run(join(TOOLS_BIN, tool), args);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(version);
  });
});

describe('parseManifests', () => {
  it('returns the objects, skipping empty and comment-only documents, as YAML 1.1', () => {
    const manifests = parseManifests(`---
# Source: chart/templates/empty.yaml
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
data: {mode: "on"}
binaryData: {}
---

---
apiVersion: v1
kind: ConfigMap
metadata: {name: b}
immutable: yes
`);
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name ?? ''}`)).toEqual([
      'ConfigMap/a',
      'ConfigMap/b',
    ]);
    expect(manifests[1]?.immutable).toBe(true);
  });

  it('throws on invalid YAML and on documents that are not objects', () => {
    expect(() => parseManifests('a: [1, 2\n')).toThrow(/invalid YAML/);
    expect(() => parseManifests('- 1\n- 2\n')).toThrow(/not a Kubernetes object/);
  });
});

describe('kubeconform (Kubernetes 1.33 strict schemas, offline)', () => {
  it('accepts a valid Deployment and the hardened set', () => {
    const result = kubeconform(`${validDeployment}---\n${hardened}`);
    expect(result.failures).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.summary).toEqual({ valid: 5, invalid: 0, errors: 0, skipped: 0 });
  });

  it('rejects an unknown field and a wrong type in a Deployment', () => {
    const result = kubeconform(
      deployment(`
  replicas: "two"
  bogus: 1
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: api:1
          imagePullPolicyy: Always
`),
    );
    expect(result.valid).toBe(false);
    expect(result.code).toBe(1);
    expect(result.summary.invalid).toBe(1);
    expect(result.failures).toHaveLength(1);
    const [failure] = result.failures;
    expect(failure).toMatchObject({ kind: 'Deployment', name: 'api', status: 'statusInvalid' });
    const errors = failure?.errors.map((e) => `${e.path}: ${e.msg}`) ?? [];
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/spec: .*'bogus' not allowed/),
        expect.stringMatching(/^\/spec\/replicas: .*got string, want .*integer/),
        expect.stringMatching(/^\/spec\/template\/spec\/containers\/0: .*'imagePullPolicyy' not allowed/),
      ]),
    );
  });

  it('rejects a missing required field and an unknown top-level field', () => {
    const result = kubeconform(`
apiVersion: v1
kind: Service
metadata: {name: api}
sepc: {}
---
apiVersion: v1
kind: Service
metadata: {name: api2}
spec:
  ports: [{targetPort: 8080}]
`);
    expect(result.summary.invalid).toBe(2);
    const messages = result.failures.flatMap((f) => f.errors.map((e) => `${f.name} ${e.path}: ${e.msg}`));
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^api : .*'sepc' not allowed/),
        expect.stringMatching(/^api2 \/spec\/ports\/0: missing propert.*port/),
      ]),
    );
  });

  it('fails a kind it has no schema for, unless told to ignore missing schemas', () => {
    const unknownKind = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n';
    const strict = kubeconform(unknownKind);
    expect(strict.valid).toBe(false);
    expect(strict.failures[0]).toMatchObject({ kind: 'Widget', status: 'statusError' });
    expect(strict.failures[0]?.msg).toMatch(/could not find schema/);
    const lenient = kubeconform(unknownKind, { ignoreMissingSchemas: true });
    expect(lenient.valid).toBe(true);
    expect(lenient.summary.skipped).toBe(1);
  });

  it('reports YAML it cannot parse as an error', () => {
    const result = kubeconform('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n');
    expect(result.valid).toBe(false);
    expect(result.summary.errors).toBe(1);
  });

  it('validates a ServiceMonitor against its CRD: bad fields rejected, a good one accepted', () => {
    const good = kubeconform(serviceMonitor('{port: http, path: /metrics, interval: 30s}'));
    expect(good.failures).toEqual([]);
    expect(good.summary.valid).toBe(1);

    const bad = kubeconform(serviceMonitor('{port: http, pathh: /metrics, interval: 30}', 'label: {a: b}'));
    expect(bad.summary.invalid).toBe(1);
    const errors = bad.failures[0]?.errors.map((e) => `${e.path}: ${e.msg}`) ?? [];
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/spec\/endpoints\/0: .*'pathh' not allowed/),
        expect.stringMatching(/^\/spec\/endpoints\/0\/interval: got number, want string/),
        // The CRD leaves metadata open; the converter gives it Kubernetes' strict ObjectMeta.
        expect.stringMatching(/^\/metadata: .*'label' not allowed/),
      ]),
    );
  });

  it('accepts an Argo CD Application (including free-form Helm valuesObject) and AppProject', () => {
    const result = kubeconform(`
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: fleetwatch
  namespace: argocd
  finalizers: [resources-finalizer.argocd.argoproj.io]
spec:
  project: fleetwatch
  source:
    repoURL: https://git.example.com/fleetwatch.git
    path: charts/fleetwatch
    targetRevision: main
    helm:
      valueFiles: [values.yaml, values-prod.yaml]
      valuesObject:
        anything: {goes: [here]}
  destination:
    server: https://kubernetes.default.svc
    namespace: fleetwatch
  syncPolicy:
    automated: {prune: true, selfHeal: true}
    syncOptions: [CreateNamespace=true, ServerSideApply=true]
---
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: fleetwatch, namespace: argocd}
spec:
  sourceRepos: [https://git.example.com/fleetwatch.git]
  destinations: [{server: https://kubernetes.default.svc, namespace: 'fleetwatch*'}]
  clusterResourceWhitelist: [{group: '', kind: Namespace}]
`);
    expect(result.failures).toEqual([]);
    expect(result.summary.valid).toBe(2);
  });

  it('rejects an Argo CD Application with a misspelt field', () => {
    const result = kubeconform(`
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: fleetwatch, namespace: argocd}
spec:
  project: default
  source: {repoURL: https://git.example.com/fleetwatch.git, path: charts/x, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: fleetwatch}
  syncPolicy: {automatic: {prune: true}}
`);
    expect(result.summary.invalid).toBe(1);
    expect(result.failures[0]?.errors.map((e) => e.msg).join('\n')).toMatch(/'automatic' not allowed/);
  });

  it('accepts a KEDA ScaledObject and rejects one with an unknown field', () => {
    const scaledObject = (extra: string): string => `
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: ingest, namespace: fleet}
spec:
  scaleTargetRef: {name: ingest}
  minReplicaCount: 2
  maxReplicaCount: 10
${extra}
  triggers:
    - type: kafka
      metadata: {bootstrapServers: "kafka:9092", consumerGroup: ingest, topic: positions, lagThreshold: "100"}
`;
    const good = kubeconform(scaledObject(''));
    expect(good.failures).toEqual([]);
    expect(good.summary.valid).toBe(1);
    const bad = kubeconform(scaledObject('  maxReplicas: 10'));
    expect(bad.summary.invalid).toBe(1);
    expect(bad.failures[0]?.errors.map((e) => e.msg).join('\n')).toMatch(/'maxReplicas' not allowed/);
  });
});

describe('kube-score', () => {
  it('reports a Deployment without resources or probes', () => {
    const result = kubeScore(`${validDeployment}---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: fleet}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: http}]
`);
    expect(result.code).toBe(1);
    const checks = new Set(result.critical.map((f) => f.check));
    expect(checks).toContain('container-resources');
    expect(checks).toContain('pod-probes');
    expect(checks).toContain('container-security-context-user-group-id');
    expect(result.critical.find((f) => f.check === 'container-resources')).toMatchObject({
      kind: 'Deployment',
      name: 'api',
      namespace: 'fleet',
      path: 'api',
      summary: 'CPU limit is not set',
    });
  });

  it('can be told to ignore checks', () => {
    const result = kubeScore(validDeployment, {
      ignoreTests: ['container-resources', 'container-security-context-user-group-id'],
    });
    const checks = result.findings.map((f) => f.check);
    expect(checks).not.toContain('container-resources');
    expect(checks).not.toContain('container-security-context-user-group-id');
    expect(checks.length).toBeGreaterThan(0); // the rest still run
  });

  it('is quiet for a hardened Deployment with its Service, PodDisruptionBudget and NetworkPolicy', () => {
    const result = kubeScore(hardened, { enableOptionalTests: ['container-seccomp-profile'] });
    expect(result.findings).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('throws when it cannot read the manifests', () => {
    expect(() => kubeScore(deployment('  replicas: "two"'))).toThrow(/kube-score failed/);
  });
});

describe('pss-check (Pod Security Admission, restricted, latest)', () => {
  it('rejects a privileged pod running as root without seccomp', () => {
    const result = pssCheck(`
apiVersion: v1
kind: Pod
metadata: {name: root, namespace: fleet}
spec:
  hostNetwork: true
  containers:
    - name: c
      image: busybox:1.36
      securityContext: {privileged: true, runAsUser: 0}
`);
    expect(result.ok).toBe(false);
    expect(result.code).toBe(1);
    expect(result.podSpecsChecked).toBe(1);
    const reasons = result.violations.map((v) => v.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'host namespaces',
        'privileged',
        'runAsNonRoot != true',
        'runAsUser=0',
        'seccompProfile',
        'allowPrivilegeEscalation != false',
        'unrestricted capabilities',
      ]),
    );
    expect(result.violations[0]).toMatchObject({ kind: 'Pod', namespace: 'fleet', name: 'root' });
    expect(result.violations.find((v) => v.reason === 'privileged')?.detail).toMatch(/container "c"/);
  });

  it('checks the pod templates of workloads, CronJobs included', () => {
    const result = pssCheck(`${validDeployment}---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: fleet}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
          containers:
            - name: job
              image: job:1
              securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_ADMIN]}}
`);
    expect(result.podSpecsChecked).toBe(2);
    expect(new Set(result.violations.map((v) => `${v.kind}/${v.name}`))).toEqual(
      new Set(['Deployment/api', 'CronJob/nightly']),
    );
    expect(result.violations.filter((v) => v.kind === 'CronJob')).toEqual([
      {
        kind: 'CronJob',
        namespace: 'fleet',
        name: 'nightly',
        reason: 'unrestricted capabilities',
        detail: 'container "job" must not include "NET_ADMIN" in securityContext.capabilities.add',
      },
    ]);
  });

  it('accepts a restricted-compliant Deployment', () => {
    const result = pssCheck(hardened, { requirePods: true });
    expect(result.violations).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.podSpecsChecked).toBe(1);
  });

  it('with requirePods, fails input without pod specs', () => {
    const services = 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n';
    expect(pssCheck(services)).toMatchObject({ ok: true, podSpecsChecked: 0 });
    expect(pssCheck(services, { requirePods: true })).toMatchObject({
      ok: false,
      code: 2,
      podSpecsChecked: 0,
    });
  });

  it('throws on input it cannot parse', () => {
    expect(() => pssCheck('apiVersion: v1\nkind: Pod\nspec: [\n')).toThrow(/pss-check failed/);
  });
});

describe('helm (Kubernetes 1.33 capabilities)', () => {
  let dir: string;

  const write = (path: string, text: string): void => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetwatch-helm-'));
    write('app/Chart.yaml', 'apiVersion: v2\nname: app\nversion: 0.1.0\nkubeVersion: ">=1.33.0-0"\n');
    write('app/values.yaml', 'replicas: 1\nimage: registry.example.com/api:1.0.0\n');
    write(
      'app/templates/configmap.yaml',
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-caps
  namespace: {{ .Release.Namespace }}
data:
  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
  hpaV2: {{ .Capabilities.APIVersions.Has "autoscaling/v2" | quote }}
  serviceMonitors: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" | quote }}
  hosts: {{ .Values.hosts | default "none" | quote }}
  {{- if .Values.required }}
  required: {{ required "requiredValue is required" .Values.requiredValue | quote }}
  {{- end }}
`,
    );
    write(
      'app/templates/deployment.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {app: {{ .Release.Name }}}
  template:
    metadata:
      labels: {app: {{ .Release.Name }}}
    spec:
      containers:
        - name: api
          image: {{ .Values.image }}
`,
    );
    // A library chart and a chart using it through file://, like charts/fleetwatch-lib.
    write('lib/Chart.yaml', 'apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n');
    write('lib/templates/_names.tpl', '{{- define "lib.greeting" -}}hello{{- end -}}\n');
    write(
      'user/Chart.yaml',
      'apiVersion: v2\nname: user\nversion: 0.1.0\ndependencies:\n  - name: lib\n    version: 0.1.0\n    repository: file://../lib\n',
    );
    write(
      'user/templates/cm.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: greeting}\ndata: {greeting: {{ include "lib.greeting" . | quote }}}\n',
    );
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders a chart for Kubernetes 1.33 with values files, --set and API versions', () => {
    write('prod.yaml', 'replicas: 3\n');
    const yaml = helmTemplate({
      chart: join(dir, 'app'),
      release: 'api',
      namespace: 'fleet',
      valuesFiles: [join(dir, 'prod.yaml')],
      set: { hosts: 'a.example.com,b.example.com' },
      apiVersions: ['monitoring.coreos.com/v1'],
    });
    const manifests = parseManifests(yaml);
    expect(manifests.map((m) => m.kind)).toEqual(['ConfigMap', 'Deployment']);
    const [configMap, deploy] = manifests;
    expect(configMap?.metadata).toMatchObject({ name: 'api-caps', namespace: 'fleet' });
    expect(configMap?.data).toEqual({
      kubeVersion: 'v1.33.0',
      hpaV2: 'true',
      serviceMonitors: 'true',
      hosts: 'a.example.com,b.example.com',
    });
    expect(deploy?.spec).toMatchObject({ replicas: 3 });
    expect(kubeconform(yaml).valid).toBe(true);
  });

  it('throws with helm stderr when rendering fails', () => {
    expect(() =>
      helmTemplate({
        chart: join(dir, 'app'),
        release: 'api',
        namespace: 'fleet',
        set: { required: 'true' },
      }),
    ).toThrow(/requiredValue is required/);
    expect(() =>
      helmTemplate({ chart: join(dir, 'app'), release: 'api', namespace: 'fleet', kubeVersion: '1.30.0' }),
    ).toThrow(/kubeVersion/);
  });

  it('builds file:// library dependencies first, and again when the library changes', () => {
    const render = (): unknown =>
      parseManifests(helmTemplate({ chart: join(dir, 'user'), release: 'u', namespace: 'fleet' }))[0]?.data;
    expect(render()).toEqual({ greeting: 'hello' });
    write('lib/templates/_names.tpl', '{{- define "lib.greeting" -}}hello again{{- end -}}\n');
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'lib/templates/_names.tpl'), later, later);
    expect(render()).toEqual({ greeting: 'hello again' });
  });

  it('lints: a good chart passes, a broken one reports errors', () => {
    const good = helmLint(join(dir, 'app'));
    expect(good.errors).toEqual([]);
    expect(good.ok).toBe(true);

    write('broken/Chart.yaml', 'apiVersion: v2\nname: broken\n');
    write('broken/templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.x\n');
    const broken = helmLint(join(dir, 'broken'));
    expect(broken.ok).toBe(false);
    expect(broken.errors.join('\n')).toMatch(/version is required/);
  });
});

describe('promtool (Prometheus 2.42 rule checks and unit tests)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'promtool-test-'));
    writeFileSync(
      join(dir, 'rules.yaml'),
      [
        'groups:',
        '  - name: example',
        '    rules:',
        '      - alert: Down',
        '        expr: up == 0',
        '        for: 5m',
        '        labels: {severity: page}',
        "        annotations: {summary: '{{ $labels.job }} is down'}",
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const unitTest = (expected: string): string =>
    [
      'rule_files: [rules.yaml]',
      'tests:',
      '  - interval: 1m',
      "    input_series: [{series: 'up{job=\"api\"}', values: '0x10'}]",
      '    alert_rule_test:',
      '      - eval_time: 10m',
      '        alertname: Down',
      '        exp_alerts:',
      `          - exp_labels: {severity: page, job: api}`,
      `            exp_annotations: {summary: '${expected}'}`,
      '',
    ].join('\n');

  it('checks rule files: a good one passes, a bad expression fails', () => {
    const good = promtool(['check', 'rules', join(dir, 'rules.yaml')]);
    expect(good.stdout, good.stderr).toMatch(/SUCCESS: 1 rules found/);
    expect(good.ok).toBe(true);
    writeFileSync(join(dir, 'bad.yaml'), 'groups: [{name: x, rules: [{record: y, expr: "sum(up"}]}]\n');
    const bad = promtool(['check', 'rules', join(dir, 'bad.yaml')]);
    expect(bad.ok).toBe(false);
    expect(bad.stdout + bad.stderr).toMatch(/FAILED/);
  });

  it('runs rule unit tests: a right expectation passes, a wrong one fails', () => {
    writeFileSync(join(dir, 'good.test.yaml'), unitTest('api is down'));
    const good = promtool(['test', 'rules', join(dir, 'good.test.yaml')]);
    expect(good.stdout + good.stderr).toMatch(/SUCCESS/);
    expect(good.ok).toBe(true);
    writeFileSync(join(dir, 'wrong.test.yaml'), unitTest('web is down'));
    const wrong = promtool(['test', 'rules', join(dir, 'wrong.test.yaml')]);
    expect(wrong.ok).toBe(false);
    expect(wrong.stdout + wrong.stderr).toMatch(/FAILED[\s\S]*api is down/);
  });

  it('lints a metrics exposition read from standard input', () => {
    const result = promtool(['check', 'metrics'], '# HELP up_total x\n# TYPE up_total gauge\nup_total 1\n');
    expect(result.ok).toBe(false);
    expect(result.stdout + result.stderr).toMatch(/non-counter metrics should not have "_total" suffix/);
  });
});
