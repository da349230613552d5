{{/*
KEDA scales a Kafka consumer on its consumer group's lag instead of CPU (KEDA owns the HPA then).
Replicas beyond the topic's partition count would sit idle, so maxReplicaCount should not exceed it.
*/}}
{{- define "fleetwatch.scaledObject" -}}
{{- $k := .c.kafkaLagScaling -}}
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {{ include "fleetwatch.componentName" . }}
  labels:
    {{- include "fleetwatch.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    name: {{ include "fleetwatch.componentName" . }}
  minReplicaCount: {{ $k.minReplicas }}
  maxReplicaCount: {{ $k.maxReplicas }}
  pollingInterval: 15
  cooldownPeriod: 300
  triggers:
    - type: kafka
      metadata:
        bootstrapServers: {{ .root.Values.kafka.brokers | quote }}
        consumerGroup: {{ required "kafkaLagScaling.consumerGroup is required" $k.consumerGroup | quote }}
        topic: {{ required "kafkaLagScaling.topic is required" $k.topic | quote }}
        lagThreshold: {{ $k.lagThreshold | quote }}
        offsetResetPolicy: earliest
        {{- with .root.Values.kafka.sasl.mechanism }}
        sasl: {{ . | replace "-" "_" | quote }}
        {{- end }}
        tls: {{ ternary "enable" "disable" .root.Values.kafka.tls | quote }}
      {{- if .root.Values.kafka.sasl.mechanism }}
      authenticationRef:
        name: {{ include "fleetwatch.componentName" . }}
      {{- end }}
{{- end -}}

{{/* KEDA reads the writer's Kafka credentials from the service's own Secret to measure the lag. */}}
{{- define "fleetwatch.triggerAuthentication" -}}
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata:
  name: {{ include "fleetwatch.componentName" . }}
  labels:
    {{- include "fleetwatch.labels" . | nindent 4 }}
spec:
  secretTargetRef:
    - parameter: username
      name: {{ .root.Values.kafka.sasl.existingSecret }}
      key: username
    - parameter: password
      name: {{ .root.Values.kafka.sasl.existingSecret }}
      key: password
{{- end -}}
