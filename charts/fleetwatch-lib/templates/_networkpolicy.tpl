{{/*
Allow rules for one component, on top of the tenant namespace's default deny: ingress from Prometheus
and, when the component is routed, from the load balancer; egress to DNS, PostgreSQL, Kafka and the
OpenTelemetry Collector and the identity provider's JWKS endpoint, plus networkPolicy.extraEgress.
Each rule block takes .Values.networkPolicy.
*/}}
{{- define "fleetwatch.egress.dns" -}}
- to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: {{ .dns.namespace }}
      podSelector:
        matchLabels:
          {{- toYaml .dns.podLabels | nindent 10 }}
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end -}}

{{- define "fleetwatch.egress.postgres" -}}
- to:
    {{- range .postgres.cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    - port: {{ .postgres.port }}
      protocol: TCP
{{- end -}}

{{- define "fleetwatch.egress.kafka" -}}
- to:
    {{- range .kafka.cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    {{- range .kafka.ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
{{- end -}}

{{- define "fleetwatch.egress.identityProvider" -}}
- to:
    - ipBlock:
        cidr: {{ .identityProvider.cidr }}
        {{- with .identityProvider.except }}
        except:
          {{- toYaml . | nindent 10 }}
        {{- end }}
  ports:
    - port: {{ .identityProvider.port }}
      protocol: TCP
{{- end -}}

{{- define "fleetwatch.egress.otel" -}}
- to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: {{ .otelCollector.namespace }}
      podSelector:
        matchLabels:
          {{- toYaml .otelCollector.podLabels | nindent 10 }}
  ports:
    {{- range .otelCollector.ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
{{- end -}}

{{- define "fleetwatch.networkPolicy" -}}
{{- $root := .root -}}
{{- $np := $root.Values.networkPolicy -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "fleetwatch.componentName" . }}
  labels:
    {{- include "fleetwatch.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "fleetwatch.selectorLabels" . | nindent 6 }}
  policyTypes: ["Ingress", "Egress"]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ $np.prometheus.namespace }}
          podSelector:
            matchLabels:
              {{- toYaml $np.prometheus.podLabels | nindent 14 }}
      ports:
        - port: http
          protocol: TCP
    {{- if and .c.ingress $root.Values.ingress.enabled }}
    # The AWS Load Balancer Controller targets pod IPs: requests arrive from the load balancer's
    # addresses in the VPC's subnets, not from a pod.
    - from:
        {{- range $np.loadBalancer.cidrs }}
        - ipBlock:
            cidr: {{ . }}
        {{- end }}
      ports:
        - port: http
          protocol: TCP
    {{- end }}
  egress:
    {{- include "fleetwatch.egress.dns" $np | nindent 4 }}
    {{- include "fleetwatch.egress.postgres" $np | nindent 4 }}
    {{- include "fleetwatch.egress.kafka" $np | nindent 4 }}
    {{- include "fleetwatch.egress.otel" $np | nindent 4 }}
    {{- include "fleetwatch.egress.identityProvider" $np | nindent 4 }}
    {{- with $np.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}
