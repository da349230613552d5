{{/*
The tenant's namespace: tenant-<tenant>. Every namespaced object of this chart names it explicitly
(the AppProject goes to Argo CD's namespace), so nothing depends on the release namespace.
*/}}
{{- define "tenant.namespace" -}}
{{- printf "tenant-%s" .Values.tenant -}}
{{- end -}}

{{/* The Argo CD project of the tenant's own applications: tenant-<tenant>. */}}
{{- define "tenant.project" -}}
{{- printf "tenant-%s" .Values.tenant -}}
{{- end -}}

{{/* The quota and limit range of the tenant's tier (values.schema.json allows only pool and silo). */}}
{{- define "tenant.tierPolicy" -}}
{{- $policy := index .Values.tiers .Values.tier -}}
{{- if not $policy -}}
{{- fail (printf "tier %q has no entry under tiers" .Values.tier) -}}
{{- end -}}
{{- toYaml $policy -}}
{{- end -}}

{{- define "tenant.labels" -}}
app.kubernetes.io/name: tenant
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: fleetwatch
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
fleetwatch.io/tenant: {{ .Values.tenant | quote }}
fleetwatch.io/tier: {{ .Values.tier | quote }}
{{- end -}}

{{/*
Argo CD sync waves inside the tenant's foundation: the namespace first, then its guardrails (quota,
limit range, network policies, RBAC), then the tenant's AppProject, so nothing can be deployed through
the project before the guardrails exist.
*/}}
{{- define "tenant.wave.namespace" -}}argocd.argoproj.io/sync-wave: "-3"{{- end -}}
{{- define "tenant.wave.guardrails" -}}argocd.argoproj.io/sync-wave: "-2"{{- end -}}
{{- define "tenant.wave.project" -}}argocd.argoproj.io/sync-wave: "-1"{{- end -}}

{{/* RoleBinding subjects for a list of IdP groups: .groups, .prefix. */}}
{{- define "tenant.groupSubjects" -}}
{{- range .groups }}
- kind: Group
  apiGroup: rbac.authorization.k8s.io
  name: {{ printf "%s%s" $.prefix . | quote }}
{{- end }}
{{- end -}}

{{/*
Read access shared by tenant-admin and tenant-viewer: the tenant's workloads, their configuration and
status. Secrets are deliberately absent (get/list/watch on a Secret reveals it).
*/}}
{{- define "tenant.readRules" -}}
- apiGroups: [""]
  resources:
    - configmaps
    - endpoints
    - events
    - limitranges
    - persistentvolumeclaims
    - pods
    - replicationcontrollers
    - resourcequotas
    - serviceaccounts
    - services
  verbs: ["get", "list", "watch"]
- apiGroups: ["apps"]
  resources: ["deployments", "replicasets", "statefulsets", "daemonsets"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["batch"]
  resources: ["jobs", "cronjobs"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses", "networkpolicies"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["discovery.k8s.io"]
  resources: ["endpointslices"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["metrics.k8s.io"]
  resources: ["pods"]
  verbs: ["get", "list"]
- apiGroups: ["monitoring.coreos.com"]
  resources: ["servicemonitors", "prometheusrules"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["keda.sh"]
  resources: ["scaledobjects", "triggerauthentications"]
  verbs: ["get", "list", "watch"]
{{- end -}}
