{{/*
Everything a Fleetwatch service chart deploys, from its values. A service chart's only template is:
  {{ include "fleetwatch.all" . }}
*/}}
{{- define "fleetwatch.all" -}}
{{- $root := . -}}
{{ include "fleetwatch.configMap" $root }}
{{- if .Values.serviceAccount.create }}
---
{{ include "fleetwatch.serviceAccount" $root }}
{{- end }}
{{- range $name, $c := .Values.components }}
{{- if $c.enabled }}
{{- $ctx := dict "root" $root "name" $name "c" $c }}
---
{{ include "fleetwatch.deployment" $ctx }}
---
{{ include "fleetwatch.service" $ctx }}
{{- if $c.kafkaLagScaling.enabled }}
---
{{ include "fleetwatch.scaledObject" $ctx }}
{{- if $root.Values.kafka.sasl.mechanism }}
---
{{ include "fleetwatch.triggerAuthentication" $ctx }}
{{- end }}
{{- else if $c.autoscaling.enabled }}
---
{{ include "fleetwatch.hpa" $ctx }}
{{- end }}
{{- if $c.pdb.enabled }}
---
{{ include "fleetwatch.pdb" $ctx }}
{{- end }}
{{- if $root.Values.networkPolicy.enabled }}
---
{{ include "fleetwatch.networkPolicy" $ctx }}
{{- end }}
{{- if $root.Values.metrics.serviceMonitor.enabled }}
---
{{ include "fleetwatch.serviceMonitor" $ctx }}
{{- end }}
{{- end }}
{{- end }}
{{- if .Values.metrics.prometheusRule.enabled }}
---
{{ include "fleetwatch.prometheusRule" $root }}
{{- end }}
{{- if .Values.ingress.enabled }}
---
{{ include "fleetwatch.ingress" $root }}
{{- end }}
{{- if .Values.migrations.enabled }}
{{- if .Values.networkPolicy.enabled }}
---
{{ include "fleetwatch.migrationNetworkPolicy" $root }}
{{- end }}
---
{{ include "fleetwatch.migrationJob" $root }}
{{- end }}
{{- end -}}
