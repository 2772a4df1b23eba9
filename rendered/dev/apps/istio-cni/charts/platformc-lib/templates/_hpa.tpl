{{/* A HorizontalPodAutoscaler (autoscaling/v2) on CPU utilization; the controller then carries no replicas. */}}
{{- define "platformc.hpa" -}}
{{- with .Values.autoscaling }}
{{- if not (has $.Values.kind (list "Deployment" "StatefulSet")) }}
{{- fail (printf "platformc-lib: %q is a %s; only a Deployment or StatefulSet can autoscale" (toString $.Values.name) (toString $.Values.kind)) }}
{{- end }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  {{- include "platformc.metadata" (dict "values" $.Values) | nindent 2 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: {{ $.Values.kind | quote }}
    name: {{ $.Values.name | quote }}
  minReplicas: {{ required "platformc-lib: autoscaling needs minReplicas" .minReplicas | toJson }}
  maxReplicas: {{ required "platformc-lib: autoscaling needs maxReplicas" .maxReplicas | toJson }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ required "platformc-lib: autoscaling needs targetCPU" .targetCPU | toJson }}
{{- end }}
{{- end -}}
