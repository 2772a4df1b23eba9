{{/* A ClusterIP Service named after the component, when it has ports. */}}
{{- define "platformc.service" -}}
{{- with .Values.service }}
---
apiVersion: v1
kind: Service
metadata:
  {{- include "platformc.metadata" (dict "values" $.Values) | nindent 2 }}
spec:
  type: ClusterIP
  selector:
    {{- toYaml $.Values.selectorLabels | nindent 4 }}
  ports:
    {{- toYaml (required (printf "platformc-lib: service of %q needs ports" $.Values.name) .ports) | nindent 4 }}
{{- end }}
{{- end -}}
