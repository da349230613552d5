{{/*
Database migrations run before the new version's pods, as a Helm pre-install/pre-upgrade hook (Argo CD
runs Helm hooks as PreSync hooks). Hooks run before the release's other objects exist, so the Job does
not rely on them: it uses its own NetworkPolicy (a hook of lower weight), the namespace's default
ServiceAccount with no token, and reads only the database secret.
*/}}
{{- define "fleetwatch.migrationName" -}}
{{- printf "%s-migrate" (include "fleetwatch.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "fleetwatch.migrationSelectorLabels" -}}
app.kubernetes.io/name: {{ include "fleetwatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: migrate
{{- end -}}

{{- define "fleetwatch.migrationNetworkPolicy" -}}
{{- $np := .Values.networkPolicy -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "fleetwatch.migrationName" . }}
  labels:
    {{- include "fleetwatch.releaseLabels" . | nindent 4 }}
    app.kubernetes.io/component: migrate
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "-10"
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  podSelector:
    matchLabels:
      {{- include "fleetwatch.migrationSelectorLabels" . | nindent 6 }}
  policyTypes: ["Ingress", "Egress"]
  egress:
    {{- include "fleetwatch.egress.dns" $np | nindent 4 }}
    {{- include "fleetwatch.egress.postgres" $np | nindent 4 }}
{{- end -}}

{{- define "fleetwatch.migrationJob" -}}
{{- $m := .Values.migrations -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "fleetwatch.migrationName" . }}
  labels:
    {{- include "fleetwatch.releaseLabels" . | nindent 4 }}
    app.kubernetes.io/component: migrate
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "0"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  backoffLimit: {{ $m.backoffLimit }}
  activeDeadlineSeconds: {{ $m.activeDeadlineSeconds }}
  template:
    metadata:
      labels:
        {{- include "fleetwatch.migrationSelectorLabels" . | nindent 8 }}
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        {{- include "fleetwatch.podSecurityContext" . | nindent 8 }}
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: migrate
          image: {{ include "fleetwatch.image" . | quote }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          args:
            - node_modules/@fleetwatch/db/dist/migrate-cli.js
            - --schema
            - {{ required "migrations.schema is required" $m.schema }}
            - --dir
            - migrations
          env:
            # The schema owner: migrations create tables and grant the app role access to them.
            - name: DATABASE_ADMIN_URL
              valueFrom:
                secretKeyRef:
                  name: {{ .Values.database.existingSecret }}
                  key: {{ .Values.database.adminUrlKey }}
          securityContext:
            {{- include "fleetwatch.containerSecurityContext" . | nindent 12 }}
          resources:
            {{- toYaml $m.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 16Mi
{{- end -}}
