{{/*
Object names: <release>-<file name without extension>, e.g. fleetwatch-monitoring-api-slo.
*/}}
{{- define "fleetwatch-monitoring.objectName" -}}
{{- $stem := base .path | trimSuffix (ext .path) -}}
{{- printf "%s-%s" .root.Release.Name $stem | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "fleetwatch-monitoring.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: fleetwatch
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}
