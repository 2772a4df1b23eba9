{{/* A ClusterIP Service named after the component, when it has ports; a StatefulSet
     also gets the headless `<name>-headless` Service that gives its pods stable
     DNS names (`<name>-0.<name>-headless`), which quorum-based systems need. */}}
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
{{- if eq .Values.kind "StatefulSet" }}
---
apiVersion: v1
kind: Service
metadata:
  {{- include "platformc.metadata" (dict "values" .Values "name" (printf "%s-headless" .Values.name)) | nindent 2 }}
spec:
  type: ClusterIP
  clusterIP: None
  publishNotReadyAddresses: true
  selector:
    {{- toYaml .Values.selectorLabels | nindent 4 }}
  {{- with .Values.service }}
  ports:
    {{- toYaml .ports | nindent 4 }}
  {{- end }}
{{- end }}
{{- end -}}
