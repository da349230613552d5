/**
 * charts/tenant: lint, strict schema validation of what it renders, the values schema's refusals, and
 * tenant isolation (deploy/test/support/isolation.ts) for two silo tenants and a pool, including
 * deliberately broken variants that the same isolation checks must catch.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

import { isolationProblems, tenantNamespace } from './support/isolation.js';
import {
  helmLint,
  helmTemplate,
  kubeconform,
  parseManifests,
  type KubernetesManifest,
} from './support/tools.js';

const CHART = 'charts/tenant';
const SILO_VALUES = 'charts/tenant/ci/silo-values.yaml';
const POOL_VALUES = 'charts/tenant/ci/pool-values.yaml';

const scratch = mkdtempSync(join(tmpdir(), 'tenant-chart-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface TenantValues {
  tenant: string;
  tier: 'pool' | 'silo';
  displayName: string;
  members?: string[];
  groups: { admin: string[]; viewer: string[] };
}

let fileCount = 0;
function valuesFile(values: unknown): string {
  const file = join(scratch, `values-${fileCount++}.yaml`);
  writeFileSync(file, stringify(values));
  return file;
}

function silo(tenant: string): TenantValues {
  return {
    tenant,
    tier: 'silo',
    displayName: `${tenant} shipping`,
    members: [],
    groups: { admin: [`fleetwatch-${tenant}-admins`], viewer: [`fleetwatch-${tenant}-viewers`] },
  };
}

function render(values: unknown): string {
  const tenant = (values as { tenant?: unknown }).tenant;
  return helmTemplate({
    chart: CHART,
    release: `tenant-${String(tenant)}`,
    namespace: `tenant-${String(tenant)}`,
    valuesFiles: [valuesFile(values)],
  });
}

function find(docs: KubernetesManifest[], kind: string, name: string): KubernetesManifest {
  const doc = docs.find((d) => d.kind === kind && d.metadata.name === name);
  if (doc === undefined) throw new Error(`${kind} ${name} not rendered`);
  return doc;
}

function spec(doc: KubernetesManifest): Record<string, unknown> {
  return doc.spec as Record<string, unknown>;
}

describe('charts/tenant', () => {
  it('passes helm lint with silo and pool values', () => {
    for (const values of [SILO_VALUES, POOL_VALUES]) {
      const lint = helmLint(CHART, [values], { strict: true });
      expect(lint.errors, lint.stdout + lint.stderr).toEqual([]);
      expect(lint.ok, lint.stdout + lint.stderr).toBe(true);
    }
  });

  it('renders a silo and a pool tenant that kubeconform validates strictly (Kubernetes 1.33 and the Argo CD CRDs)', () => {
    for (const [values, tenant] of [
      [SILO_VALUES, 'northwind'],
      [POOL_VALUES, 'pool-shared'],
    ] as const) {
      const yamlText = helmTemplate({
        chart: CHART,
        release: `tenant-${tenant}`,
        namespace: `tenant-${tenant}`,
        valuesFiles: [values],
      });
      const result = kubeconform(yamlText);
      expect(result.failures, JSON.stringify(result.failures, null, 2)).toEqual([]);
      expect(result.valid).toBe(true);
      expect(result.summary.valid).toBe(parseManifests(yamlText).length);
    }
  });

  describe('two silo tenants', () => {
    const tenants = ['northwind', 'oceanic'] as const;
    const rendered = new Map<string, KubernetesManifest[]>();
    const docsOf = (t: (typeof tenants)[number]): KubernetesManifest[] => {
      let docs = rendered.get(t);
      if (docs === undefined) {
        docs = parseManifests(render(silo(t)));
        rendered.set(t, docs);
      }
      return docs;
    };

    it.each(tenants)('%s is isolated: no isolation problem', (tenant) => {
      expect(isolationProblems(docsOf(tenant), { tenant })).toEqual([]);
    });

    it.each(tenants)(
      '%s: every namespaced object is in its namespace, the AppProject in argocd',
      (tenant) => {
        const ns = tenantNamespace(tenant);
        for (const doc of docsOf(tenant)) {
          if (doc.kind === 'Namespace') expect(doc.metadata.name).toBe(ns);
          else if (doc.kind === 'AppProject')
            expect([doc.metadata.namespace, doc.metadata.name]).toEqual(['argocd', ns]);
          else expect(doc.metadata.namespace, `${doc.kind} ${doc.metadata.name}`).toBe(ns);
        }
        expect(
          docsOf(tenant)
            .map((d) => d.kind)
            .sort(),
        ).toEqual([
          'AppProject',
          'LimitRange',
          'Namespace',
          'NetworkPolicy',
          'NetworkPolicy',
          'NetworkPolicy',
          'ResourceQuota',
          'Role',
          'Role',
          'RoleBinding',
          'RoleBinding',
        ]);
      },
    );

    it.each(tenants)(
      '%s: Namespace enforces Pod Security restricted and carries the tenant labels',
      (tenant) => {
        const ns = find(docsOf(tenant), 'Namespace', tenantNamespace(tenant));
        expect(ns.metadata.labels).toMatchObject({
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'v1.33',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
          'fleetwatch.io/tenant': tenant,
          'fleetwatch.io/tier': 'silo',
        });
        expect(ns.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe('-3');
      },
    );

    it.each(tenants)(
      '%s: default deny for every pod, DNS to kube-dns only, ingress from platform namespaces only',
      (tenant) => {
        const docs = docsOf(tenant);
        expect(spec(find(docs, 'NetworkPolicy', 'default-deny-all'))).toEqual({
          podSelector: {},
          policyTypes: ['Ingress', 'Egress'],
        });
        expect(spec(find(docs, 'NetworkPolicy', 'allow-dns-egress'))).toEqual({
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                },
              ],
              ports: [
                { port: 53, protocol: 'UDP' },
                { port: 53, protocol: 'TCP' },
              ],
            },
          ],
        });
        expect(spec(find(docs, 'NetworkPolicy', 'allow-platform-ingress'))).toEqual({
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
                  podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
                },
              ],
            },
          ],
        });
      },
    );

    it.each(tenants)('%s: silo quota and limit range, no load balancers or node ports', (tenant) => {
      const docs = docsOf(tenant);
      expect(spec(find(docs, 'ResourceQuota', 'tenant-quota')).hard).toMatchObject({
        'requests.cpu': '12',
        'requests.memory': '16Gi',
        'limits.memory': '32Gi',
        pods: '60',
        'services.loadbalancers': '0',
        'services.nodeports': '0',
        persistentvolumeclaims: '0',
      });
      expect(spec(find(docs, 'LimitRange', 'tenant-limits')).limits).toEqual([
        {
          type: 'Container',
          defaultRequest: { cpu: '100m', memory: '128Mi' },
          default: { memory: '512Mi' },
          max: { memory: '4Gi' },
        },
      ]);
    });

    it.each(tenants)(
      '%s: RBAC binds the tenant groups to namespaced Roles without secrets, exec or guardrail writes',
      (tenant) => {
        const docs = docsOf(tenant);
        expect(docs.filter((d) => d.kind === 'ClusterRole' || d.kind === 'ClusterRoleBinding')).toEqual([]);
        for (const role of ['admin', 'viewer']) {
          const binding = find(docs, 'RoleBinding', `tenant-${role}`);
          expect(binding.roleRef).toEqual({
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Role',
            name: `tenant-${role}`,
          });
          expect(binding.subjects).toEqual([
            { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `fleetwatch-${tenant}-${role}s` },
          ]);
        }
        type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
        const grants = (name: string): Set<string> =>
          new Set(
            ((find(docs, 'Role', name).rules ?? []) as Rule[]).flatMap((r) =>
              r.apiGroups.flatMap((g) =>
                r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res}:${v}`)),
              ),
            ),
          );
        const admin = grants('tenant-admin');
        const viewer = grants('tenant-viewer');
        for (const expected of ['/pods:list', '/pods/log:get', '/pods:delete', 'apps/deployments:get']) {
          expect(admin, expected).toContain(expected);
        }
        // Restarts go through Argo CD by default: patch could change the whole pod template.
        expect(admin).not.toContain('apps/deployments:patch');
        for (const forbidden of [
          '/secrets:get',
          '/secrets:list',
          '/secrets:update',
          '/pods/exec:create',
          '/pods:create',
          'apps/deployments:create',
          '/resourcequotas:update',
          '/limitranges:delete',
          'networking.k8s.io/networkpolicies:patch',
          'rbac.authorization.k8s.io/roles:create',
          'rbac.authorization.k8s.io/rolebindings:create',
        ]) {
          expect(admin, forbidden).not.toContain(forbidden);
          expect(viewer, forbidden).not.toContain(forbidden);
        }
        expect([...viewer].every((g) => /:(get|list|watch)$/.test(g))).toBe(true);
        expect(viewer).not.toContain('/pods/log:get');
      },
    );

    it.each(tenants)(
      '%s: AppProject deploys only into its namespace, no cluster resources, guardrails blacklisted',
      (tenant) => {
        const ns = tenantNamespace(tenant);
        const project = find(docsOf(tenant), 'AppProject', ns);
        const s = spec(project);
        expect(s.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: ns }]);
        expect(s.clusterResourceWhitelist).toEqual([]);
        expect(s.sourceRepos).toEqual(['https://github.com/fleetwatch/fleetwatch.git']);
        expect(s.namespaceResourceBlacklist).toEqual(
          expect.arrayContaining([
            { group: '', kind: 'ResourceQuota' },
            { group: '', kind: 'LimitRange' },
            { group: 'rbac.authorization.k8s.io', kind: 'Role' },
            { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
          ]),
        );
        const roles = s.roles as { name: string; groups: string[]; policies: string[] }[];
        expect(roles.map((r) => [r.name, r.groups])).toEqual([
          ['admin', [`fleetwatch-${tenant}-admins`]],
          ['viewer', [`fleetwatch-${tenant}-viewers`]],
        ]);
        for (const policy of roles.flatMap((r) => r.policies)) expect(policy).toContain(`, ${ns}/*, allow`);
        expect(project.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe('-1');
      },
    );

    it('sync waves: namespace, then guardrails, then the AppProject', () => {
      for (const doc of docsOf('northwind')) {
        const wave = doc.metadata.annotations?.['argocd.argoproj.io/sync-wave'];
        const expected = doc.kind === 'Namespace' ? '-3' : doc.kind === 'AppProject' ? '-1' : '-2';
        expect(wave, `${doc.kind} ${doc.metadata.name}`).toBe(expected);
      }
    });

    it("one tenant's objects are problems when checked as the other's", () => {
      const both = [...docsOf('northwind'), ...docsOf('oceanic')];
      const problems = isolationProblems(both, { tenant: 'northwind' });
      expect(problems).toContain("Namespace tenant-oceanic: cluster-scoped object in a tenant's manifests");
      expect(problems).toContain(
        "AppProject argocd/tenant-oceanic: a tenant's only AppProject is argocd/tenant-northwind",
      );
      expect(
        problems.some((p) => p.startsWith('NetworkPolicy tenant-oceanic/default-deny-all: outside')),
      ).toBe(true);
    });
  });

  it('renders a pool tenant: members on the namespace, pool quota', () => {
    const docs = parseManifests(
      helmTemplate({
        chart: CHART,
        release: 'tenant-pool-shared',
        namespace: 'tenant-pool-shared',
        valuesFiles: [POOL_VALUES],
      }),
    );
    expect(isolationProblems(docs, { tenant: 'pool-shared' })).toEqual([]);
    const ns = find(docs, 'Namespace', 'tenant-pool-shared');
    expect(ns.metadata.labels?.['fleetwatch.io/tier']).toBe('pool');
    expect(ns.metadata.annotations?.['fleetwatch.io/members']).toBe(
      'aegean-coasters,baltic-feeder,celtic-tramp',
    );
    expect(spec(find(docs, 'ResourceQuota', 'tenant-quota')).hard).toMatchObject({
      'requests.cpu': '16',
      pods: '80',
    });
  });

  it('prefixes RoleBinding groups with rbac.groupPrefix but not the Argo CD roles', () => {
    const docs = parseManifests(
      render({
        ...silo('northwind'),
        rbac: { groupPrefix: 'oidc:', admin: { restartWorkloads: true }, viewer: { podLogs: false } },
      }),
    );
    expect(find(docs, 'RoleBinding', 'tenant-admin').subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'oidc:fleetwatch-northwind-admins' },
    ]);
    const roles = spec(find(docs, 'AppProject', 'tenant-northwind')).roles as { groups: string[] }[];
    expect(roles[0]?.groups).toEqual(['fleetwatch-northwind-admins']);
    // Turned on, restarts are the one patch the admin Role grants.
    const rules = find(docs, 'Role', 'tenant-admin').rules as { resources: string[]; verbs: string[] }[];
    expect(rules.filter((r) => r.verbs.includes('patch')).flatMap((r) => r.resources)).toEqual([
      'deployments',
      'statefulsets',
    ]);
  });

  describe('values.schema.json refuses', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['a tier that is neither pool nor silo', { ...silo('northwind'), tier: 'gold' }, /tier/],
      ['an invalid tenant name (uppercase)', { ...silo('Northwind') }, /tenant/],
      ['an invalid tenant name (too short)', { ...silo('nw') }, /tenant/],
      ['the reserved tenant name platform (the platform logs index)', { ...silo('platform') }, /tenant/],
      ['an invalid tenant name (trailing hyphen)', { ...silo('northwind-') }, /tenant/],
      ['an empty tenant name (the default)', { ...silo('northwind'), tenant: '' }, /tenant/],
      ['an unknown top-level key', { ...silo('northwind'), namespace: 'kube-system' }, /namespace/],
      [
        'a Kubernetes system: group',
        { ...silo('northwind'), groups: { admin: ['system:authenticated'], viewer: [] } },
        /groups/,
      ],
      ['a silo with members', { ...silo('northwind'), members: ['someone-else'] }, /members/],
      ['a pool without members', { ...silo('pool-a'), tier: 'pool', members: [] }, /members/],
      [
        'a tier quota that allows load balancers',
        { ...silo('northwind'), tiers: { silo: { quota: { 'services.loadbalancers': '2' } } } },
        /loadbalancers/,
      ],
      [
        'platform ingress from another tenant namespace',
        { ...silo('northwind'), networkPolicy: { platformIngress: [{ namespace: 'tenant-oceanic' }] } },
        /platformIngress/,
      ],
    ];
    it.each(cases)('%s', (_name, values, message) => {
      expect(() => render(values)).toThrow(message);
    });
  });

  describe('the isolation checks catch broken variants', () => {
    const base = (): KubernetesManifest[] => parseManifests(render(silo('northwind')));
    const variants: [string, (docs: KubernetesManifest[]) => KubernetesManifest[], RegExp][] = [
      [
        'a RoleBinding into another namespace',
        (docs) => [
          ...docs,
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: 'sneaky', namespace: 'tenant-oceanic' },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tenant-admin' },
            subjects: [
              { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'fleetwatch-northwind-admins' },
            ],
          },
        ],
        /RoleBinding tenant-oceanic\/sneaky: outside the tenant's namespace/,
      ],
      [
        'a RoleBinding to a ClusterRole',
        (docs) => [
          ...docs,
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: 'admin-everything', namespace: 'tenant-northwind' },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
            subjects: [
              { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'fleetwatch-northwind-admins' },
            ],
          },
        ],
        /roleRef is a ClusterRole/,
      ],
      [
        'a ClusterRoleBinding',
        (docs) => [
          ...docs,
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRoleBinding',
            metadata: { name: 'northwind-view' },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
            subjects: [
              { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'fleetwatch-northwind-viewers' },
            ],
          },
        ],
        /ClusterRoleBinding northwind-view: cluster-scoped/,
      ],
      [
        "a RoleBinding to another namespace's service account",
        (docs) =>
          docs.map((d) =>
            d.kind === 'RoleBinding' && d.metadata.name === 'tenant-admin'
              ? { ...d, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'tenant-oceanic' }] }
              : d,
          ),
        /binds ServiceAccount tenant-oceanic\/default/,
      ],
      [
        'a Role granting secrets',
        (docs) =>
          docs.map((d) =>
            d.kind === 'Role' && d.metadata.name === 'tenant-viewer'
              ? {
                  ...d,
                  rules: [
                    ...(d.rules as unknown[]),
                    { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
                  ],
                }
              : d,
          ),
        /grants get on secrets/,
      ],
      [
        'no default deny',
        (docs) => docs.filter((d) => d.metadata.name !== 'default-deny-all'),
        /no default-deny NetworkPolicy/,
      ],
      [
        'a default deny that lets egress through',
        (docs) =>
          docs.map((d) =>
            d.metadata.name === 'default-deny-all'
              ? { ...d, spec: { podSelector: {}, policyTypes: ['Ingress'] } }
              : d,
          ),
        /no default-deny NetworkPolicy/,
      ],
      [
        'ingress from every namespace',
        (docs) =>
          docs.map((d) =>
            d.metadata.name === 'allow-platform-ingress'
              ? {
                  ...d,
                  spec: {
                    podSelector: {},
                    policyTypes: ['Ingress'],
                    ingress: [{ from: [{ namespaceSelector: {} }] }],
                  },
                }
              : d,
          ),
        /namespaceSelector is not pinned/,
      ],
      ['no quota', (docs) => docs.filter((d) => d.kind !== 'ResourceQuota'), /no ResourceQuota/],
      ['no limit range', (docs) => docs.filter((d) => d.kind !== 'LimitRange'), /no LimitRange/],
      [
        'a namespace without Pod Security enforcement',
        (docs) =>
          docs.map((d) =>
            d.kind === 'Namespace'
              ? { ...d, metadata: { ...d.metadata, labels: { 'fleetwatch.io/tenant': 'northwind' } } }
              : d,
          ),
        /Pod Security enforce is not restricted/,
      ],
      [
        'an AppProject reaching every namespace and cluster resources',
        (docs) =>
          docs.map((d) =>
            d.kind === 'AppProject'
              ? {
                  ...d,
                  spec: {
                    ...spec(d),
                    destinations: [{ server: 'https://kubernetes.default.svc', namespace: '*' }],
                    clusterResourceWhitelist: [{ group: '*', kind: '*' }],
                  },
                }
              : d,
          ),
        /destination namespace \*[\s\S]*clusterResourceWhitelist is not empty/,
      ],
      [
        'an AppProject role reaching another project',
        (docs) =>
          docs.map((d) =>
            d.kind === 'AppProject'
              ? {
                  ...d,
                  spec: {
                    ...spec(d),
                    roles: [
                      {
                        name: 'admin',
                        groups: ['g'],
                        policies: ['p, proj:tenant-northwind:admin, applications, sync, tenants/*, allow'],
                      },
                    ],
                  },
                }
              : d,
          ),
        /policy reaches beyond tenant-northwind/,
      ],
      [
        'an AppProject without the guardrail blacklist',
        (docs) =>
          docs.map((d) =>
            d.kind === 'AppProject' ? { ...d, spec: { ...spec(d), namespaceResourceBlacklist: [] } } : d,
          ),
        /ResourceQuota is not in namespaceResourceBlacklist/,
      ],
      [
        'a LoadBalancer Service',
        (docs) => [
          ...docs,
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'public', namespace: 'tenant-northwind' },
            spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
          },
        ],
        /Service of type LoadBalancer/,
      ],
    ];

    it('the unmodified render has no problem', () => {
      expect(isolationProblems(base(), { tenant: 'northwind' })).toEqual([]);
    });

    it.each(variants)('%s', (_name, mutate, expected) => {
      const problems = isolationProblems(mutate(base()), { tenant: 'northwind' });
      expect(problems.join('\n')).toMatch(expected);
    });
  });
});
