{{/*
Names and labels. Every template below takes a context dict:
  root: the chart's top-level context ($)
  name: the component name (a key of .Values.components, e.g. "api", "writer")
  c:    the component's values
*/}}

{{- define "fleetwatch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's base name: the release name alone when it already carries the chart name. */}}
{{- define "fleetwatch.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "fleetwatch.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "fleetwatch.componentName" -}}
{{- printf "%s-%s" (include "fleetwatch.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "fleetwatch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fleetwatch.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "fleetwatch.labels" -}}
{{ include "fleetwatch.selectorLabels" . }}
app.kubernetes.io/version: {{ include "fleetwatch.imageTag" .root | quote }}
app.kubernetes.io/part-of: fleetwatch
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Labels of objects that belong to the release rather than to one component. */}}
{{- define "fleetwatch.releaseLabels" -}}
app.kubernetes.io/name: {{ include "fleetwatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ include "fleetwatch.imageTag" . | quote }}
app.kubernetes.io/part-of: fleetwatch
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "fleetwatch.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag -}}
{{- end -}}

{{/* A digest, when given, pins the image; the tag stays for readability. */}}
{{- define "fleetwatch.image" -}}
{{- $image := .Values.image -}}
{{- if $image.digest -}}
{{- printf "%s:%s@%s" $image.repository (include "fleetwatch.imageTag" .) $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (include "fleetwatch.imageTag" .) -}}
{{- end -}}
{{- end -}}

{{- define "fleetwatch.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "fleetwatch.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "fleetwatch.configMapName" -}}
{{- printf "%s-config" (include "fleetwatch.fullname" .) -}}
{{- end -}}

{{/* Drain window: the pod leaves the endpoints during preStop, then the service drains in-flight work. */}}
{{- define "fleetwatch.terminationGracePeriodSeconds" -}}
{{- add .Values.shutdown.preStopSleepSeconds .Values.shutdown.timeoutSeconds 5 -}}
{{- end -}}

{{- define "fleetwatch.seccompProfile" -}}
{{- if eq .Values.seccompProfile.type "Localhost" -}}
type: Localhost
localhostProfile: {{ required "seccompProfile.localhostProfile is required for type Localhost" .Values.seccompProfile.localhostProfile }}
{{- else -}}
type: {{ .Values.seccompProfile.type }}
{{- end -}}
{{- end -}}

{{/* The pod and container security settings every Fleetwatch pod uses (Pod Security "restricted"). */}}
{{- define "fleetwatch.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurityContext.runAsUser }}
runAsGroup: {{ .Values.podSecurityContext.runAsGroup }}
fsGroup: {{ .Values.podSecurityContext.fsGroup }}
seccompProfile:
  {{- include "fleetwatch.seccompProfile" . | nindent 2 }}
{{- end -}}

{{- define "fleetwatch.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* Environment shared by every process of the service: the ConfigMap plus the database secret. */}}
{{- define "fleetwatch.envFrom" -}}
- configMapRef:
    name: {{ include "fleetwatch.configMapName" . }}
{{- end -}}

{{- define "fleetwatch.secretEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "database.existingSecret is required" .Values.database.existingSecret }}
      key: {{ .Values.database.urlKey }}
{{- if .Values.kafka.sasl.mechanism }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.sasl.existingSecret }}
      key: username
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.sasl.existingSecret }}
      key: password
{{- end }}
{{- end -}}
