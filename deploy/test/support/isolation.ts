/**
 * Tenant isolation checks over rendered manifests: what one tenant's objects (its charts/tenant
 * foundation and, optionally, its rendered service charts) may and may not contain. Returns a list of
 * problems (empty when isolated) rather than asserting, so the same code proves the passing cases and
 * catches deliberately broken variants.
 *
 * The rules:
 * - every namespaced object is in the tenant's namespace tenant-<tenant> (an object without
 *   metadata.namespace lands in the release namespace, which must be the tenant's too), except the
 *   tenant's AppProject tenant-<tenant> in Argo CD's namespace;
 * - the only cluster-scoped object is the tenant's own Namespace; no ClusterRole or
 *   ClusterRoleBinding, no Argo CD Application or ApplicationSet; kinds of unknown scope are refused;
 * - RoleBindings refer to a Role (never a ClusterRole) and bind no subject of another namespace and no
 *   Kubernetes system: group or user; Roles grant nothing that escapes the namespace's guardrails
 *   (Secrets, exec/attach/port-forward, tokens, RBAC or guardrail writes, escalate/bind/impersonate,
 *   wildcards);
 * - NetworkPolicy peers select pods of the tenant's namespace or a platform namespace only, and no
 *   ipBlock is the whole address space;
 * - no Service of type LoadBalancer or NodePort and no externalIPs; Ingress hosts, when
 *   allowedIngressHosts is given, are the tenant's;
 * - the AppProject deploys only into the tenant's namespace on the in-cluster server, from a fixed
 *   repository, with no cluster-scoped resources, the guardrail kinds blacklisted, and roles that only
 *   reach the project's own applications;
 * - with requireFoundation (the default), the guardrails are present: the Namespace with Pod Security
 *   enforce=restricted, a default-deny NetworkPolicy (podSelector {} with both policy types and no
 *   rules), a ResourceQuota, a LimitRange and the AppProject.
 */

export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** Namespaces the platform runs in: the only other namespaces a tenant's network policies may name. */
export const PLATFORM_NAMESPACES: readonly string[] = [
  'argocd',
  'monitoring',
  'logging',
  'observability',
  'keda',
  'kube-system',
];

/** The guardrail kinds charts/tenant owns in a tenant namespace; no tenant application may create them. */
export const GUARDRAIL_KINDS: readonly { group: string; kind: string }[] = [
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'LimitRange' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
];

