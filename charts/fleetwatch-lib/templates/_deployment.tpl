{{- define "fleetwatch.deployment" -}}
{{- $root := .root -}}
{{- $c := .c -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "fleetwatch.componentName" . }}
  labels:
    {{- include "fleetwatch.labels" . | nindent 4 }}
  annotations:
    {{- /*
    kube-score checks this object ignores, and why:
    - deployment-has-host-podantiaffinity: the topologySpreadConstraints below spread the replicas over
      nodes (kubernetes.io/hostname) and zones, which kube-score does not read.
    - deployment-replicas (KEDA-scaled only): KEDA's HPA owns the replica count; setting replicas here
      would make every sync reset it.
    */}}
    kube-score/ignore: deployment-has-host-podantiaffinity{{ if $c.kafkaLagScaling.enabled }},deployment-replicas{{ end }}
spec:
  {{- if not (or $c.autoscaling.enabled $c.kafkaLagScaling.enabled) }}
  replicas: {{ $c.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  selector:
    matchLabels:
      {{- include "fleetwatch.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "fleetwatch.selectorLabels" . | nindent 8 }}
        {{- with $root.Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        # Roll the pods when their configuration changes.
        checksum/config: {{ include "fleetwatch.configMap" $root | sha256sum }}
        {{- with $root.Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "fleetwatch.serviceAccountName" $root }}
      automountServiceAccountToken: {{ $root.Values.serviceAccount.automountToken }}
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ include "fleetwatch.terminationGracePeriodSeconds" $root }}
      securityContext:
        {{- include "fleetwatch.podSecurityContext" $root | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $root.Values.topologySpread.enabled }}
      topologySpreadConstraints:
        - maxSkew: {{ $root.Values.topologySpread.maxSkew }}
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: {{ $root.Values.topologySpread.zoneWhenUnsatisfiable }}
          labelSelector:
            matchLabels:
              {{- include "fleetwatch.selectorLabels" . | nindent 14 }}
        - maxSkew: {{ $root.Values.topologySpread.maxSkew }}
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: {{ $root.Values.topologySpread.hostnameWhenUnsatisfiable }}
          labelSelector:
            matchLabels:
              {{- include "fleetwatch.selectorLabels" . | nindent 14 }}
      {{- end }}
      {{- with $root.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .name }}
          image: {{ include "fleetwatch.image" $root | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args:
            {{- toYaml $c.args | nindent 12 }}
          ports:
            - name: http
              containerPort: {{ $c.port }}
              protocol: TCP
          envFrom:
            {{- include "fleetwatch.envFrom" $root | nindent 12 }}
          env:
            - name: PORT
              value: {{ $c.port | quote }}
            {{- with $c.podNameEnv }}
            - name: {{ . }}
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            {{- end }}
            {{- include "fleetwatch.secretEnv" $root | nindent 12 }}
            {{- range $key, $value := $c.env }}
            - name: {{ $key }}
              value: {{ $value | quote }}
            {{- end }}
          securityContext:
            {{- include "fleetwatch.containerSecurityContext" $root | nindent 12 }}
          resources:
            {{- toYaml $c.resources | nindent 12 }}
          startupProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 2
            failureThreshold: 30
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
            timeoutSeconds: 2
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
            periodSeconds: 5
            timeoutSeconds: 2
            failureThreshold: 2
          lifecycle:
            # Keep serving while the endpoint removal reaches every load balancer and kube-proxy;
            # SIGTERM follows, and the service drains within shutdown.timeoutSeconds.
            preStop:
              sleep:
                seconds: {{ $root.Values.shutdown.preStopSleepSeconds }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
{{- end -}}
