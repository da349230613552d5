{{- define "fleetwatch.serviceMonitor" -}}
{{- $m := .root.Values.metrics.serviceMonitor -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "fleetwatch.componentName" . }}
  labels:
    {{- include "fleetwatch.labels" . | nindent 4 }}
    # kube-prometheus-stack selects ServiceMonitors by its release label.
    release: {{ $m.release | quote }}
spec:
  selector:
    matchLabels:
      {{- include "fleetwatch.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: /metrics
      interval: {{ $m.interval }}
      scrapeTimeout: {{ $m.scrapeTimeout }}
{{- end -}}

{{/*
Alerts every Fleetwatch deployment gets; a chart adds its own with metrics.prometheusRule.extraRules.
The job label of a scraped target is its Service's name.
*/}}
{{- define "fleetwatch.prometheusRule" -}}
{{- $r := .Values.metrics.prometheusRule -}}
{{- $fullname := include "fleetwatch.fullname" . -}}
{{- $namespace := .Release.Namespace -}}
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "fleetwatch.releaseLabels" . | nindent 4 }}
    release: {{ $r.release | quote }}
spec:
  groups:
    - name: {{ $fullname }}.availability
      rules:
        {{- range $name, $c := .Values.components }}
        {{- if $c.enabled }}
        {{- $job := include "fleetwatch.componentName" (dict "root" $ "name" $name "c" $c) }}
        - alert: FleetwatchTargetDown
          expr: up{namespace="{{ $namespace }}", job="{{ $job }}"} == 0
          for: 5m
          labels:
            severity: critical
          annotations:
            summary: "{{ $job }} in {{ $namespace }} is not scraped"
            description: "Prometheus has not reached {{ $job }} for 5 minutes: pods down or NetworkPolicy blocking the scrape."
        - alert: FleetwatchRestarting
          expr: increase(kube_pod_container_status_restarts_total{namespace="{{ $namespace }}", container="{{ $name }}", pod=~"{{ $job }}-.*"}[30m]) > 2
          labels:
            severity: warning
          annotations:
            summary: "{{ $job }} in {{ $namespace }} restarted more than twice in 30 minutes"
        {{- end }}
        {{- end }}
    {{- with $r.extraRules }}
    - name: {{ $fullname }}.service
      rules:
        {{- toYaml . | nindent 8 }}
    {{- end }}
{{- end -}}
