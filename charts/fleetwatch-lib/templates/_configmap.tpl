{{/* Non-secret environment of every process of the service. Secrets come from database.existingSecret. */}}
{{- define "fleetwatch.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "fleetwatch.configMapName" . }}
  labels:
    {{- include "fleetwatch.releaseLabels" . | nindent 4 }}
data:
  NODE_ENV: production
  HOST: "0.0.0.0"
  KAFKA_BROKERS: {{ required "kafka.brokers is required" .Values.kafka.brokers | quote }}
  KAFKA_SSL: {{ .Values.kafka.tls | quote }}
  {{- with .Values.kafka.sasl.mechanism }}
  KAFKA_SASL_MECHANISM: {{ . | quote }}
  {{- end }}
  SHUTDOWN_TIMEOUT_MS: {{ mul .Values.shutdown.timeoutSeconds 1000 | quote }}
  AUTH_JWKS_URL: {{ required "auth.jwksUrl is required" .Values.auth.jwksUrl | quote }}
  AUTH_ISSUER: {{ required "auth.issuer is required" .Values.auth.issuer | quote }}
  AUTH_AUDIENCE: {{ required "auth.audience is required" .Values.auth.audience | quote }}
  {{- range $key, $value := .Values.config }}
  {{ $key }}: {{ $value | quote }}
  {{- end }}
{{- end -}}
