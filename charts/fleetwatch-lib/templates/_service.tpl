{{- define "fleetwatch.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "fleetwatch.componentName" . }}
  labels:
    {{- include "fleetwatch.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "fleetwatch.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .c.service.port }}
      targetPort: http
      protocol: TCP
{{- end -}}

{{- define "fleetwatch.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "fleetwatch.serviceAccountName" . }}
  labels:
    {{- include "fleetwatch.releaseLabels" . | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
{{- end -}}

{{- define "fleetwatch.hpa" -}}
{{- $a := .c.autoscaling -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "fleetwatch.componentName" . }}
  labels:
    {{- include "fleetwatch.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "fleetwatch.componentName" . }}
  minReplicas: {{ $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $a.targetCPUUtilizationPercentage }}
  behavior:
    scaleDown:
      # Scale in slowly: ingestion comes in bursts as satellite windows open.
      stabilizationWindowSeconds: 300
{{- end -}}

{{- define "fleetwatch.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "fleetwatch.componentName" . }}
  labels:
    {{- include "fleetwatch.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .c.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "fleetwatch.selectorLabels" . | nindent 6 }}
{{- end -}}
