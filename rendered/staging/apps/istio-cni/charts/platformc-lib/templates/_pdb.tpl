{{/* A PodDisruptionBudget over the component's pods: minAvailable or maxUnavailable. */}}
{{- define "platformc.pdb" -}}
{{- with .Values.pdb }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  {{- include "platformc.metadata" (dict "values" $.Values) | nindent 2 }}
spec:
  {{- if hasKey . "minAvailable" }}
  minAvailable: {{ .minAvailable | toJson }}
  {{- end }}
  {{- if hasKey . "maxUnavailable" }}
  maxUnavailable: {{ .maxUnavailable | toJson }}
  {{- end }}
  selector:
    matchLabels:
      {{- toYaml $.Values.selectorLabels | nindent 6 }}
{{- end }}
{{- end -}}