const CLUSTER_SCOPED_KINDS = new Set([
  'APIService',
  'CSIDriver',
  'CSINode',
  'CertificateSigningRequest',
  'ClusterIssuer',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterSecretStore',
  'ClusterTriggerAuthentication',
  'CustomResourceDefinition',
  'FlowSchema',
  'IngressClass',
  'IngressClassParams',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

const NAMESPACED_KINDS = new Set([
  'AppProject',
  'Application',
  'ApplicationSet',
  'CSIStorageCapacity',
  'ConfigMap',
  'ControllerRevision',
  'CronJob',
  'DaemonSet',
  'Deployment',
  'EndpointSlice',
  'Endpoints',
  'Event',
  'HorizontalPodAutoscaler',
  'Ingress',
  'Job',
  'Lease',
  'LimitRange',
  'NetworkPolicy',
  'PersistentVolumeClaim',
  'Pod',
  'PodDisruptionBudget',
  'PodMonitor',
  'PodTemplate',
  'PrometheusRule',
  'ReplicaSet',
  'ReplicationController',
  'ResourceQuota',
  'Role',
  'RoleBinding',
  'ScaledJob',
  'ScaledObject',
  'Secret',
  'Service',
  'ServiceAccount',
  'ServiceMonitor',
  'StatefulSet',
  'TriggerAuthentication',
]);

/** Resources a tenant Role must not grant at all (any verb). */
const FORBIDDEN_RESOURCES = new Set([
  'secrets',
  'pods/exec',
  'pods/attach',
  'pods/portforward',
  'pods/ephemeralcontainers',
  'pods/proxy',
  'services/proxy',
  'nodes/proxy',
  'serviceaccounts/token',
]);
/** Resources a tenant Role may read but never write: the guardrails and RBAC. */
const READ_ONLY_RESOURCES = new Set([
  'resourcequotas',
  'limitranges',
  'networkpolicies',
  'roles',
  'rolebindings',
  'namespaces',
]);
const READ_VERBS = new Set(['get', 'list', 'watch']);
const FORBIDDEN_VERBS = new Set(['escalate', 'bind', 'impersonate', '*']);

export interface IsolationOptions {
  /** The tenant id: its namespace is tenant-<tenant>, its AppProject tenant-<tenant>. */
  tenant: string;
  /** Where Argo CD runs (the AppProject's namespace); default argocd. */
  argocdNamespace?: string;
  /** The namespace objects without metadata.namespace land in (helm --namespace); default tenant-<tenant>. */
  releaseNamespace?: string;
  /** Namespaces network policy peers may name besides the tenant's own; default PLATFORM_NAMESPACES. */
  platformNamespaces?: readonly string[];
  /** Require the foundation's guardrails (Namespace, default deny, quota, limit range, AppProject); default true. */
  requireFoundation?: boolean;
  /** When given, every Ingress rule host must be one of these. */
  allowedIngressHosts?: readonly string[];
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function obj(value: unknown): Obj {
  return isObj(value) ? value : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === 'string');
}

export function tenantNamespace(tenant: string): string {
  return `tenant-${tenant}`;
}

function apiGroup(apiVersion: unknown): string {
  const v = str(apiVersion) ?? '';
  return v.includes('/') ? (v.split('/')[0] ?? '') : '';
}

function describe(doc: Obj): string {
  const meta = obj(doc.metadata);
  const ns = str(meta.namespace);
  return `${str(doc.kind) ?? '?'} ${ns === undefined ? '' : `${ns}/`}${str(meta.name) ?? '?'}`;
}

/** A label selector that selects everything: absent, {} or with no requirements. */
function selectsEverything(selector: unknown): boolean {
  if (!isObj(selector)) return true;
  const labels = obj(selector.matchLabels);
  return Object.keys(labels).length === 0 && list(selector.matchExpressions).length === 0;
}

function checkRole(doc: Obj, where: string, problems: string[]): void {
  for (const rule of list(doc.rules).map(obj)) {
    const groups = strings(rule.apiGroups);
    const resources = strings(rule.resources);
    const verbs = strings(rule.verbs);
    if (groups.includes('*') || resources.includes('*') || resources.some((r) => r.endsWith('/*'))) {
      problems.push(`${where}: wildcard apiGroups or resources`);
    }
    if (list(rule.nonResourceURLs).length > 0)
      problems.push(`${where}: nonResourceURLs in a namespaced Role`);
    for (const verb of verbs.filter((v) => FORBIDDEN_VERBS.has(v))) {
      problems.push(`${where}: grants verb ${verb}`);
    }
    for (const resource of resources) {
      if (FORBIDDEN_RESOURCES.has(resource))
        problems.push(`${where}: grants ${verbs.join('/')} on ${resource}`);
      if (READ_ONLY_RESOURCES.has(resource)) {
        const writes = verbs.filter((v) => !READ_VERBS.has(v));
        if (writes.length > 0) problems.push(`${where}: grants ${writes.join('/')} on ${resource}`);
      }
    }
  }
}

function checkRoleBinding(doc: Obj, where: string, ns: string, problems: string[]): void {
  const roleRef = obj(doc.roleRef);
  if (str(roleRef.kind) !== 'Role') {
    problems.push(
      `${where}: roleRef is a ${str(roleRef.kind) ?? '?'} (${str(roleRef.name) ?? '?'}), not a Role of the namespace`,
    );
  }
  for (const subject of list(doc.subjects).map(obj)) {
    const kind = str(subject.kind);
    const name = str(subject.name) ?? '';
    const subjectNs = str(subject.namespace);
    if (kind === 'ServiceAccount') {
      if (subjectNs !== undefined && subjectNs !== ns) {
        problems.push(`${where}: binds ServiceAccount ${subjectNs}/${name} of another namespace`);
      }
    } else if (kind === 'Group' || kind === 'User') {
      if (name.startsWith('system:'))
        problems.push(`${where}: binds Kubernetes ${kind.toLowerCase()} ${name}`);
      if (subjectNs !== undefined && subjectNs !== '' && subjectNs !== ns) {
        problems.push(`${where}: subject ${kind} ${name} names namespace ${subjectNs}`);
      }
    } else {
      problems.push(`${where}: unknown subject kind ${kind ?? '?'}`);
    }
  }
}

/** RFC 1918 ranges: VPC addresses, so also every pod's on EKS. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

function checkPeers(peers: unknown[], where: string, allowed: ReadonlySet<string>, problems: string[]): void {
  for (const peer of peers.map(obj)) {
    if ('namespaceSelector' in peer) {
      const selector = obj(peer.namespaceSelector);
      const name = str(obj(selector.matchLabels)['kubernetes.io/metadata.name']);
      if (name === undefined || list(selector.matchExpressions).length > 0) {
        problems.push(
          `${where}: a peer's namespaceSelector is not pinned to one namespace by kubernetes.io/metadata.name`,
        );
      } else if (!allowed.has(name)) {
        problems.push(`${where}: a peer selects namespace ${name}`);
      }
    }
    const ipBlock = obj(peer.ipBlock);
    const cidr = str(ipBlock.cidr);
    // Every address is acceptable only as "the public internet": with the private ranges (the VPC and
    // so every pod, other tenants' included) excepted.
    const excepted = new Set(list(ipBlock.except).map(str));
    const publicOnly = PRIVATE_RANGES.every((range) => excepted.has(range));
    if (cidr !== undefined && /\/0$/.test(cidr) && !publicOnly)
      problems.push(`${where}: ipBlock ${cidr} is every address`);
  }
}

function checkNetworkPolicy(doc: Obj, where: string, allowed: ReadonlySet<string>, problems: string[]): void {
  const spec = obj(doc.spec);
  for (const rule of list(spec.ingress).map(obj))
    checkPeers(list(rule.from), `${where} ingress`, allowed, problems);
  for (const rule of list(spec.egress).map(obj))
    checkPeers(list(rule.to), `${where} egress`, allowed, problems);
}

function isDefaultDeny(doc: Obj): boolean {
  const spec = obj(doc.spec);
  const types = strings(spec.policyTypes);
  return (
    isObj(spec.podSelector) &&
    selectsEverything(spec.podSelector) &&
    types.includes('Ingress') &&
    types.includes('Egress') &&
    list(spec.ingress).length === 0 &&
    list(spec.egress).length === 0
  );
}

function hasGroupKind(entries: unknown, group: string, kind: string): boolean {
  return list(entries)
    .map(obj)
    .some((e) => str(e.group) === group && str(e.kind) === kind);
}

function checkAppProject(doc: Obj, where: string, project: string, ns: string, problems: string[]): void {
  const spec = obj(doc.spec);
  const destinations = list(spec.destinations).map(obj);
  if (destinations.length === 0) problems.push(`${where}: no destinations`);
  for (const d of destinations) {
    if (str(d.namespace) !== ns)
      problems.push(`${where}: destination namespace ${str(d.namespace) ?? '(any)'}`);
    const server = str(d.server);
    const name = str(d.name);
    if (!(server === IN_CLUSTER_SERVER || (server === undefined && name === 'in-cluster'))) {
      problems.push(`${where}: destination cluster ${server ?? name ?? '(any)'}`);
    }
  }
  if (list(spec.clusterResourceWhitelist).length > 0)
    problems.push(`${where}: clusterResourceWhitelist is not empty`);
  const repos = strings(spec.sourceRepos);
  if (repos.length === 0) problems.push(`${where}: no sourceRepos`);
  for (const repo of repos.filter((r) => r.includes('*') || r.startsWith('!'))) {
    problems.push(`${where}: sourceRepos pattern ${repo}`);
  }
  if (list(spec.sourceNamespaces).length > 0)
    problems.push(`${where}: sourceNamespaces lets other namespaces define applications`);
  for (const g of GUARDRAIL_KINDS) {
    if (!hasGroupKind(spec.namespaceResourceBlacklist, g.group, g.kind)) {
      problems.push(`${where}: ${g.kind} is not in namespaceResourceBlacklist`);
    }
    if (hasGroupKind(spec.namespaceResourceWhitelist, g.group, g.kind)) {
      problems.push(`${where}: ${g.kind} is in namespaceResourceWhitelist`);
    }
  }
  for (const e of list(spec.namespaceResourceWhitelist).map(obj)) {
    if (str(e.group) === '*' || str(e.kind) === '*')
      problems.push(`${where}: wildcard in namespaceResourceWhitelist`);
  }
  const policy = new RegExp(
    `^p, proj:${project}:[a-z0-9-]+, [a-z]+, [A-Za-z/.-]+, ${project}/[^,]*, (allow|deny)$`,
  );
  for (const role of list(spec.roles).map(obj)) {
    for (const p of strings(role.policies)) {
      if (!policy.test(p))
        problems.push(`${where}: role ${str(role.name) ?? '?'} policy reaches beyond ${project}: ${p}`);
    }
    for (const g of strings(role.groups).filter((g) => g.startsWith('system:'))) {
      problems.push(`${where}: role ${str(role.name) ?? '?'} names Kubernetes group ${g}`);
    }
  }
}

/** Problems with one tenant's rendered objects; empty when the tenant is isolated. */
export function isolationProblems(docs: readonly Obj[], options: IsolationOptions): string[] {
  const ns = tenantNamespace(options.tenant);
  const project = `tenant-${options.tenant}`;
  const argocdNs = options.argocdNamespace ?? 'argocd';
  const releaseNs = options.releaseNamespace ?? ns;
  const allowedPeers = new Set([ns, ...(options.platformNamespaces ?? PLATFORM_NAMESPACES)]);
  const problems: string[] = [];
  const seen = new Set<string>();

  for (const doc of docs) {
    const kind = str(doc.kind) ?? '';
    const meta = obj(doc.metadata);
    const name = str(meta.name) ?? '';
    const objectNs = str(meta.namespace) ?? releaseNs;
    const where = describe(doc);

    if (CLUSTER_SCOPED_KINDS.has(kind)) {
      if (kind !== 'Namespace' || name !== ns)
        problems.push(`${where}: cluster-scoped object in a tenant's manifests`);
      const key = `${apiGroup(doc.apiVersion)}/${kind}//${name}`;
      if (seen.has(key)) problems.push(`${where}: rendered twice`);
      seen.add(key);
      continue;
    }
    if (!NAMESPACED_KINDS.has(kind)) {
      problems.push(
        `${where}: kind of unknown scope (add it to deploy/test/support/isolation.ts if it is namespaced)`,
      );
      continue;
    }
    const key = `${apiGroup(doc.apiVersion)}/${kind}/${objectNs}/${name}`;
    if (seen.has(key)) problems.push(`${where}: rendered twice (two charts would fight over it)`);
    seen.add(key);

    if (kind === 'AppProject') {
      if (objectNs !== argocdNs || name !== project) {
        problems.push(`${where}: a tenant's only AppProject is ${argocdNs}/${project}`);
      }
      checkAppProject(doc, where, name, ns, problems);
      continue;
    }
    if (kind === 'Application' || kind === 'ApplicationSet') {
      problems.push(`${where}: tenant manifests must not define Argo CD applications`);
      continue;
    }
    if (objectNs !== ns) problems.push(`${where}: outside the tenant's namespace ${ns}`);

    if (kind === 'Role') checkRole(doc, where, problems);
    if (kind === 'RoleBinding') checkRoleBinding(doc, where, ns, problems);
    if (kind === 'NetworkPolicy') checkNetworkPolicy(doc, where, allowedPeers, problems);
    if (kind === 'Service') {
      const spec = obj(doc.spec);
      const type = str(spec.type);
      if (type === 'LoadBalancer' || type === 'NodePort') problems.push(`${where}: Service of type ${type}`);
      if (list(spec.externalIPs).length > 0) problems.push(`${where}: Service with externalIPs`);
    }
    if (kind === 'Ingress' && options.allowedIngressHosts !== undefined) {
      for (const rule of list(obj(doc.spec).rules).map(obj)) {
        const host = str(rule.host);
        if (host === undefined || !options.allowedIngressHosts.includes(host)) {
          problems.push(`${where}: Ingress host ${host ?? '(any)'} is not the tenant's`);
        }
      }
    }
  }

  if (options.requireFoundation ?? true) {
    const inNs = (kind: string): Obj[] =>
      docs.filter((d) => d.kind === kind && (str(obj(d.metadata).namespace) ?? releaseNs) === ns);
    const namespace = docs.find((d) => d.kind === 'Namespace' && str(obj(d.metadata).name) === ns);
    if (namespace === undefined) {
      problems.push(`Namespace ${ns} is missing`);
    } else {
      const labels = obj(obj(namespace.metadata).labels);
      if (labels['pod-security.kubernetes.io/enforce'] !== 'restricted') {
        problems.push(`Namespace ${ns}: Pod Security enforce is not restricted`);
      }
      if (labels['fleetwatch.io/tenant'] !== options.tenant) {
        problems.push(`Namespace ${ns}: label fleetwatch.io/tenant is not ${options.tenant}`);
      }
    }
    if (!inNs('NetworkPolicy').some(isDefaultDeny)) {
      problems.push(
        `${ns}: no default-deny NetworkPolicy (podSelector {} with Ingress and Egress and no rules)`,
      );
    }
    if (!inNs('ResourceQuota').some((q) => Object.keys(obj(obj(q.spec).hard)).length > 0)) {
      problems.push(`${ns}: no ResourceQuota`);
    }
    if (inNs('LimitRange').length === 0) problems.push(`${ns}: no LimitRange`);
    const projects = docs.filter(
      (d) =>
        d.kind === 'AppProject' &&
        str(obj(d.metadata).name) === project &&
        str(obj(d.metadata).namespace) === argocdNs,
    );
    if (projects.length === 0) problems.push(`AppProject ${argocdNs}/${project} is missing`);
  }
  return problems;
}
