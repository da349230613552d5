{{/*
One Ingress per release for the components with `ingress: true`, for the AWS Load Balancer Controller.
Every service's Ingress joins the same group, so one ALB routes /v1/<service>/... to each of them.
*/}}
{{- define "fleetwatch.ingress" -}}
{{- $root := . -}}
{{- $ing := .Values.ingress -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "fleetwatch.fullname" . }}
  labels:
    {{- include "fleetwatch.releaseLabels" . | nindent 4 }}
  annotations:
    alb.ingress.kubernetes.io/scheme: {{ $ing.scheme }}
    alb.ingress.kubernetes.io/target-type: ip
    alb.ingress.kubernetes.io/group.name: {{ $ing.groupName }}
    alb.ingress.kubernetes.io/listen-ports: '[{"HTTPS":443}]'
    alb.ingress.kubernetes.io/ssl-policy: {{ $ing.sslPolicy }}
    alb.ingress.kubernetes.io/healthcheck-path: /readyz
    {{- with $ing.certificateArn }}
    alb.ingress.kubernetes.io/certificate-arn: {{ . }}
    {{- end }}
    {{- with $ing.annotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  ingressClassName: {{ $ing.className }}
  rules:
    - host: {{ required "ingress.host is required when ingress.enabled" $ing.host | quote }}
      http:
        paths:
          {{- range $name, $c := .Values.components }}
          {{- if and $c.enabled $c.ingress }}
          - path: {{ $ing.path }}
            pathType: Prefix
            backend:
              service:
                name: {{ include "fleetwatch.componentName" (dict "root" $root "name" $name "c" $c) }}
                port:
                  name: http
          {{- end }}
          {{- end }}
{{- end -}}
